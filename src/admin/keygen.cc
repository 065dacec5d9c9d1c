// keygen.cc: `sealform-admin keygen`: the web secret and a seal key pair.
//
// Creates the key directory's files with safe modes (keys.h): web.secret
// 0640 and seal-<id>.pub 0644 for the web group, seal-<id>.key 0600 for the
// owner only; never overwrites an existing file. With --passphrase-file (or
// --passphrase-prompt on a terminal) the private key is encrypted.
#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "admin/commands.h"
#include "core/keys.h"
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
    if (n < 0) throw Error("cannot read " + what + ": " + std::strerror(errno));
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

int cmd_keygen(const Invocation& inv) {
  std::string passphrase_file;
  bool prompt = false;
  for (std::size_t i = 0; i < inv.args.size(); ++i) {
    const std::string& arg = inv.args[i];
    if (arg == "--passphrase-file" && i + 1 < inv.args.size()) {
      passphrase_file = inv.args[++i];
    } else if (arg == "--passphrase-prompt") {
      prompt = true;
    } else {
      throw UsageError("keygen: unexpected argument '" + arg + "'");
    }
  }
  const Config config = load_config(resolve_config_path(inv.config_path));
  const std::string& dir = config.key_directory;
  if (mkdir(dir.c_str(), 0750) != 0 && errno != EEXIST) {
    throw Error("cannot create key directory " + dir + ": " + std::strerror(errno));
  }
  std::optional<std::string> passphrase;
  if (!passphrase_file.empty() || prompt) passphrase = read_passphrase_file(passphrase_file);
  struct WipeOnExit {
    std::optional<std::string>& text;
    ~WipeOnExit() {
      if (text) wipe(*text);
    }
  } wipe_passphrase{passphrase};

  if (create_web_secret(dir)) {
    std::cout << "created " << web_secret_path(dir) << " (mode 0640)\n";
  } else {
    std::cout << "kept existing " << web_secret_path(dir) << "\n";
  }
  const std::vector<std::string> existing = list_key_ids(dir);
  if (!existing.empty()) {
    std::cout << "kept existing seal key pair(s): ";
    for (std::size_t i = 0; i < existing.size(); ++i) std::cout << (i ? ", " : "") << existing[i];
    std::cout << " (use `keys rotate` for a new pair)\n";
    return kOk;
  }
  const std::string id = create_seal_key_pair(dir, passphrase);
  std::cout << "created " << public_key_path(dir, id) << " (mode 0644)\n"
            << "created " << private_key_path(dir, id) << " (mode 0600"
            << (passphrase ? ", passphrase-protected" : "") << ")\n"
            << "current seal key: " << id << "\n";
  return kOk;
}

}  // namespace sealform::admin
