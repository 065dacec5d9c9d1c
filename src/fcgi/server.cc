// server.cc: the listening socket, worker accept threads, the supervisor of
// worker processes and the CGI path (see server.h).
#include "fcgi/server.h"

#include <arpa/inet.h>
#include <fcgiapp.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/error.h"
#include "core/thread_name.h"
#include "fcgi/fcgx_body.h"
#include "fcgi/peer_filter.h"
#include "fcgi/request_adapter.h"
#include "fcgi/request_log.h"
#include "web/app.h"
#include "web/private_key_guard.h"
#include "web/responses.h"

namespace sealform::fcgi {

namespace {

using Clock = std::chrono::steady_clock;

// How long poll() waits before re-checking the flags anyway (belt and
// braces: every signal also writes to a pipe that wakes poll at once).
constexpr int kPollTimeoutMs = 1000;
// A worker that dies sooner than this after its start is restarted only
// after kRestartDelay, so a worker that cannot start does not spin.
constexpr auto kMinWorkerLifetime = std::chrono::seconds(1);
constexpr auto kRestartDelay = std::chrono::seconds(1);
// A supervised worker leaves ending a slow stop to its supervisor, and ends
// itself only this much after stop_grace_seconds: should the supervisor be
// gone (PR_SET_PDEATHSIG has sent the SIGTERM), nobody else would.
constexpr auto kSupervisedStopMargin = std::chrono::seconds(5);
// How long one read or write on a connection may wait for the web server.
// It sends a request's records at once and reads the answer at once; a
// connection that stalls (or a local process that connects and says
// nothing) gives up its thread after this long. The limit is per call: a
// peer that sends a byte now and then keeps its thread (sealform-fcgi(8):
// let only the web server connect).
constexpr int kConnectionTimeoutSeconds = 20;
// FCGX_PutStr takes an int: write in chunks.
constexpr std::size_t kWriteChunk = 64 * 1024;
// Unread input up to this size is dropped by sealform itself after the
// answer (so the connection can be closed at once); more is left to libfcgi.
constexpr std::size_t kMaxDrainBytes = 64 * 1024;

std::string errno_text(int error) { return std::strerror(error); }

// ---------------------------------------------------------------------------
// Signals. The handler only sets a flag and writes a byte to a pipe (the
// self-pipe trick); everything else happens in normal code. The handlers are
// installed before FCGX_Init(), which only installs its own where the
// disposition is still the default (PITFALLS 11), so libfcgi never sees
// SIGTERM or SIGUSR1.

static_assert(std::atomic<int>::is_always_lock_free, "flags must be signal-safe");
std::atomic<int> g_stop{0};
std::atomic<int> g_reload{0};
std::atomic<int> g_child{0};
std::atomic<int> g_wake_fd{-1};
UniqueFd g_wake_read;
UniqueFd g_wake_write;

extern "C" void on_signal(int signo) {
  const int saved_errno = errno;
  switch (signo) {
    case SIGTERM:
    case SIGINT:
    case SIGUSR1:  // libfcgi's own meaning: a graceful shutdown
      g_stop = 1;
      break;
    case SIGHUP:
      g_reload = 1;
      break;
    case SIGCHLD:
      g_child = 1;
      break;
    default:
      break;
  }
  const int fd = g_wake_fd.load();
  if (fd >= 0) {
    const char byte = 0;
    const ssize_t ignored = write(fd, &byte, 1);  // full pipe: already awake
    (void)ignored;
  }
  errno = saved_errno;
}

enum class Role { kSupervisor, kForkedWorker, kInProcess };

void set_disposition(int signo, void (*handler)(int)) {
  struct sigaction action {};
  action.sa_handler = handler;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART | (signo == SIGCHLD ? SA_NOCLDSTOP : 0);
  sigaction(signo, &action, nullptr);
}

// A fresh wake pipe and the handlers for `role`. Call with signals blocked
// or before any handler is installed.
void setup_signals(Role role) {
  int fds[2];
  if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) {
    throw Error("cannot create a pipe: " + errno_text(errno));
  }
  g_wake_fd = -1;
  g_wake_read.reset(fds[0]);
  g_wake_write.reset(fds[1]);
  g_wake_fd = fds[1];
  g_stop = 0;
  g_reload = 0;
  g_child = 0;
  set_disposition(SIGPIPE, SIG_IGN);
  set_disposition(SIGTERM, on_signal);
  set_disposition(SIGINT, on_signal);
  set_disposition(SIGUSR1, on_signal);
  // A forked worker leaves reloads to its supervisor.
  set_disposition(SIGHUP, role == Role::kForkedWorker ? SIG_IGN : on_signal);
  set_disposition(SIGCHLD, role == Role::kSupervisor ? on_signal : SIG_DFL);
}

void drain_wake_pipe() {
  char buffer[64];
  while (read(g_wake_read.get(), buffer, sizeof buffer) > 0) {
  }
}

// Blocks the signals setup_signals() handles in the calling thread for its
// lifetime, and so in every thread started meanwhile, which inherits the
// mask. A worker's threads run with them blocked: only the thread that
// waits in wait_for_signal() takes them. A signal handled on a thread
// blocked in a socket read or write ends that call with EINTR despite
// SA_RESTART, since every connection has SO_RCVTIMEO and SO_SNDTIMEO
// (signal(7)), and libfcgi takes EINTR for a broken connection.
class HandledSignalsBlocked {
 public:
  HandledSignalsBlocked() {
    sigset_t handled;
    sigemptyset(&handled);
    for (int signo : {SIGTERM, SIGINT, SIGUSR1, SIGHUP, SIGCHLD}) sigaddset(&handled, signo);
    pthread_sigmask(SIG_BLOCK, &handled, &previous_);
  }
  ~HandledSignalsBlocked() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
  HandledSignalsBlocked(const HandledSignalsBlocked&) = delete;
  HandledSignalsBlocked& operator=(const HandledSignalsBlocked&) = delete;

 private:
  sigset_t previous_;
};

// Waits until a signal arrives or timeout_ms passes (-1: no timeout).
void wait_for_signal(int timeout_ms) {
  pollfd wake{g_wake_read.get(), POLLIN, 0};
  poll(&wake, 1, timeout_ms);
  drain_wake_pipe();
}

// ---------------------------------------------------------------------------
// One worker: the Application and its accept threads.

// The Application requests are answered with. A reload swaps in a new one;
// requests in flight keep the old one alive until they finish.
class AppSlot {
 public:
  explicit AppSlot(std::shared_ptr<web::Application> app) : app_(std::move(app)) {}
  std::shared_ptr<web::Application> get() {
    std::lock_guard<std::mutex> lock(mutex_);
    return app_;
  }
  void set(std::shared_ptr<web::Application> app) {
    std::shared_ptr<web::Application> old;
    std::lock_guard<std::mutex> lock(mutex_);
    old.swap(app_);
    app_ = std::move(app);
  }

 private:
  std::mutex mutex_;
  std::shared_ptr<web::Application> app_;
};

// The one catch site per request: a handler that throws anyway gets one
// complete 500 answer. The exception text is not logged: it could carry
// request data.
web::Response answer(web::Application& app, const web::Request& request, web::BodySource& body) {
  try {
    return app.handle(request, body);
  } catch (...) {
    log_message("request " + request.request_id + ": the handler failed; answering 500");
  }
  web::Response response;
  response.status = 500;
  response.set_header("Content-Type", "text/plain; charset=utf-8");
  web::add_security_headers(response, true);
  response.body = "Internal Server Error\n";
  response.route = "error";
  return response;
}

void put_all(const std::string& data, FCGX_Stream* out) {
  std::size_t done = 0;
  while (done < data.size()) {
    const int n = static_cast<int>(std::min(kWriteChunk, data.size() - done));
    if (FCGX_PutStr(data.data() + done, n, out) != n) return;  // the server went away
    done += static_cast<std::size_t>(n);
  }
}

// Reads and drops what is left of a request's input, at most
// kMaxDrainBytes of it. True if the input ended (FCGI_STDIN's last record).
bool drain_input(FCGX_Stream* in) {
  char scratch[4096];
  std::size_t drained = 0;
  while (FCGX_HasSeenEOF(in) != EOF && drained <= kMaxDrainBytes) {
    const int n = FCGX_GetStr(scratch, static_cast<int>(sizeof scratch), in);
    if (n <= 0) break;  // the end, or an error (Finish then closes as libfcgi does)
    drained += static_cast<std::size_t>(n);
  }
  return FCGX_HasSeenEOF(in) == EOF && FCGX_GetError(in) == 0;
}

void serve_one(FCGX_Request& fcgx, AppSlot& slot) {
  const auto start = Clock::now();
  // build_request copies every value before the next accept or finish
  // frees the parameters (PITFALLS 7).
  const web::Request request =
      build_request([&fcgx](const std::string& name) -> std::optional<std::string> {
        const char* value = FCGX_GetParam(name.c_str(), fcgx.envp);
        if (value == nullptr) return std::nullopt;
        return std::string(value);
      });
  const std::shared_ptr<web::Application> app = slot.get();
  FcgxBody body(fcgx.in);
  const web::Response response = answer(*app, request, body);
  put_all(serialize_response(response, request.method), fcgx.out);
  // Finish sends FCGI_END_REQUEST. libfcgi's own close then shuts down the
  // sending side and waits (in poll, up to 2 s) for the web server to hang
  // up, reading whatever input is left, so that closing on unread data (a
  // body not read for a 413) cannot reset the connection and lose the
  // answer. Once the input has been read to its end there is nothing to
  // guard against: the connection is closed at once, which spares each
  // request that wait and its two context switches. A small body the
  // handler did not need (a 429, 415 or 400 answer) is read and dropped
  // here for that; a larger one (413) is left to libfcgi. If the web server
  // asked to keep the connection (FCGI_KEEP_CONN), it is closed anyway: the
  // next FCGX_Accept_r would otherwise block reading it while holding the
  // accept mutex and would not notice a stop.
  // A body left unread (a 413, 415 or 400 answer) may still be on its way
  // from a front end that streams it, or from a slow client: the answer
  // goes out first, so that it does not wait for the reading below. (A body
  // the handler took needs no extra write: the answer goes with the end.)
  if (!body.taken() && !request.content_length.empty() && request.content_length != "0" &&
      FCGX_HasSeenEOF(fcgx.in) != EOF) {
    FCGX_FFlush(fcgx.out);
  }
  const bool input_at_end = drain_input(fcgx.in);
  fcgx.keepConnection = input_at_end ? 1 : 0;
  FCGX_Finish_r(&fcgx);  // closes (lingering) unless keepConnection and no stream error
  if (fcgx.ipcFd >= 0) {
    ::close(fcgx.ipcFd);
    fcgx.ipcFd = -1;
  }
  FCGX_Free(&fcgx, 1);
  log_request(request.request_id, request.method, response.route, response.status,
              Clock::now() - start);
}

// Puts kConnectionTimeoutSeconds on every read and write of a connection.
void limit_waits(int connection) {
  timeval limit{};
  limit.tv_sec = kConnectionTimeoutSeconds;
  setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  setsockopt(connection, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
}

// Runs in each accept thread until stop_fd becomes readable.
//
// The thread accepts the connection itself and hands it to libfcgi, rather
// than letting FCGX_Accept_r accept: that call goes on to read the
// request's first records, and with the accept mutex held around it, one
// connection that sends nothing would keep every other thread of the
// worker from accepting. So the mutex covers poll and accept only (PITFALLS
// 8: accept serialised), the connection is close-on-exec (the notify
// command must not inherit it) with kConnectionTimeoutSeconds on its reads
// and writes, and libfcgi's request has no listening socket at all: given
// a connection, FCGX_Accept_r reads its records; should they not arrive,
// it closes it and, with nothing to accept on, returns an error.
void accept_loop(int listen_fd, const PeerFilter& peers, int stop_fd, std::mutex& accept_mutex,
                 AppSlot& slot) {
  name_this_thread("sf-request");
  FCGX_Request fcgx;
  if (FCGX_InitRequest(&fcgx, -1, 0) != 0) {
    log_message("cannot initialise a FastCGI request");
    return;
  }
  bool reported = false;
  for (;;) {
    int connection;
    int accept_errno = 0;
    sockaddr_storage peer{};
    socklen_t peer_length = sizeof peer;
    {
      // The listening socket is non-blocking: when another thread or
      // process takes the connection first, accept fails with EAGAIN.
      std::lock_guard<std::mutex> lock(accept_mutex);
      pollfd fds[2] = {{stop_fd, POLLIN, 0}, {listen_fd, POLLIN, 0}};
      if (poll(fds, 2, kPollTimeoutMs) < 0 && errno != EINTR) break;
      if (fds[0].revents != 0) break;
      if (fds[1].revents == 0) continue;
      connection =
          ::accept4(listen_fd, reinterpret_cast<sockaddr*>(&peer), &peer_length, SOCK_CLOEXEC);
      if (connection < 0) accept_errno = errno;
    }
    if (connection < 0) {
      if (accept_errno == EAGAIN || accept_errno == EWOULDBLOCK || accept_errno == EINTR ||
          accept_errno == ECONNABORTED) {
        continue;
      }
      if (!reported) {
        log_message("accept failed: " + errno_text(accept_errno));
        reported = true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));  // e.g. EMFILE
      continue;
    }
    reported = false;
    if (!peers.allows(reinterpret_cast<const sockaddr*>(&peer), peer_length)) {
      close(connection);
      if (const auto line = peers.note_refusal(Clock::now())) log_message(*line);
      continue;
    }
    limit_waits(connection);
    fcgx.ipcFd = connection;
    fcgx.keepConnection = 1;  // so that FCGX_Accept_r's opening Finish_r keeps it open
    if (FCGX_Accept_r(&fcgx) < 0) {
      // Its records did not arrive in time or did not parse: libfcgi has
      // closed the connection. Nothing was asked, so nothing is answered.
      FCGX_Free(&fcgx, 1);
      continue;
    }
    serve_one(fcgx, slot);
  }
  FCGX_Free(&fcgx, 1);
}

// Serves listen_fd until g_stop; reloads the Application on g_reload when
// `reload_here` (inherited-socket mode). setup_signals() has run.
int run_worker(int listen_fd, const PeerFilter& peers, const std::string& config_path,
               const Config& config, bool reload_here) {
  // Every thread this worker starts (the Application's, the accept
  // threads) runs with the handled signals blocked; this one unblocks them
  // once they are all started.
  std::optional<HandledSignalsBlocked> starting_threads(std::in_place);
  std::shared_ptr<web::Application> first;
  try {
    first = web::make_application(config, web::WriterMode::kGroupCommit);
  } catch (const std::exception& e) {
    log_message(e.what());
    return 1;
  }
  if (FCGX_Init() != 0) {
    log_message("cannot initialise libfcgi");
    return 1;
  }
  const int flags = fcntl(listen_fd, F_GETFL);
  if (flags < 0 || fcntl(listen_fd, F_SETFL, flags | O_NONBLOCK) != 0) {
    log_message("cannot make the listening socket non-blocking: " + errno_text(errno));
    return 1;
  }
  // Nothing this worker starts (the notify command) inherits the socket.
  const int fd_flags = fcntl(listen_fd, F_GETFD);
  if (fd_flags < 0 || fcntl(listen_fd, F_SETFD, fd_flags | FD_CLOEXEC) != 0) {
    log_message("cannot make the listening socket close-on-exec: " + errno_text(errno));
    return 1;
  }
  int stop_fds[2];
  if (pipe2(stop_fds, O_CLOEXEC) != 0) {
    log_message("cannot create a pipe: " + errno_text(errno));
    return 1;
  }
  UniqueFd stop_read(stop_fds[0]);
  UniqueFd stop_write(stop_fds[1]);

  AppSlot slot(std::move(first));
  std::mutex accept_mutex;
  std::vector<std::thread> threads;
  // Threads still in their loop, for a stop with a deadline.
  std::mutex running_mutex;
  std::condition_variable running_changed;
  int running = kThreadsPerWorker;
  for (int i = 0; i < kThreadsPerWorker; ++i) {
    threads.emplace_back([&, listen_fd] {
      accept_loop(listen_fd, peers, stop_read.get(), accept_mutex, slot);
      std::lock_guard<std::mutex> lock(running_mutex);
      --running;
      running_changed.notify_all();
    });
  }
  starting_threads.reset();
  int stop_grace_seconds = config.stop_grace_seconds;
  while (g_stop == 0) {
    wait_for_signal(kPollTimeoutMs);
    slot.get()->expire_secrets();
    if (g_reload.exchange(0) != 0 && reload_here && g_stop == 0) {
      try {
        const Config fresh = load_config(config_path);
        web::refuse_unsafe_key_directory(fresh.key_directory);
        std::shared_ptr<web::Application> reloaded;
        {
          const HandledSignalsBlocked starting_app_threads;
          reloaded = web::make_application(fresh, web::WriterMode::kGroupCommit);
        }
        slot.set(std::move(reloaded));
        stop_grace_seconds = fresh.stop_grace_seconds;
        log_message("reloaded " + config_path);
      } catch (const std::exception& e) {
        log_message(std::string("reload failed, keeping the running configuration: ") + e.what());
      }
    }
  }
  // The stop pipe becomes readable for every thread; each finishes the
  // request it is serving, then leaves its loop. A worker whose threads
  // take longer than stop_grace_seconds ends itself (a supervised one
  // kSupervisedStopMargin later, its supervisor kills it first): a thread
  // still reading a connection that sends nothing has no request to lose,
  // an enquiry is answered only once it is durable, and SQLite's journal
  // keeps the database whole whatever the moment.
  stop_write.reset();
  {
    const auto limit = std::chrono::seconds(stop_grace_seconds) +
                       (reload_here ? std::chrono::seconds(0) : kSupervisedStopMargin);
    std::unique_lock<std::mutex> lock(running_mutex);
    if (!running_changed.wait_for(lock, limit, [&] { return running == 0; })) {
      log_message("stopping: " + std::to_string(running) + " of " +
                  std::to_string(kThreadsPerWorker) + " threads still busy after " +
                  std::to_string(stop_grace_seconds) + " s; exiting without them");
      std::_Exit(0);
    }
  }
  for (std::thread& thread : threads) thread.join();
  slot.set(nullptr);  // the last Application: its writer flushes here
  return 0;
}

// ---------------------------------------------------------------------------
// The supervisor.

std::string describe_exit(int status) {
  if (WIFSIGNALED(status)) return "exited on signal " + std::to_string(WTERMSIG(status));
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  return "stopped";
}

class Supervisor {
 public:
  Supervisor(UniqueFd listen_fd, const PeerFilter& peers, std::string config_path,
             const Config& config, int workers, ListenSocketFile& socket_file)
      : listen_fd_(std::move(listen_fd)),
        peers_(peers),
        config_path_(std::move(config_path)),
        config_(config),
        worker_count_(workers),
        socket_file_(socket_file) {}

  void run() {
    for (int i = 0; i < worker_count_; ++i) spawn();
    while (!(stopping_ && workers_.empty())) {
      wait_for_signal(next_timeout_ms());
      if (g_child.exchange(0) != 0) reap();
      if (g_stop != 0 && !stopping_) begin_stop();
      if (g_reload.exchange(0) != 0 && !stopping_) reload();
      run_due_restarts();
      kill_overdue_old_workers();
      if (stopping_ && !killed_ && Clock::now() >= stop_deadline_) kill_remaining();
    }
  }

 private:
  struct Worker {
    int generation;
    Clock::time_point started;
  };
  // After a reload: the workers of `generation` and older must be gone by
  // `when` (stop_grace_seconds of the configuration that reload loaded).
  struct OldWorkersDeadline {
    int generation;
    Clock::time_point when;
    int grace_seconds;
  };

  void spawn() {
    sigset_t all;
    sigset_t previous;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &previous);
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid == 0) {
      int code = 1;
      try {
        setup_signals(Role::kForkedWorker);
#ifdef __linux__
        // If the supervisor is killed outright, its workers drain and exit.
        prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
        sigprocmask(SIG_SETMASK, &previous, nullptr);
        if (getppid() != parent) g_stop = 1;
        code = run_worker(listen_fd_.get(), peers_, config_path_, config_, false);
      } catch (const std::exception& e) {
        log_message(e.what());
      }
      _exit(code);
    }
    const int fork_errno = errno;
    sigprocmask(SIG_SETMASK, &previous, nullptr);
    if (pid < 0) {
      log_message("cannot start a worker: " + errno_text(fork_errno));
      restarts_.push_back(Clock::now() + kRestartDelay);
      return;
    }
    workers_[pid] = Worker{generation_, Clock::now()};
  }

  void reap() {
    int status = 0;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
      auto it = workers_.find(pid);
      if (it == workers_.end()) continue;
      const Worker worker = it->second;
      workers_.erase(it);
      const std::string what = "worker " + std::to_string(pid) + " " + describe_exit(status);
      const bool clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
      if (stopping_ || worker.generation != generation_) {
        if (!clean) log_message(what);
        continue;
      }
      if (Clock::now() - worker.started < kMinWorkerLifetime) {
        log_message(what + "; starting a new one in 1 s");
        restarts_.push_back(Clock::now() + kRestartDelay);
      } else {
        log_message(what + "; starting a new one");
        spawn();
      }
    }
  }

  void begin_stop() {
    stopping_ = true;
    restarts_.clear();
    // No worker accepts again: connections that would queue meanwhile and
    // be reset at the end are refused at once instead (unix socket).
    socket_file_.remove();
    log_message("stopping: letting " + std::to_string(workers_.size()) +
                " workers finish their requests");
    signal_workers(SIGTERM, -1);
    stop_deadline_ = Clock::now() + std::chrono::seconds(config_.stop_grace_seconds);
  }

  void kill_remaining() {
    log_message("workers still busy after " + std::to_string(config_.stop_grace_seconds) +
                " s; killing them");
    signal_workers(SIGKILL, -1);
    killed_ = true;
  }

  // Reload without dropping a request: check the new configuration (and
  // that an Application can be built from it: keys readable, templates
  // present), start a new generation on the same socket, then let the old
  // one drain. Both accept on the socket meanwhile.
  void reload() {
    Config fresh;
    try {
      fresh = load_config(config_path_);
      web::refuse_unsafe_key_directory(fresh.key_directory);
      web::make_application(fresh, web::WriterMode::kDirect).reset();
    } catch (const std::exception& e) {
      log_message(std::string("reload failed, keeping the running workers: ") + e.what());
      return;
    }
    config_ = fresh;
    const int old_generation = generation_++;
    restarts_.clear();
    log_message("reloading " + config_path_ + ": starting " + std::to_string(worker_count_) +
                " new workers");
    for (int i = 0; i < worker_count_; ++i) spawn();
    signal_workers(SIGTERM, old_generation);
    // The new deadline covers every older generation too: one that ends
    // later (a longer grace before) gives way, so the list stays in time
    // order and a shorter grace takes effect.
    const OldWorkersDeadline deadline{
        old_generation, Clock::now() + std::chrono::seconds(config_.stop_grace_seconds),
        config_.stop_grace_seconds};
    old_deadlines_.erase(std::remove_if(old_deadlines_.begin(), old_deadlines_.end(),
                                        [&](const OldWorkersDeadline& earlier) {
                                          return earlier.when >= deadline.when;
                                        }),
                         old_deadlines_.end());
    old_deadlines_.push_back(deadline);
  }

  // Old workers still running stop_grace_seconds (of the configuration
  // the reload loaded) after a reload told them to stop are killed, as on
  // stop: each keeps an Application (keys, connections).
  void kill_overdue_old_workers() {
    const auto now = Clock::now();
    while (!old_deadlines_.empty() && old_deadlines_.front().when <= now) {
      const OldWorkersDeadline due = old_deadlines_.front();
      const int generation = due.generation;
      old_deadlines_.erase(old_deadlines_.begin());
      bool any = false;
      for (const auto& [pid, worker] : workers_) any = any || worker.generation <= generation;
      if (!any) continue;
      log_message("old workers still busy " + std::to_string(due.grace_seconds) +
                  " s after the reload; killing them");
      signal_workers(SIGKILL, generation);
    }
  }

  void run_due_restarts() {
    if (stopping_) return;
    const auto now = Clock::now();
    auto due = [now](Clock::time_point when) { return when <= now; };
    const auto count = std::count_if(restarts_.begin(), restarts_.end(), due);
    restarts_.erase(std::remove_if(restarts_.begin(), restarts_.end(), due), restarts_.end());
    for (long i = 0; i < count; ++i) spawn();
  }

  // Signals the workers of one generation up to `generation` (-1: all).
  void signal_workers(int signo, int generation) {
    for (const auto& [pid, worker] : workers_) {
      if (generation < 0 || worker.generation <= generation) kill(pid, signo);
    }
  }

  int next_timeout_ms() const {
    std::optional<Clock::time_point> next;
    for (const auto& when : restarts_) {
      if (!next || when < *next) next = when;
    }
    if (stopping_ && !killed_ && (!next || stop_deadline_ < *next)) next = stop_deadline_;
    if (!old_deadlines_.empty() && (!next || old_deadlines_.front().when < *next)) {
      next = old_deadlines_.front().when;
    }
    if (!next) return -1;
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(*next - Clock::now()).count();
    return static_cast<int>(std::clamp<long long>(ms + 1, 0, kPollTimeoutMs * 60));
  }

  UniqueFd listen_fd_;
  const PeerFilter& peers_;
  std::string config_path_;
  Config config_;
  int worker_count_;
  ListenSocketFile& socket_file_;  // removed when a stop begins
  int generation_ = 0;
  std::map<pid_t, Worker> workers_;
  std::vector<Clock::time_point> restarts_;
  bool stopping_ = false;
  bool killed_ = false;
  Clock::time_point stop_deadline_;
  // Per reload, oldest first: the generation it retired (and all before
  // it), and when their workers must be gone.
  std::vector<OldWorkersDeadline> old_deadlines_;
};

// ---------------------------------------------------------------------------
// Opening the socket.

void bind_unix(int fd, const std::string& path, const SocketOptions& options) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof address.sun_path) {
    throw Error("--listen: unix socket path is empty or too long: " + path);
  }
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  const auto* raw = reinterpret_cast<const sockaddr*>(&address);

  struct stat existing {};
  if (lstat(path.c_str(), &existing) == 0) {
    if (!S_ISSOCK(existing.st_mode)) throw Error(path + " exists and is not a socket");
    // Remove a socket file left by a dead process, but never one that a
    // live process still listens on.
    UniqueFd probe(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!probe.valid()) throw Error("socket: " + errno_text(errno));
    if (connect(probe.get(), raw, sizeof address) == 0) {
      throw Error(path + ": another process is listening on it");
    }
    if (errno != ECONNREFUSED) throw Error(path + ": " + errno_text(errno));
    if (unlink(path.c_str()) != 0)
      throw Error("cannot remove stale " + path + ": " + errno_text(errno));
  }

  // Created owner-only, then opened up to the requested group and mode.
  const mode_t previous = umask(0177);
  const int rc = bind(fd, raw, sizeof address);
  const int bind_errno = errno;
  umask(previous);
  if (rc != 0) throw Error("cannot bind " + path + ": " + errno_text(bind_errno));
  if (options.group && chown(path.c_str(), static_cast<uid_t>(-1), *options.group) != 0) {
    const int error = errno;
    unlink(path.c_str());
    throw Error("cannot set the group of " + path + ": " + errno_text(error));
  }
  if (chmod(path.c_str(), options.mode) != 0) {
    const int error = errno;
    unlink(path.c_str());
    throw Error("cannot set the mode of " + path + ": " + errno_text(error));
  }
}

UniqueFd open_tcp(const ListenSpec& spec) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
  addrinfo* found = nullptr;
  const int gai = getaddrinfo(spec.host.c_str(), spec.port.c_str(), &hints, &found);
  if (gai != 0) {
    throw Error("--listen: " + spec.host + ":" + spec.port + ": " + gai_strerror(gai));
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owner(found, &freeaddrinfo);
  UniqueFd fd(socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) throw Error("socket: " + errno_text(errno));
  const int on = 1;
  setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (bind(fd.get(), found->ai_addr, found->ai_addrlen) != 0) {
    throw Error("cannot bind " + spec.host + ":" + spec.port + ": " + errno_text(errno));
  }
  return fd;
}

}  // namespace

// ---------------------------------------------------------------------------
// Public functions.

ListenSpec parse_listen(const std::string& text) {
  ListenSpec spec;
  if (text.compare(0, 5, "unix:") == 0) {
    spec.is_unix = true;
    spec.path = text.substr(5);
    if (spec.path.empty() || spec.path[0] != '/') {
      throw Error("--listen: the unix socket path must be absolute: " + text);
    }
    return spec;
  }
  spec.is_unix = false;
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    throw Error("--listen: expected unix:/path or ADDRESS:PORT, got " + text);
  }
  spec.host = text.substr(0, colon);
  spec.port = text.substr(colon + 1);
  if (spec.host.size() >= 2 && spec.host.front() == '[' && spec.host.back() == ']') {
    spec.host = spec.host.substr(1, spec.host.size() - 2);
  }
  const bool digits = !spec.port.empty() && spec.port.size() <= 5 &&
                      spec.port.find_first_not_of("0123456789") == std::string::npos;
  if (!digits || std::stoi(spec.port) < 1 || std::stoi(spec.port) > 65535) {
    throw Error("--listen: bad port in " + text);
  }
  in_addr v4{};
  in6_addr v6{};
  if (inet_pton(AF_INET, spec.host.c_str(), &v4) == 1) {
    if (v4.s_addr == htonl(INADDR_ANY)) {
      throw Error("--listen: refusing the wildcard address 0.0.0.0; use 127.0.0.1");
    }
  } else if (inet_pton(AF_INET6, spec.host.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_UNSPECIFIED(&v6)) {
      throw Error("--listen: refusing the wildcard address ::; use ::1");
    }
  } else {
    throw Error("--listen: the address must be numeric (e.g. 127.0.0.1): " + spec.host);
  }
  return spec;
}

UniqueFd open_listen_socket(const ListenSpec& spec, const SocketOptions& options) {
  UniqueFd fd;
  if (spec.is_unix) {
    fd.reset(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd.valid()) throw Error("socket: " + errno_text(errno));
    bind_unix(fd.get(), spec.path, options);
  } else {
    fd = open_tcp(spec);
  }
  if (listen(fd.get(), SOMAXCONN) != 0) throw Error("listen: " + errno_text(errno));
  return fd;
}

bool is_listening_socket(int fd) {
  int accepting = 0;
  socklen_t length = sizeof accepting;
  return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &length) == 0 && accepting != 0;
}

ListenSocketFile::ListenSocketFile(const ListenSpec& spec) {
  struct stat created {};
  if (spec.is_unix && stat(spec.path.c_str(), &created) == 0) {
    path_ = spec.path;
    device_ = created.st_dev;
    inode_ = created.st_ino;
  }
}

void ListenSocketFile::remove() {
  struct stat now {};
  if (!path_.empty() && stat(path_.c_str(), &now) == 0 && now.st_dev == device_ &&
      now.st_ino == inode_ && unlink(path_.c_str()) != 0) {
    // Typically a directory the --user cannot write: the next start (as
    // root) removes the file as one left by a dead process.
    log_message("cannot remove " + path_ + ": " + errno_text(errno) +
                " (the socket's directory must be writable by the --user)");
  }
  path_.clear();
}

int run_supervisor(UniqueFd listen_fd, const PeerFilter& peers, const ListenSpec& spec,
                   const std::string& config_path, const Config& config, int workers,
                   ListenSocketFile& socket_file) {
  setup_signals(Role::kSupervisor);
  log_message("listening on " + (spec.is_unix ? "unix:" + spec.path : spec.host + ":" + spec.port) +
              ": " + std::to_string(workers) + " worker processes, " +
              std::to_string(kThreadsPerWorker) + " threads each");
  Supervisor supervisor(std::move(listen_fd), peers, config_path, config, workers, socket_file);
  supervisor.run();
  log_message("stopped");
  return 0;
}

int serve_workers_in_process(int listen_fd, const PeerFilter& peers, const std::string& config_path,
                             const Config& config) {
  setup_signals(Role::kInProcess);
  const int code = run_worker(listen_fd, peers, config_path, config, true);
  if (code == 0) log_message("stopped");
  return code;
}

int serve_cgi(const Config& config) {
  set_disposition(SIGPIPE, SIG_IGN);
  const std::unique_ptr<web::Application> app =
      web::make_application(config, web::WriterMode::kDirect);
  const auto start = Clock::now();
  const web::Request request =
      build_request([](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        if (value == nullptr) return std::nullopt;
        return std::string(value);
      });
  StdioBody body(stdin);
  const web::Response response = answer(*app, request, body);
  const std::string out = serialize_response(response, request.method);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  log_request(request.request_id, request.method, response.route, response.status,
              Clock::now() - start);
  return 0;
}

}  // namespace sealform::fcgi
