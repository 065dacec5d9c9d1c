// hmac.cc: HMAC-SHA256 through EVP_MAC (see hmac.h).
#include "core/hmac.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "core/algorithms.h"
#include "core/error.h"

namespace sealform {

HmacKey::HmacKey(const SecretBytes& key) : keyed_(EVP_MAC_CTX_new(hmac_algorithm())) {
  if (key.empty()) throw Error("HMAC-SHA256: empty key");
  if (!keyed_) throw Error("HMAC-SHA256: out of memory");
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_end(),
  };
  if (EVP_MAC_init(keyed_.get(), key.data(), key.size(), params) != 1) {
    clear_openssl_errors();
    throw Error("HMAC-SHA256: cannot set the key");
  }
}

std::string HmacKey::mac(std::string_view data) const {
  MacCtxPtr ctx(EVP_MAC_CTX_dup(keyed_.get()));
  unsigned char out[EVP_MAX_MD_SIZE];
  std::size_t out_len = 0;
  const bool ok = ctx &&
                  EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(data.data()),
                                 data.size()) == 1 &&
                  EVP_MAC_final(ctx.get(), out, &out_len, sizeof out) == 1 &&
                  out_len == kHmacSha256Bytes;
  if (!ok) {
    clear_openssl_errors();
    throw Error("HMAC-SHA256 failed");
  }
  return std::string(reinterpret_cast<const char*>(out), out_len);
}

std::string hmac_sha256(const SecretBytes& key, std::string_view data) {
  return HmacKey(key).mac(data);
}

}  // namespace sealform
