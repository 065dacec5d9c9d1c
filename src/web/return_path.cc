// return_path.cc: the local return path check (see return_path.h).
#include "web/return_path.h"

namespace sealform::web {
namespace {

// RFC 3986 unreserved characters, the path separator, and the query
// characters sealform's own links use ("?ref=ENQ-..."). No '%', '\\', ':',
// '@', '#', ';' or anything outside ASCII.
bool is_safe_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '.' || c == '_' || c == '~' || c == '/' || c == '?' || c == '=' ||
         c == '&';
}

}  // namespace

bool is_local_return_path(std::string_view base_path, std::string_view candidate) {
  if (base_path.empty() || base_path.front() != '/' || base_path.back() != '/') return false;
  if (candidate.empty() || candidate.size() > kMaxReturnPathChars) return false;
  // A single leading '/': "//host" and "/\host" name another host in browsers.
  if (candidate.front() != '/' || (candidate.size() > 1 && candidate[1] == '/')) return false;
  for (char c : candidate) {
    if (!is_safe_char(c)) return false;
  }
  const std::string_view path = candidate.substr(0, candidate.find('?'));
  if (path.find("//") != std::string_view::npos) return false;
  // No dot segments: "/base/../elsewhere" would leave the base path.
  if (path.find("/./") != std::string_view::npos || path.find("/../") != std::string_view::npos) {
    return false;
  }
  if (path.size() >= 2 && (path.substr(path.size() - 2) == "/." ||
                           (path.size() >= 3 && path.substr(path.size() - 3) == "/.."))) {
    return false;
  }
  return path.compare(0, base_path.size(), base_path) == 0;
}

}  // namespace sealform::web
