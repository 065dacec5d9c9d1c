// passphrase.cc: reading a private key's passphrase (passphrase.h).
#include "admin/passphrase.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "core/error.h"
#include "core/secret.h"
#include "core/unique_fd.h"

namespace sealform::admin {
namespace {

// The longest passphrase line read, in bytes (its buffer is reserved once).
constexpr std::size_t kMaxPassphrase = 4095;

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

}  // namespace

std::string read_passphrase_file(const std::string& path) {
  std::string line;
  if (!path.empty()) {
    const UniqueFd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!file.valid()) {
      throw Error("cannot read passphrase file " + path + ": " + std::strerror(errno));
    }
    read_secret_line(file.get(), "passphrase file " + path, line);
  } else {
    if (!isatty(STDIN_FILENO))
      throw Error("no terminal to ask for a passphrase; use --passphrase-file");
    termios old_mode{};
    tcgetattr(STDIN_FILENO, &old_mode);
    termios quiet = old_mode;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    std::cerr << "Passphrase for the private key: " << std::flush;
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    try {
      read_secret_line(STDIN_FILENO, "the terminal", line);
    } catch (...) {
      tcsetattr(STDIN_FILENO, TCSAFLUSH, &old_mode);
      throw;
    }
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &old_mode);
    std::cerr << "\n";
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) throw Error("the passphrase is empty");
  return line;
}

}  // namespace sealform::admin
