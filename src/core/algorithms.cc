// algorithms.cc: fetch-once OpenSSL algorithms (see algorithms.h).
#include "core/algorithms.h"

#include <string>

#include "core/error.h"
#include "core/openssl_handle.h"

namespace sealform {
namespace {

// A function-local static is initialised once, thread-safely (C++11). A
// failed fetch stays failed: every later call throws the same error.
template <typename T>
T* require(T* fetched, const char* name) {
  if (fetched == nullptr) {
    clear_openssl_errors();
    throw Error(std::string(name) + " is not available in this OpenSSL");
  }
  return fetched;
}

}  // namespace

const EVP_CIPHER* aes_256_gcm() {
  static EVP_CIPHER* const cipher = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  return require(cipher, "AES-256-GCM");
}

EVP_MAC* hmac_algorithm() {
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  return require(mac, "HMAC");
}

EVP_KDF* hkdf_algorithm() {
  static EVP_KDF* const kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  return require(kdf, "HKDF");
}

}  // namespace sealform
