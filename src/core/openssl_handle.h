// openssl_handle.h: RAII owners for OpenSSL objects and for file descriptors.
//
// Each OpenSSL type gets a std::unique_ptr alias whose deleter calls the
// matching *_free function, so every early return and every exception
// releases what was allocated. EVP_PKEY_free, EVP_CIPHER_CTX_free and
// EVP_MAC_CTX_free also wipe the key material they hold. Not thread-safe
// beyond what the owned objects are (one owner per object).
#ifndef SEALFORM_CORE_OPENSSL_HANDLE_H_
#define SEALFORM_CORE_OPENSSL_HANDLE_H_

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <unistd.h>

#include <memory>

#include "core/unique_fd.h"

namespace sealform {

// Calls `Free` on the pointer it is handed (no-op for nullptr is up to
// OpenSSL, whose *_free functions all accept nullptr).
template <auto Free>
struct OpensslDeleter {
  template <typename T>
  void operator()(T* p) const {
    Free(p);
  }
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, OpensslDeleter<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OpensslDeleter<EVP_PKEY_CTX_free>>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, OpensslDeleter<EVP_CIPHER_CTX_free>>;
using MacPtr = std::unique_ptr<EVP_MAC, OpensslDeleter<EVP_MAC_free>>;
using MacCtxPtr = std::unique_ptr<EVP_MAC_CTX, OpensslDeleter<EVP_MAC_CTX_free>>;
using KdfPtr = std::unique_ptr<EVP_KDF, OpensslDeleter<EVP_KDF_free>>;
using KdfCtxPtr = std::unique_ptr<EVP_KDF_CTX, OpensslDeleter<EVP_KDF_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpensslDeleter<EVP_MD_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, OpensslDeleter<BIO_free_all>>;

// OpenSSL keeps a per-thread error queue. After a failure has been turned
// into a sealform::Error the queue is emptied so that a stale entry is never
// reported against a later, unrelated call.
inline void clear_openssl_errors() { ERR_clear_error(); }

}  // namespace sealform

#endif  // SEALFORM_CORE_OPENSSL_HANDLE_H_
