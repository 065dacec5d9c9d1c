// passphrase.cc: reading a private key's passphrase (passphrase.h).
#include "admin/passphrase.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "core/error.h"
#include "core/secret.h"
#include "core/unique_fd.h"

namespace sealform::admin {
namespace {

// The longest passphrase line read, in bytes (its buffer is reserved once):
// OpenSSL hands a PEM passphrase callback a buffer of PEM_BUFSIZE (1024)
// bytes, so a longer passphrase could protect a key but never open it.
constexpr std::size_t kMaxPassphrase = 1024;

// Reads one line from `fd` into `line` a byte at a time with read(2), so
// that no stdio or iostream buffer ever holds the passphrase and `line`
// never grows past its reserved buffer (which its owner wipes, secret.h).
void read_secret_line(int fd, const std::string& what, std::string& line) {
  line.reserve(kMaxPassphrase + 1);
  char c = 0;
  for (;;) {
    const ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      wipe(line);
      throw Error("cannot read " + what + ": " + std::strerror(error));
    }
    if (n == 0 || c == '\n') break;
    if (line.size() == kMaxPassphrase) {
      wipe(line);
      throw Error("the passphrase in " + what + " is longer than " +
                  std::to_string(kMaxPassphrase) + " bytes");
    }
    line.push_back(c);
  }
  OPENSSL_cleanse(&c, sizeof c);
}

// The terminal's mode before the prompt turned echo off, for the signal
// handler below.
termios g_mode_before_prompt;

// Ctrl-C (or a kill) at the prompt must not leave the terminal without
// echo: put the mode back (tcsetattr is async-signal-safe), then die of
// the signal as before.
extern "C" void restore_echo_and_reraise(int signo) {
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_mode_before_prompt);
  ::signal(signo, SIG_DFL);
  ::raise(signo);
}

// Echo off on the terminal for its lifetime, and back on at its end or at
// SIGINT, SIGTERM, SIGQUIT or SIGHUP.
class EchoOff {
 public:
  EchoOff() {
    tcgetattr(STDIN_FILENO, &g_mode_before_prompt);
    struct sigaction restore {};
    restore.sa_handler = restore_echo_and_reraise;
    sigemptyset(&restore.sa_mask);
    for (std::size_t i = 0; i < kSignals.size(); ++i) {
      sigaction(kSignals[i], &restore, &previous_[i]);
    }
    termios quiet = g_mode_before_prompt;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  ~EchoOff() {
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_mode_before_prompt);
    for (std::size_t i = 0; i < kSignals.size(); ++i) {
      sigaction(kSignals[i], &previous_[i], nullptr);
    }
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  static constexpr std::array<int, 4> kSignals = {SIGINT, SIGTERM, SIGQUIT, SIGHUP};
  std::array<struct sigaction, 4> previous_{};
};

}  // namespace

std::string read_new_passphrase() {
  std::string first = read_passphrase_file("");
  std::cerr << "Again, to confirm: " << std::flush;
  std::string second;
  try {
    second = read_passphrase_file("", true);
  } catch (...) {
    wipe(first);
    throw;
  }
  const bool same = first.size() == second.size() &&
                    CRYPTO_memcmp(first.data(), second.data(), first.size()) == 0;
  wipe(second);
  if (!same) {
    wipe(first);
    throw Error("the two passphrases differ; nothing was changed");
  }
  return first;
}

std::string read_passphrase_file(const std::string& path, bool quiet_prompt) {
  std::string line;
  if (!path.empty()) {
    const UniqueFd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!file.valid()) {
      throw Error("cannot read passphrase file " + path + ": " + std::strerror(errno));
    }
    // A secret others can read is refused, as a private key is (DESIGN).
    struct stat info {};
    if (::fstat(file.get(), &info) != 0) {
      throw Error("cannot read passphrase file " + path + ": " + std::strerror(errno));
    }
    if ((info.st_mode & 0077) != 0) {
      char mode[8];
      std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 07777));
      throw Error("passphrase file " + path + " has mode " + mode +
                  ": group and others must have no access (chmod 0600)");
    }
    read_secret_line(file.get(), "passphrase file " + path, line);
  } else {
    if (!isatty(STDIN_FILENO))
      throw Error("no terminal to ask for a passphrase; use --passphrase-file");
    if (!quiet_prompt) std::cerr << "Passphrase for the private key: " << std::flush;
    {
      const EchoOff echo_off;
      read_secret_line(STDIN_FILENO, "the terminal", line);
    }
    std::cerr << "\n";
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) throw Error("the passphrase is empty");
  return line;
}

}  // namespace sealform::admin
