// libfcgi_cve_probe.cc: does the libfcgi this program is linked with refuse
// the oversized FastCGI parameter lengths of CVE-2025-23016?
//
// configure runs it (m4/sealform_libfcgi_cve.m4) and stops on a vulnerable
// library; tests/e2e/libfcgi-probe.test also builds it against stand-in
// libraries to show that each verdict can come out.
//
// The flaw: libfcgi before 2.4.5 (Debian 12: before 2.4.2-2+deb12u1) sizes
// a name-value pair's buffer as `nameLen + valueLen + 2` in int. With both
// four-byte lengths at 0x7fffffff the sum wraps to 0, the library allocates
// a few bytes and then copies the name, as many bytes of the stream as
// arrive, past them: a heap overflow reachable by whoever can write to the
// socket.
//
// The probe: a child process serves one FastCGI connection (its end of a
// socketpair) with FCGX_Accept_r. The parent sends FCGI_BEGIN_REQUEST, then
// PARAMS records holding that pair's eight length bytes and far more filler
// than the socket can buffer (the FastCGI specification, section 3.4, for
// the name-value pair encoding). A fixed library refuses the pair after its
// length bytes and ends the connection (shutdown or close) before reading
// further, so by the time the parent has written the filler, the end of the
// connection is already visible. A vulnerable library reads the filler
// into its undersized buffer: the parent then writes all of it without
// seeing the end. The verdict therefore does not depend on the overflow
// happening to crash the child (it usually does, which is reported too). A
// child that hangs dies of SIGALRM, and the parent gives up after a
// deadline, so the probe never blocks configure.
//
// Verdict: one line on stderr (configure keeps it in config.log).
// Exit status: 0 fixed, 1 vulnerable (or misbehaving), 2 the probe could
// not run (socketpair, fork, FCGX_Init failed).
#include <fcgiapp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <vector>

namespace {

constexpr int kExitFixed = 0;
constexpr int kExitVulnerable = 1;
constexpr int kExitError = 2;

// The child's exit statuses.
constexpr int kChildRefused = 0;     // FCGX_Accept_r returned < 0
constexpr int kChildAccepted = 3;    // FCGX_Accept_r returned a request
constexpr int kChildInitFailed = 4;  // FCGX_Init or FCGX_InitRequest failed

constexpr unsigned kChildAlarmSeconds = 10;  // a hung child dies of SIGALRM
constexpr long kDeadlineMs = 15000;          // then the parent kills it
constexpr int kSocketBuffer = 16384;         // asked of the kernel, both ends
constexpr std::size_t kMinFiller = std::size_t{1} << 20;
constexpr std::size_t kMaxContent = 0xffff;  // a record's 16-bit content length

// FastCGI 1.0 record types and the responder role (specification, 8).
constexpr unsigned char kFcgiVersion = 1;
constexpr unsigned char kBeginRequest = 1;
constexpr unsigned char kParams = 4;
constexpr unsigned char kResponder = 1;
constexpr unsigned char kRequestId = 1;

// A four-byte length has its top bit set; 0x7fffffff is the largest.
constexpr unsigned char kHugeLength[4] = {0xff, 0xff, 0xff, 0xff};

// Owns one file descriptor.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

long NowMs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

void AppendRecord(std::vector<unsigned char>& out, unsigned char type, const unsigned char* content,
                  std::size_t length) {
  const unsigned char header[8] = {kFcgiVersion,
                                   type,
                                   0,
                                   kRequestId,
                                   static_cast<unsigned char>(length >> 8),
                                   static_cast<unsigned char>(length & 0xff),
                                   0,
                                   0};
  out.insert(out.end(), header, header + sizeof header);
  out.insert(out.end(), content, content + length);
}

// FCGI_BEGIN_REQUEST, then PARAMS records whose content is the pair's two
// four-byte lengths and `filler` bytes of name. The empty PARAMS record
// that ends the stream is sent separately, after the verdict is taken.
std::vector<unsigned char> BuildRequest(std::size_t filler) {
  std::vector<unsigned char> params(kHugeLength, kHugeLength + sizeof kHugeLength);
  params.insert(params.end(), kHugeLength, kHugeLength + sizeof kHugeLength);
  params.resize(params.size() + filler, 'n');

  std::vector<unsigned char> out;
  const unsigned char begin[8] = {0, kResponder, 0, 0, 0, 0, 0, 0};
  AppendRecord(out, kBeginRequest, begin, sizeof begin);
  for (std::size_t at = 0; at < params.size(); at += kMaxContent) {
    AppendRecord(out, kParams, params.data() + at, std::min(kMaxContent, params.size() - at));
  }
  return out;
}

// The child: serve the connection with libfcgi and say how it went.
[[noreturn]] void ServeOneConnection(int fd) {
  alarm(kChildAlarmSeconds);
  FCGX_Request request;
  if (FCGX_Init() != 0 || FCGX_InitRequest(&request, -1, 0) != 0) _exit(kChildInitFailed);
  request.ipcFd = fd;          // an open connection: no accept(2)
  request.keepConnection = 1;  // FCGX_Accept_r first finishes a request: keep fd
  _exit(FCGX_Accept_r(&request) < 0 ? kChildRefused : kChildAccepted);
}

// True when the child has ended its side (EOF or reset). Discards anything
// it wrote. Never blocks.
bool PeerEnded(int fd) {
  char scratch[4096];
  for (;;) {
    const ssize_t n = recv(fd, scratch, sizeof scratch, MSG_DONTWAIT);
    if (n == 0) return true;
    if (n > 0) continue;
    if (errno == EINTR) continue;
    return errno != EAGAIN && errno != EWOULDBLOCK;
  }
}

enum class Sent { kAll, kPeerEnded, kTimedOut, kError };

// Writes `data` while watching for the child ending the connection.
// `written` counts the bytes the socket took; `error` is errno on kError.
Sent Send(int fd, const std::vector<unsigned char>& data, long deadline, std::size_t& written,
          int& error) {
  written = 0;
  while (written < data.size()) {
    const long left = deadline - NowMs();
    if (left <= 0) return Sent::kTimedOut;
    pollfd watch{fd, POLLIN | POLLOUT, 0};
    const int ready = poll(&watch, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) {
      error = errno;
      return Sent::kError;
    }
    if (ready == 0) return Sent::kTimedOut;
    if ((watch.revents & (POLLIN | POLLHUP | POLLERR)) != 0 && PeerEnded(fd)) {
      return Sent::kPeerEnded;
    }
    if ((watch.revents & POLLOUT) == 0) continue;
    const ssize_t n = send(fd, data.data() + written, data.size() - written, MSG_DONTWAIT);
    if (n >= 0) {
      written += static_cast<std::size_t>(n);
    } else if (errno == EPIPE || errno == ECONNRESET) {
      return Sent::kPeerEnded;  // the child closed its end
    } else if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
      error = errno;
      return Sent::kError;
    }
  }
  return Sent::kAll;
}

enum class Reaped { kExited, kTimedOut, kError };

// Waits for the child until the deadline, then kills it.
Reaped Reap(pid_t child, long deadline, int& status) {
  for (;;) {
    const pid_t done = waitpid(child, &status, WNOHANG);
    if (done == child) return Reaped::kExited;
    if (done < 0 && errno != EINTR) return Reaped::kError;
    if (NowMs() >= deadline) {
      kill(child, SIGKILL);
      while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
      }
      return Reaped::kTimedOut;
    }
    poll(nullptr, 0, 10);
  }
}

int Verdict(int code, const char* what) {
  static const char* const kWords[] = {"fixed", "vulnerable", "error"};
  std::fprintf(stderr, "libfcgi CVE-2025-23016 probe: %s: %s\n", kWords[code], what);
  return code;
}

int SocketBufferBytes(int fd, int option) {
  int value = 0;
  socklen_t size = sizeof value;
  if (getsockopt(fd, SOL_SOCKET, option, &value, &size) != 0) return -1;
  return value;
}

}  // namespace

int main() {
  int ends[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, ends) != 0) {
    return Verdict(kExitError, std::strerror(errno));
  }
  Fd ours(ends[0]);
  Fd theirs(ends[1]);
  // Small buffers keep the filler needed small; the filler is then sized
  // from what the kernel granted, so that a library that reads it all has
  // certainly read far past the pair's length bytes.
  setsockopt(ours.get(), SOL_SOCKET, SO_SNDBUF, &kSocketBuffer, sizeof kSocketBuffer);
  setsockopt(theirs.get(), SOL_SOCKET, SO_RCVBUF, &kSocketBuffer, sizeof kSocketBuffer);
  const int send_buffer = SocketBufferBytes(ours.get(), SO_SNDBUF);
  const int receive_buffer = SocketBufferBytes(theirs.get(), SO_RCVBUF);
  if (send_buffer < 0 || receive_buffer < 0) return Verdict(kExitError, std::strerror(errno));
  const std::size_t filler =
      std::max(kMinFiller, 8 * static_cast<std::size_t>(send_buffer + receive_buffer));
  const std::vector<unsigned char> request = BuildRequest(filler);
  std::vector<unsigned char> end_of_params;
  AppendRecord(end_of_params, kParams, nullptr, 0);

  // An ignored SIGCHLD (inherited through exec) would reap the child for
  // us and leave waitpid(2) nothing to report.
  signal(SIGCHLD, SIG_DFL);
  std::fflush(nullptr);
  const pid_t child = fork();
  if (child < 0) return Verdict(kExitError, std::strerror(errno));
  if (child == 0) {
    ours.reset();
    ServeOneConnection(theirs.get());
  }
  theirs.reset();
  signal(SIGPIPE, SIG_IGN);  // a fixed child may close before we finish

  const long deadline = NowMs() + kDeadlineMs;
  std::size_t written = 0;
  int error = 0;
  Sent sent = Send(ours.get(), request, deadline, written, error);
  // The socket holds a few buffers' worth; the rest was read by the child.
  // Had the child refused the pair, its end would show by now.
  if (sent == Sent::kAll && PeerEnded(ours.get())) sent = Sent::kPeerEnded;
  if (sent != Sent::kTimedOut && sent != Sent::kError) {
    std::size_t ignored_count = 0;
    int ignored_error = 0;
    Send(ours.get(), end_of_params, deadline, ignored_count, ignored_error);
  }
  ours.reset();

  int status = 0;
  const Reaped reaped = Reap(child, deadline, status);
  if (reaped == Reaped::kError) return Verdict(kExitError, std::strerror(errno));
  char what[256];
  if (reaped == Reaped::kTimedOut || sent == Sent::kTimedOut) {
    std::snprintf(what, sizeof what, "no answer within %ld ms: the library hung on the pair",
                  kDeadlineMs);
    return Verdict(kExitVulnerable, what);
  }
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) {
    std::snprintf(what, sizeof what, "the FastCGI child hung on the pair for %u s",
                  kChildAlarmSeconds);
    return Verdict(kExitVulnerable, what);
  }
  if (WIFSIGNALED(status)) {
    std::snprintf(what, sizeof what, "the FastCGI child died of signal %d (%s) reading the pair",
                  WTERMSIG(status), strsignal(WTERMSIG(status)));
    return Verdict(kExitVulnerable, what);
  }
  if (sent == Sent::kError) return Verdict(kExitError, std::strerror(error));
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (code == kChildInitFailed) return Verdict(kExitError, "FCGX_Init or FCGX_InitRequest failed");
  if (code == kChildAccepted) {
    return Verdict(kExitVulnerable, "FCGX_Accept_r accepted a parameter that claims 2 GiB");
  }
  if (code != kChildRefused) {
    std::snprintf(what, sizeof what, "the FastCGI child exited with status %d", code);
    return Verdict(kExitVulnerable, what);
  }
  if (sent == Sent::kAll) {
    std::snprintf(what, sizeof what,
                  "the library read all %zu bytes sent after the pair's lengths before "
                  "refusing it (its copy overflowed without crashing)",
                  filler);
    return Verdict(kExitVulnerable, what);
  }
  std::snprintf(what, sizeof what,
                "FCGX_Accept_r refused the pair and ended the connection with %zu of %zu "
                "bytes sent",
                written, request.size());
  return Verdict(kExitFixed, what);
}
