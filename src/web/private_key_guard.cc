// private_key_guard.cc: refusing to run with a readable private key.
#include "web/private_key_guard.h"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>

#include "core/error.h"

namespace sealform::web {

void refuse_readable_private_keys(const std::string& key_directory) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(key_directory, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("seal-", 0) != 0 || entry.path().extension() != ".key") continue;
    // Try to open it for real: access(2) answers for the real uid, and what
    // matters is what this process can do.
    const int fd = ::open(entry.path().c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd >= 0) {
      ::close(fd);
      throw Error("refusing to start: this process can read the private seal key " +
                  entry.path().string() +
                  "; the web tier must only encrypt (make the key readable by its owner only, "
                  "run sealform-fcgi as another user, or keep private keys off this host)");
    }
  }
}

}  // namespace sealform::web
