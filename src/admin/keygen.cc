// keygen.cc: `sealform-admin keygen`: the web secret and a seal key pair.
//
// Creates the key directory's files with safe modes (keys.h): web.secret
// 0640 and seal-<id>.pub 0644 for the web group, seal-<id>.key 0600 for the
// owner only; never overwrites an existing file. With --passphrase-file (or
// --passphrase-prompt on a terminal) the private key is encrypted.
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "admin/commands.h"
#include "admin/passphrase.h"
#include "core/keys.h"
#include "core/secret.h"

namespace sealform::admin {

int cmd_keygen(const Invocation& inv) {
  std::string passphrase_file;
  bool prompt = false;
  for (std::size_t i = 0; i < inv.args.size(); ++i) {
    const std::string& arg = inv.args[i];
    if (arg == "--passphrase-file" && i + 1 < inv.args.size()) {
      passphrase_file = inv.args[++i];
      // An empty name would silently give an unprotected key.
      if (passphrase_file.empty()) throw UsageError("keygen: --passphrase-file needs a file name");
    } else if (arg == "--passphrase-prompt") {
      prompt = true;
    } else {
      throw UsageError(
          "keygen: unexpected argument (expected --passphrase-file FILE or "
          "--passphrase-prompt)");
    }
  }
  if (prompt && !passphrase_file.empty()) {
    throw UsageError("keygen: --passphrase-file and --passphrase-prompt exclude each other");
  }
  const Config config = load_config(resolve_config_path(inv.config_path));
  const std::string& dir = config.key_directory;
  if (mkdir(dir.c_str(), 0750) == 0) {
    // The web tier reaches web.secret and the public key through the
    // directory's group; mkdir's mode was narrowed by the umask.
    if (chmod(dir.c_str(), 0750) != 0) {
      throw Error("cannot set the mode of key directory " + dir + ": " + std::strerror(errno));
    }
  } else if (errno != EEXIST) {
    throw Error("cannot create key directory " + dir + ": " + std::strerror(errno));
  }
  std::optional<std::string> passphrase;
  struct WipeOnExit {
    std::optional<std::string>& text;
    ~WipeOnExit() {
      if (text) wipe(*text);
    }
  } wipe_passphrase{passphrase};
  // Typed at the terminal: twice, since a typo in the only copy would lock
  // the new key, and every enquiry sealed for it, for good.
  if (!passphrase_file.empty()) passphrase = read_passphrase_file(passphrase_file);
  if (prompt) passphrase = read_new_passphrase();

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
