// algorithms.h: the OpenSSL algorithm objects sealform uses, fetched once.
//
// OpenSSL 3 looks an algorithm up in its provider store (locks, string
// compares, a hash table) every time a name such as "HMAC" is fetched or an
// implicit EVP_aes_256_gcm() is initialised. The hot path (one enquiry:
// several HMACs, a key derivation, six AES-GCM seals) fetches once per
// process instead. The objects are immutable and safe to share between
// threads; they are deliberately never freed, so a thread still sealing
// while the process exits never sees one disappear. Each getter throws
// sealform::Error if this OpenSSL lacks the algorithm.
#ifndef SEALFORM_CORE_ALGORITHMS_H_
#define SEALFORM_CORE_ALGORITHMS_H_

#include <openssl/evp.h>
#include <openssl/kdf.h>

namespace sealform {

const EVP_CIPHER* aes_256_gcm();  // "AES-256-GCM"
EVP_MAC* hmac_algorithm();        // "HMAC" (the digest is a parameter)
EVP_KDF* hkdf_algorithm();        // "HKDF"

}  // namespace sealform

#endif  // SEALFORM_CORE_ALGORITHMS_H_
