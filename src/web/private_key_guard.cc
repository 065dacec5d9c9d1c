// private_key_guard.cc: refusing to run with a readable private key or a
// writable key directory.
#include "web/private_key_guard.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <vector>

#include "core/error.h"
#include "core/keys.h"

namespace sealform::web {
namespace {

// The id in `current`, if it can be read and holds one.
std::string current_key_id(const std::string& directory) {
  std::ifstream in(directory + "/current");
  std::string id;
  if (!(in >> id) || !is_key_id(id)) return "";
  return id;
}

// True if this process can open `path` for reading as a regular file,
// following symbolic links. access(2) would answer for the real uid, and
// what matters is what this process can do.
bool readable(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return false;
  struct stat st {};
  const bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  ::close(fd);
  return regular;
}

}  // namespace

void refuse_readable_private_keys(const std::string& key_directory) {
  std::set<std::string> candidates;
  const std::string current = current_key_id(key_directory);
  if (!current.empty()) candidates.insert(private_key_path(key_directory, current));
  std::error_code ec;
  std::filesystem::directory_iterator it(key_directory, ec);
  const std::filesystem::directory_iterator end{};
  for (; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind("seal-", 0) != 0) continue;
    if (name.find(".key") != std::string::npos) candidates.insert(it->path().string());
    const std::string pub = ".pub";
    if (name.size() > pub.size() && name.compare(name.size() - pub.size(), pub.size(), pub) == 0) {
      const std::string id = name.substr(5, name.size() - 5 - pub.size());
      if (is_key_id(id)) candidates.insert(private_key_path(key_directory, id));
    }
  }
  // A directory this process may search but not list: the by-name check
  // of the current key above still ran.
  for (const std::string& path : candidates) {
    if (readable(path)) {
      throw Error("refusing to start: this process can read the private seal key " + path +
                  "; the web tier must only encrypt (make the key readable by its owner only, "
                  "run sealform-fcgi as another user, or keep private keys off this host)");
    }
  }
}

void refuse_writable_key_files(const std::string& key_directory) {
  std::vector<std::string> paths = {key_directory};
  const std::string absolute = std::filesystem::absolute(key_directory).lexically_normal();
  const std::string parent = std::filesystem::path(absolute).parent_path().string();
  if (!parent.empty() && parent != absolute) paths.push_back(parent);
  paths.push_back(key_directory + "/current");
  paths.push_back(web_secret_path(key_directory));
  const std::string current = current_key_id(key_directory);
  if (!current.empty()) paths.push_back(public_key_path(key_directory, current));
  for (const std::string& path : paths) {
    if (::access(path.c_str(), W_OK) == 0) {
      throw Error("refusing to start: this process can write " + path +
                  "; the web tier must not be able to replace the seal key it encrypts for "
                  "(the key directory, the directory holding it, current, web.secret and the "
                  "public key belong to root, INSTALL section 6)");
    }
  }
}

void refuse_unsafe_key_directory(const std::string& key_directory) {
  refuse_readable_private_keys(key_directory);
  refuse_writable_key_files(key_directory);
}

}  // namespace sealform::web
