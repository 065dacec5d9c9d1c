// seal.h: encrypting an enquiry's personal fields (the web tier's half).
//
// Each enquiry gets a fresh 256-bit data key. Each personal field is
// encrypted with AES-256-GCM, a random 96-bit nonce and associated data that
// binds the record reference and the field name, so a ciphertext cannot be
// moved to another record or field. The data key is wrapped for a seal public
// key: ephemeral X25519, HKDF-SHA256, AES-256-GCM. The code that opens these
// blobs lives in src/open/ and is linked by sealform-admin only.
//
// Blob formats (all start with a format version byte, kBlobVersion = 1):
//   field blob:   0x01 | nonce(12) | ciphertext | tag(16)
//      AAD = "sealform/v1/field" 0x00 reference 0x00 field_name
//   wrapped key:  0x01 | ephemeral_public(32) | nonce(12) | ciphertext(32) | tag(16)
//      wrap key  = HKDF-SHA256(ikm = X25519(eph, recipient), salt = eph_pub ||
//                  recipient_pub, info = "sealform/v1/wrap"), 32 bytes
//      AAD = "sealform/v1/wrap" 0x00 reference 0x00 key_id
// Blobs are std::string of raw bytes (stored as SQLite BLOBs).
#ifndef SEALFORM_CORE_SEAL_H_
#define SEALFORM_CORE_SEAL_H_

#include <array>
#include <map>
#include <string>
#include <string_view>

#include "core/keys.h"
#include "core/secret.h"

namespace sealform {

inline constexpr unsigned char kBlobVersion = 1;
inline constexpr std::size_t kDataKeyBytes = 32;
inline constexpr std::size_t kNonceBytes = 12;
inline constexpr std::size_t kTagBytes = 16;

struct SealedRecord {
  std::string key_id;                         // the seal key the data key is wrapped for
  std::string wrapped_key;                    // wrapped data key blob
  std::map<std::string, std::string> fields;  // field name -> field blob
};

SecretBytes new_data_key();

std::string encrypt_field(const SecretBytes& data_key, std::string_view reference,
                          std::string_view field_name, std::string_view plaintext);

std::string wrap_data_key(const SealPublicKey& recipient, std::string_view reference,
                          const SecretBytes& data_key);

// Seals every (field name, plaintext) with one fresh data key.
SealedRecord seal_record(const SealPublicKey& recipient, std::string_view reference,
                         const std::map<std::string, std::string>& plaintexts);

// Associated data, shared with src/open/.
std::string field_aad(std::string_view reference, std::string_view field_name);
std::string wrap_aad(std::string_view reference, std::string_view key_id);

// The wrap key for a data key: HKDF-SHA256 as described above, from the
// X25519 shared secret and both public values. Shared with src/open/.
SecretBytes derive_wrap_key(const SecretBytes& shared_secret,
                            const std::array<unsigned char, kX25519KeyBytes>& ephemeral_public,
                            const std::array<unsigned char, kX25519KeyBytes>& recipient_public);

// The email blind index: HMAC-SHA256(index_key, email_index_form(address)),
// 32 raw bytes. Finds a person's records without decrypting anything.
std::string blind_index(const SecretBytes& index_key, std::string_view stored_email);

// HMAC-SHA256 over `data`, 32 raw bytes (tokens, rate-limit keys, audit chain).
std::string hmac_sha256(const SecretBytes& key, std::string_view data);

// Constant-time comparison.
bool equal_constant_time(std::string_view a, std::string_view b);

// Cryptographically random bytes (RAND_bytes). Throws on failure.
std::string random_bytes(std::size_t count);

}  // namespace sealform

#endif  // SEALFORM_CORE_SEAL_H_
