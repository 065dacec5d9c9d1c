// client_key.cc: keyed, truncated client identities for rate limiting.
#include "web/client_key.h"

#include <arpa/inet.h>

#include <cstdio>
#include <cstring>

#include "core/seal.h"

namespace sealform::web {

std::string canonical_client(std::string_view remote_addr) {
  std::string text(remote_addr.substr(0, 64));
  unsigned char v4[4];
  if (inet_pton(AF_INET, text.c_str(), v4) == 1) {
    char out[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, v4, out, sizeof out);
    return std::string("v4:") + out;
  }
  unsigned char v6[16];
  if (inet_pton(AF_INET6, text.c_str(), v6) == 1) {
    static const unsigned char kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    if (std::memcmp(v6, kMappedPrefix, 12) == 0) {
      char out[INET_ADDRSTRLEN];
      inet_ntop(AF_INET, v6 + 12, out, sizeof out);
      return std::string("v4:") + out;
    }
    std::memset(v6 + 8, 0, 8);
    char out[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, v6, out, sizeof out);
    return std::string("v6:") + out + "/64";
  }
  return "other:" + text;
}

std::string client_key(const HmacKey& rate_key, std::string_view remote_addr) {
  return rate_key.mac(canonical_client(remote_addr));
}

}  // namespace sealform::web
