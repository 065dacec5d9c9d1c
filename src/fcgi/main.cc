// main.cc: sealform-fcgi's command line: picks how to serve (a socket of its
// own under a supervisor, an inherited socket, or one CGI request) and
// turns a bad config or key into one line on stderr and exit status 1.
//
// Exit status: 0 after a graceful stop or a CGI answer, 1 when the
// configuration, the keys or the socket cannot be set up, 2 for a usage
// error.
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/error.h"
#include "fcgi/malloc_tuning.h"
#include "fcgi/peer_filter.h"
#include "fcgi/request_log.h"
#include "fcgi/server.h"
#include "web/app.h"
#include "web/private_key_guard.h"

namespace sealform::fcgi {
namespace {

constexpr char kVersion[] = "0.1.0";  // keep equal to AC_INIT in configure.ac
constexpr int kMaxWorkers = 256;
// systemd socket activation (sd_listen_fds(3)): the first passed fd.
constexpr int kListenFdsStart = 3;

constexpr char kUsage[] =
    "usage: sealform-fcgi [--config FILE] --listen unix:/path/to.sock|ADDRESS:PORT\n"
    "                     [--workers N] [--socket-mode MODE] [--socket-group GROUP]\n"
    "                     [--user USER]\n"
    "       sealform-fcgi [--config FILE]   (FastCGI on an inherited socket: fd 0, or\n"
    "                                        fd 3 with LISTEN_FDS=1; or one CGI request\n"
    "                                        when GATEWAY_INTERFACE is set)\n"
    "       sealform-fcgi --help | --version\n"
    "The config file defaults to $SEALFORM_CONFIG, then the compiled-in path.\n"
    "--user: started as root, open the socket, then run as USER (and its groups).\n"
    "sealform-fcgi refuses to run if it can read a private seal key (root always can).\n";

struct Options {
  std::string config;
  std::string listen;
  int workers = 0;  // 0: one per online CPU
  std::optional<mode_t> socket_mode;
  std::optional<gid_t> socket_group;
  std::string user;
  bool help = false;
  bool version = false;
};

// Thrown for a usage error: exit status 2.
class UsageError : public Error {
 public:
  explicit UsageError(const std::string& message) : Error(message) {}
};

int parse_workers(const std::string& text) {
  if (text.empty() || text.size() > 3 ||
      text.find_first_not_of("0123456789") != std::string::npos || std::stoi(text) < 1 ||
      std::stoi(text) > kMaxWorkers) {
    throw UsageError("--workers: expected a number from 1 to " + std::to_string(kMaxWorkers));
  }
  return std::stoi(text);
}

mode_t parse_mode(const std::string& text) {
  if (text.empty() || text.size() > 4 || text.find_first_not_of("01234567") != std::string::npos) {
    throw UsageError("--socket-mode: expected an octal mode such as 0660");
  }
  const unsigned long mode = std::strtoul(text.c_str(), nullptr, 8);
  if (mode > 0777) throw UsageError("--socket-mode: only permission bits (at most 0777)");
  return static_cast<mode_t>(mode);
}

gid_t parse_group(const std::string& text) {
  if (!text.empty() && text.size() <= 9 &&
      text.find_first_not_of("0123456789") == std::string::npos) {
    return static_cast<gid_t>(std::stoul(text));
  }
  std::vector<char> buffer(16384);
  group entry{};
  group* found = nullptr;
  if (text.empty() || getgrnam_r(text.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 ||
      found == nullptr) {
    throw UsageError("--socket-group: no such group: " + text);
  }
  return found->gr_gid;
}

Options parse_options(int argc, char** argv) {
  enum { kConfig = 1, kListen, kWorkers, kSocketMode, kSocketGroup, kUser, kHelp, kVersionOpt };
  static const option kLong[] = {
      {"config", required_argument, nullptr, kConfig},
      {"listen", required_argument, nullptr, kListen},
      {"workers", required_argument, nullptr, kWorkers},
      {"socket-mode", required_argument, nullptr, kSocketMode},
      {"socket-group", required_argument, nullptr, kSocketGroup},
      {"user", required_argument, nullptr, kUser},
      {"help", no_argument, nullptr, kHelp},
      {"version", no_argument, nullptr, kVersionOpt},
      {nullptr, 0, nullptr, 0},
  };
  Options options;
  opterr = 0;  // one message of our own instead of getopt's
  int c;
  while ((c = getopt_long(argc, argv, "", kLong, nullptr)) != -1) {
    switch (c) {
      case kConfig:
        options.config = optarg;
        break;
      case kListen:
        options.listen = optarg;
        break;
      case kWorkers:
        options.workers = parse_workers(optarg);
        break;
      case kSocketMode:
        options.socket_mode = parse_mode(optarg);
        break;
      case kSocketGroup:
        options.socket_group = parse_group(optarg);
        break;
      case kUser:
        options.user = optarg;
        break;
      case kHelp:
        options.help = true;
        break;
      case kVersionOpt:
        options.version = true;
        break;
      default:
        throw UsageError("unknown option or missing value: " + std::string(argv[optind - 1]));
    }
  }
  if (optind < argc) throw UsageError("unexpected argument: " + std::string(argv[optind]));
  if (options.listen.empty() &&
      (options.workers != 0 || options.socket_mode || options.socket_group)) {
    throw UsageError("--workers, --socket-mode and --socket-group need --listen");
  }
  return options;
}

// Privileged work first, then drop what is not needed: after the socket is
// open, a process started as root becomes USER (its uid, gid and groups)
// for good. Without --user nothing changes.
void drop_privileges(const std::string& user) {
  if (user.empty()) return;
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* found = nullptr;
  if (getpwnam_r(user.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 ||
      found == nullptr) {
    throw UsageError("--user: no such user: " + user);
  }
  if (geteuid() != 0) {
    if (geteuid() == found->pw_uid) return;
    throw Error("--user " + user + " needs to be started as root");
  }
  if (initgroups(found->pw_name, found->pw_gid) != 0 || setgid(found->pw_gid) != 0 ||
      setuid(found->pw_uid) != 0) {
    throw Error("cannot switch to user " + user + ": " + std::strerror(errno));
  }
  if (setuid(0) == 0) throw Error("could regain root after switching to " + user);
}

// The checks every mode makes before it answers anything: the web tier
// must not be able to decrypt (no readable private key), and a bad config
// or an unreadable key stops the program. Builds (then drops) one
// Application to prove the keys, templates and database are usable.
Config load_and_check(const std::string& config_path) {
  Config config = load_config(config_path);
  web::refuse_unsafe_key_directory(config.key_directory);
  web::make_application(config, web::WriterMode::kDirect).reset();
  return config;
}

// The socket systemd passed (LISTEN_FDS/LISTEN_PID), or -1.
int systemd_socket() {
  const char* pid = std::getenv("LISTEN_PID");
  const char* fds = std::getenv("LISTEN_FDS");
  if (pid == nullptr || fds == nullptr || std::to_string(getpid()) != pid) return -1;
  const std::string count = fds;
  // Not for our children (sd_listen_fds(3) does the same).
  unsetenv("LISTEN_PID");
  unsetenv("LISTEN_FDS");
  unsetenv("LISTEN_FDNAMES");
  if (count != "1") throw Error("LISTEN_FDS=" + count + ": expected exactly one socket");
  if (!is_listening_socket(kListenFdsStart)) {
    throw Error("LISTEN_FDS=1 but fd 3 is not a listening socket");
  }
  return kListenFdsStart;
}

// The peers the socket serves (FCGI_WEB_SERVER_ADDRS); its warnings go to
// the log. Throws sealform::Error if the variable is malformed.
PeerFilter checked_peer_filter(int listen_fd) {
  std::vector<std::string> notes;
  PeerFilter peers = peer_filter_for(listen_fd, notes);
  for (const std::string& note : notes) log_message(note);
  return peers;
}

int run(int argc, char** argv) {
  const Options options = parse_options(argc, argv);
  if (options.help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (options.version) {
    std::printf("sealform-fcgi %s\n", kVersion);
    return 0;
  }
  const std::string config_path = resolve_config_path(options.config);

  if (!options.listen.empty()) {
    ListenSpec spec;
    try {
      spec = parse_listen(options.listen);
    } catch (const Error& e) {
      throw UsageError(e.what());
    }
    SocketOptions socket_options;
    if (options.socket_mode) socket_options.mode = *options.socket_mode;
    socket_options.group = options.socket_group;
    UniqueFd listen_fd = open_listen_socket(spec, socket_options);
    ListenSocketFile socket_file(spec);  // removed on the way out, failure or stop
    const PeerFilter peers = checked_peer_filter(listen_fd.get());
    drop_privileges(options.user);
    const Config config = load_and_check(config_path);
    long workers = options.workers;
    if (workers == 0) workers = std::max(1L, sysconf(_SC_NPROCESSORS_ONLN));
    return run_supervisor(std::move(listen_fd), peers, spec, config_path, config,
                          static_cast<int>(std::min<long>(workers, kMaxWorkers)), socket_file);
  }

  drop_privileges(options.user);
  int inherited = systemd_socket();
  if (inherited < 0 && is_listening_socket(STDIN_FILENO)) inherited = STDIN_FILENO;
  if (inherited >= 0) {
    const PeerFilter peers = checked_peer_filter(inherited);
    const Config config = load_and_check(config_path);
    return serve_workers_in_process(inherited, peers, config_path, config);
  }

  // RFC 3875: the server sets GATEWAY_INTERFACE for a CGI program; stdin
  // is then the body (a pipe or a file), not a listening socket.
  if (std::getenv("GATEWAY_INTERFACE") != nullptr) {
    // One request: serve_cgi builds the only Application it needs.
    Config config = load_config(config_path);
    web::refuse_unsafe_key_directory(config.key_directory);
    return serve_cgi(config);
  }
  throw UsageError("no --listen, no inherited socket and not run as CGI");
}

}  // namespace
}  // namespace sealform::fcgi

int main(int argc, char** argv) {
  sealform::fcgi::tune_malloc_for_threads();
  // The database files it creates (enquiries.db and its -wal, -shm and lock
  // files) hold personal data, if sealed: owner only, whoever started it
  // (systemd's UMask=0077 says the same; spawn-fcgi, mod_fcgid and CGI
  // pass on their own umask).
  umask(0077);
#ifdef __linux__
  // No core dump, and no ptrace by other processes of the same user: a
  // worker's memory holds the enquiries in flight and the current chain
  // key of its sealing session (web/wrap_sessions.h).
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
  try {
    return sealform::fcgi::run(argc, argv);
  } catch (const sealform::fcgi::UsageError& e) {
    std::fprintf(stderr, "sealform-fcgi: %s\n%s", e.what(), sealform::fcgi::kUsage);
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sealform-fcgi: %s\n", e.what());
    return 1;
  }
}
