// hmac.h: HMAC-SHA256, for one message or for many under the same key.
//
// An HmacKey keeps an EVP_MAC_CTX already keyed (SHA-256 fetched, the
// inner and outer pads hashed); each mac() works on a copy of it, so a key
// used for every request (the form token's, the rate limit's, the blind
// index's) pays its setup once. mac() only reads the keyed context, so
// threads may share one HmacKey. The context's key copy is wiped by
// OpenSSL when the HmacKey is destroyed.
#ifndef SEALFORM_CORE_HMAC_H_
#define SEALFORM_CORE_HMAC_H_

#include <string>
#include <string_view>

#include "core/openssl_handle.h"
#include "core/secret.h"

namespace sealform {

inline constexpr std::size_t kHmacSha256Bytes = 32;

class HmacKey {
 public:
  explicit HmacKey(const SecretBytes& key);      // throws Error on an empty key
  std::string mac(std::string_view data) const;  // kHmacSha256Bytes raw bytes

 private:
  MacCtxPtr keyed_;
};

// HMAC-SHA256 over `data`, 32 raw bytes (tokens, rate-limit keys, audit chain).
std::string hmac_sha256(const SecretBytes& key, std::string_view data);

}  // namespace sealform

#endif  // SEALFORM_CORE_HMAC_H_
