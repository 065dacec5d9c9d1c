// server.h: the serving half of sealform-fcgi: the listening socket, the
// accept threads of a worker, the supervisor of worker processes, and the
// one-shot CGI path.
//
// Three ways to run (main.cc picks one):
//   - run_supervisor(): sealform-fcgi opened the socket itself (--listen).
//     The parent keeps the socket, forks N worker processes and replaces any
//     that dies; SIGHUP starts a new generation and drains the old one;
//     SIGTERM/SIGINT drain every worker, then the parent exits 0.
//   - serve_workers_in_process(): the socket was inherited (fd 0 from
//     spawn-fcgi or mod_fcgid, fd 3 from systemd). This process is the one
//     worker; SIGHUP builds a fresh Application and swaps it in (requests in
//     flight finish on the old one); SIGTERM drains and returns 0.
//   - serve_cgi(): one request from the environment and stdin.
// A worker runs kThreadsPerWorker accept threads, one FCGX_Request each,
// with FCGX_Accept_r serialised by a mutex (only the _r functions are
// thread-safe, PITFALLS 8). The listening socket is made non-blocking and
// polled together with a stop pipe before every accept, so a stop request
// is noticed at once and no thread is left blocked in accept().
// These functions own the process's signal dispositions; call them from the
// main thread of a process that has started no other thread.
#ifndef SEALFORM_FCGI_SERVER_H_
#define SEALFORM_FCGI_SERVER_H_

#include <sys/types.h>
#include <unistd.h>

#include <optional>
#include <string>

#include "core/config.h"
#include "core/unique_fd.h"
#include "fcgi/peer_filter.h"

namespace sealform::fcgi {

// Accept threads per worker process; each serves one request at a time. A
// thread whose submission waits for the group commit holds its slot, so
// the number of threads bounds how many submissions can share one commit:
// 16 gave durable POSTs about an eighth more throughput than 8 (README,
// Performance) at about 1 MiB more RSS per worker.
constexpr int kThreadsPerWorker = 16;

using sealform::UniqueFd;

// Where --listen points: "unix:/path/to.sock" or "ADDRESS:PORT" with a
// numeric address ("127.0.0.1:9000", "[::1]:9000"). A wildcard address
// (0.0.0.0, ::) is refused: the socket is for the web server alone.
struct ListenSpec {
  bool is_unix = true;
  std::string path;  // unix
  std::string host;  // tcp, numeric, without brackets
  std::string port;  // tcp
};

// Parses the --listen value. Throws sealform::Error with a one-line message.
ListenSpec parse_listen(const std::string& text);

struct SocketOptions {
  mode_t mode = 0660;          // unix socket file mode (--socket-mode)
  std::optional<gid_t> group;  // unix socket file group (--socket-group)
};

// Creates, binds and listens. A unix socket file left behind by a dead
// process is removed first; one that a live process listens on is an error.
// The file is created under umask 0177 (owner only), then given its group
// and mode, so it is never more open than asked. Throws sealform::Error.
UniqueFd open_listen_socket(const ListenSpec& spec, const SocketOptions& options);

// The unix socket file open_listen_socket() made, removed when this goes
// out of scope, whether sealform-fcgi stops or fails before serving (a bad
// configuration, an unreadable key), if the path still names that file: a
// process started meanwhile may have replaced it. Nothing for TCP.
class ListenSocketFile {
 public:
  explicit ListenSocketFile(const ListenSpec& spec);
  ~ListenSocketFile() { remove(); }
  // Removes it now (at the start of a graceful stop: a web server's new
  // connections then fail at once rather than wait in the queue of a
  // socket no worker will accept on again). Idempotent.
  void remove();
  ListenSocketFile(const ListenSocketFile&) = delete;
  ListenSocketFile& operator=(const ListenSocketFile&) = delete;

 private:
  std::string path_;  // "" when there is nothing to remove
  dev_t device_ = 0;
  ino_t inode_ = 0;
};

// True if fd is a socket in the listening state (the FastCGI convention for
// fd 0, FCGI_LISTENSOCK_FILENO).
bool is_listening_socket(int fd);

// --listen mode. `config` was loaded (and an Application built and dropped)
// by the caller; it is what the first generation of workers use. `peers`
// (peer_filter_for(listen_fd)) decides which peers are served; the caller
// keeps it alive until this returns. A stop removes `socket_file` at once.
// Returns the process exit status once every worker has stopped.
int run_supervisor(UniqueFd listen_fd, const PeerFilter& peers, const ListenSpec& spec,
                   const std::string& config_path, const Config& config, int workers,
                   ListenSocketFile& socket_file);

// Inherited-socket mode: serves listen_fd in this process until SIGTERM,
// SIGINT or SIGUSR1 (graceful), reloading on SIGHUP. Returns the exit
// status: 1 if the Application cannot be built, else 0.
int serve_workers_in_process(int listen_fd, const PeerFilter& peers, const std::string& config_path,
                             const Config& config);

// CGI mode: answers the one request in the environment (RFC 3875) with a
// kDirect Application. Throws sealform::Error if the Application cannot be
// built; returns 0 once the response is written.
int serve_cgi(const Config& config);

}  // namespace sealform::fcgi

#endif  // SEALFORM_FCGI_SERVER_H_
