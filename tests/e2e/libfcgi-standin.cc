// libfcgi-standin.cc: a stand-in libfcgi for tests/e2e/libfcgi-probe.test,
// which builds it as a shared library named libfcgi.so and links
// build-aux/libfcgi_cve_probe.cc against it, to show that the probe's
// verdict follows the library's handling of parameter lengths.
//
// It implements only what the probe calls (FCGX_Init, FCGX_InitRequest,
// FCGX_Accept_r) and serves only a connection it is handed in
// request->ipcFd: FCGI_BEGIN_REQUEST, then name-value pairs from PARAMS
// records until the empty one (FastCGI specification, 3.3 and 3.4).
// Written for this test, not taken from libfcgi. Which flaw it has is
// chosen at build time with -DSTANDIN_VARIANT=N:
//   1  wraps:    sizes a pair's buffer as int name + value + 2, as libfcgi
//                did before the CVE-2025-23016 fix, and copies the name into
//                it: the real heap overflow.
//   2  checks:   refuses a pair whose lengths do not fit in an int before
//                allocating anything: the fix.
//   3  discards: the same wrapped size, but reads the name and value into
//                nothing, so the overflow never touches memory: a vulnerable
//                library on which the overflow happens not to crash.
#include <fcgiapp.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#ifndef STANDIN_VARIANT
#error "build with -DSTANDIN_VARIANT=1 (wraps), 2 (checks) or 3 (discards)"
#endif

namespace {

constexpr unsigned char kBeginRequest = 1;
constexpr unsigned char kParams = 4;
constexpr std::size_t kHeaderLength = 8;

bool initialized = false;
std::vector<std::string> accepted_pairs;  // the accepted request's "name=value"
std::vector<char*> accepted_envp;         // pointers into accepted_pairs, then null

// Reads exactly `length` bytes; false on end of file or an error.
bool ReadFull(int fd, unsigned char* to, std::size_t length) {
  while (length > 0) {
    const ssize_t n = read(fd, to, length);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    to += n;
    length -= static_cast<std::size_t>(n);
  }
  return true;
}

// The content of consecutive PARAMS records, as one stream that ends at
// the empty record. Like libfcgi, it reads the socket into a buffer of its
// own and copies from there, so a copy that runs off its destination faults
// in user space instead of making read(2) fail with EFAULT.
class ParamsStream {
 public:
  explicit ParamsStream(int fd) : fd_(fd) {}

  // Delivers up to `length` bytes to `to` (or drops them when `to` is
  // null). Returns how many arrived: fewer at the end of the stream or on
  // a protocol error.
  std::size_t Read(unsigned char* to, std::size_t length) {
    std::size_t done = 0;
    while (done < length) {
      if (record_left_ == 0 && !NextRecord()) break;
      std::size_t chunk = length - done;
      if (chunk > record_left_) chunk = record_left_;
      if (chunk > sizeof buffer_) chunk = sizeof buffer_;
      if (!ReadFull(fd_, buffer_, chunk)) {
        ended_ = true;
        break;
      }
      if (to != nullptr) std::memcpy(to + done, buffer_, chunk);
      done += chunk;
      record_left_ -= chunk;
    }
    return done;
  }

  // True at the empty PARAMS record that ends the stream.
  bool ended_cleanly() const { return ended_ && clean_end_; }

 private:
  // Skips the previous record's padding and reads the next header.
  bool NextRecord() {
    if (ended_) return false;
    unsigned char header[kHeaderLength];
    if ((padding_ > 0 && !ReadFull(fd_, buffer_, padding_)) ||
        !ReadFull(fd_, header, sizeof header) || header[0] != 1 || header[1] != kParams) {
      ended_ = true;
      return false;
    }
    record_left_ = static_cast<std::size_t>(header[4] << 8 | header[5]);
    padding_ = header[6];
    if (record_left_ == 0) {
      ended_ = true;
      clean_end_ = true;
      return false;
    }
    return true;
  }

  int fd_;
  std::size_t record_left_ = 0;
  std::size_t padding_ = 0;
  bool ended_ = false;
  bool clean_end_ = false;
  unsigned char buffer_[8192];
};

// A pair's length: one byte, or four with the top bit set (spec, 3.4).
// -1 when the stream ends first.
long ReadLength(ParamsStream& in) {
  unsigned char bytes[4];
  if (in.Read(bytes, 1) != 1) return -1;
  if ((bytes[0] & 0x80) == 0) return bytes[0];
  if (in.Read(bytes + 1, 3) != 3) return -1;
  return static_cast<long>(bytes[0] & 0x7f) << 24 | static_cast<long>(bytes[1]) << 16 |
         static_cast<long>(bytes[2]) << 8 | bytes[3];
}

// The buffer for "name=value\0", sized the way the variant says; null to
// refuse the pair.
char* AllocatePair(long name_length, long value_length) {
#if STANDIN_VARIANT == 2
  if (name_length + value_length + 2 > INT_MAX) return nullptr;
  return static_cast<char*>(std::malloc(static_cast<std::size_t>(name_length + value_length + 2)));
#else
  // The flaw: the sum is taken in int. Done here in unsigned arithmetic and
  // converted back, which is how the int sum wraps on the machines this runs
  // on (gcc defines the conversion), without the undefined signed overflow.
  const int size = static_cast<int>(static_cast<unsigned>(name_length) +
                                    static_cast<unsigned>(value_length) + 2u);
  return static_cast<char*>(std::malloc(static_cast<std::size_t>(size)));
#endif
}

// Reads one pair's name and value into `pair` ("name=value\0"), or drops
// them when `pair` is null.
bool ReadPair(ParamsStream& in, unsigned char* pair, long name_length, long value_length) {
  const auto name = static_cast<std::size_t>(name_length);
  const auto value = static_cast<std::size_t>(value_length);
  if (in.Read(pair, name) != name) return false;
  if (pair != nullptr) pair[name] = '=';
  if (in.Read(pair == nullptr ? nullptr : pair + name + 1, value) != value) return false;
  if (pair != nullptr) pair[name + 1 + value] = '\0';
  return true;
}

int Refuse(FCGX_Request* request) {
  close(request->ipcFd);
  request->ipcFd = -1;
  return -1;
}

}  // namespace

extern "C" {

int FCGX_Init(void) {
  initialized = true;
  return 0;
}

int FCGX_InitRequest(FCGX_Request* request, int sock, int flags) {
  std::memset(request, 0, sizeof *request);
  request->ipcFd = -1;
  request->listen_sock = sock;
  request->flags = flags;
  return 0;
}

int FCGX_Accept_r(FCGX_Request* request) {
  if (!initialized) return -1;
  if (request->ipcFd < 0) return -EBADF;  // no listening: a connection must be handed in
  unsigned char begin[kHeaderLength + 8];
  if (!ReadFull(request->ipcFd, begin, sizeof begin) || begin[1] != kBeginRequest) {
    return Refuse(request);
  }
  request->requestId = begin[2] << 8 | begin[3];
  request->role = begin[8] << 8 | begin[9];
  request->keepConnection = begin[10] & 1;

  ParamsStream in(request->ipcFd);
  accepted_pairs.clear();
  for (;;) {
    const long name_length = ReadLength(in);
    if (name_length < 0) {
      if (in.ended_cleanly()) break;
      return Refuse(request);
    }
    const long value_length = ReadLength(in);
    if (value_length < 0) return Refuse(request);
    char* pair = AllocatePair(name_length, value_length);
    if (pair == nullptr) return Refuse(request);
    unsigned char* into = STANDIN_VARIANT == 3 ? nullptr : reinterpret_cast<unsigned char*>(pair);
    const bool complete = ReadPair(in, into, name_length, value_length);
    if (complete && into != nullptr) accepted_pairs.emplace_back(pair);
    std::free(pair);
    if (!complete) return Refuse(request);
  }
  accepted_envp.clear();
  for (std::string& pair : accepted_pairs) accepted_envp.push_back(&pair[0]);
  accepted_envp.push_back(nullptr);
  request->envp = accepted_envp.data();
  return 0;
}

}  // extern "C"
