// seal.h: encrypting an enquiry's personal fields (the web tier's half).
//
// Each enquiry gets a fresh 256-bit data key. Each personal field is
// encrypted with AES-256-GCM, a random 96-bit nonce and associated data that
// binds the record reference and the field name, so a ciphertext cannot be
// moved to another record or field. The data key is wrapped for a seal public
// key: ephemeral X25519, HKDF-SHA256, AES-256-GCM. The code that opens these
// blobs lives in src/open/ and is linked by sealform-admin only.
//
// The ephemeral key belongs to a WrapSession: one X25519 agreement with the
// seal key, used for the data keys a worker seals until it stores them
// (see web/wrap_sessions.h: the session is wiped before they are stored),
// since the two scalar multiplications of an agreement cost more than
// everything else an enquiry needs. Each data key still gets its own wrap
// key: the reference is in the HKDF info.
//
// Blob formats (every blob starts with its format version byte):
//   field blob, version 1:
//      0x01 | nonce(12) | ciphertext | tag(16)
//      AAD = "sealform/v1/field" 0x00 reference 0x00 field_name
//   wrapped key, version 2 (written now):
//      0x02 | ephemeral_public(32) | nonce(12) | ciphertext(32) | tag(16)
//      wrap key  = HKDF-SHA256(ikm = X25519(eph, recipient), salt = eph_pub ||
//                  recipient_pub, info = "sealform/v2/wrap" 0x00 reference), 32 bytes
//      AAD = "sealform/v1/wrap" 0x00 reference 0x00 key_id
//   wrapped key, version 1 (opened, no longer written): the same layout with
//      0x01 and info = "sealform/v1/wrap"; its ephemeral key served one record.
// Blobs are std::string of raw bytes (stored as SQLite BLOBs).
#ifndef SEALFORM_CORE_SEAL_H_
#define SEALFORM_CORE_SEAL_H_

#include <array>
#include <map>
#include <string>
#include <string_view>

#include "core/hmac.h"
#include "core/keys.h"
#include "core/secret.h"

namespace sealform {

inline constexpr unsigned char kBlobVersion = 1;  // field blobs
inline constexpr unsigned char kWrappedKeyVersion = 2;
inline constexpr unsigned char kWrappedKeyVersionOneEphemeralPerRecord = 1;
inline constexpr std::size_t kDataKeyBytes = 32;
inline constexpr std::size_t kNonceBytes = 12;
inline constexpr std::size_t kTagBytes = 16;
inline constexpr std::size_t kWrappedKeyBytes =
    1 + kX25519KeyBytes + kNonceBytes + kDataKeyBytes + kTagBytes;

struct SealedRecord {
  std::string key_id;                         // the seal key the data key is wrapped for
  std::string wrapped_key;                    // wrapped data key blob
  std::map<std::string, std::string> fields;  // field name -> field blob
};

SecretBytes new_data_key();

std::string encrypt_field(const SecretBytes& data_key, std::string_view reference,
                          std::string_view field_name, std::string_view plaintext);

// One ephemeral X25519 agreement with a seal public key, from which the
// wrap keys of many data keys are derived (version 2 blobs). Immutable once
// built, so threads may share one. Destroying it wipes the agreement's
// secret; the ephemeral private key is freed as soon as it has been used.
class WrapSession {
 public:
  explicit WrapSession(const SealPublicKey& recipient);

  const std::string& key_id() const { return recipient_.id; }
  std::string wrap(std::string_view reference, const SecretBytes& data_key) const;

 private:
  SealPublicKey recipient_;
  std::array<unsigned char, kX25519KeyBytes> ephemeral_public_{};
  SecretBytes prk_;  // HKDF-Extract(salt = eph_pub || recipient_pub, X25519 secret)
};

// A data key wrapped under a session of its own (one agreement per call).
std::string wrap_data_key(const SealPublicKey& recipient, std::string_view reference,
                          const SecretBytes& data_key);

// Seals every (field name, plaintext) with one fresh data key.
SealedRecord seal_record(const WrapSession& session, std::string_view reference,
                         const std::map<std::string, std::string>& plaintexts);
SealedRecord seal_record(const SealPublicKey& recipient, std::string_view reference,
                         const std::map<std::string, std::string>& plaintexts);

// Associated data, shared with src/open/.
std::string field_aad(std::string_view reference, std::string_view field_name);
std::string wrap_aad(std::string_view reference, std::string_view key_id);

// The wrap key for a data key, HKDF-SHA256 as described above for a
// wrapped key of `version` (1 or 2), from the X25519 shared secret and both
// public values. Shared with src/open/.
SecretBytes derive_wrap_key(unsigned char version, const SecretBytes& shared_secret,
                            const std::array<unsigned char, kX25519KeyBytes>& ephemeral_public,
                            const std::array<unsigned char, kX25519KeyBytes>& recipient_public,
                            std::string_view reference);

// The email blind index: HMAC-SHA256(index_key, email_index_form(address)),
// 32 raw bytes. Finds a person's records without decrypting anything.
std::string blind_index(const SecretBytes& index_key, std::string_view stored_email);
std::string blind_index(const HmacKey& index_key, std::string_view stored_email);

// Constant-time comparison.
bool equal_constant_time(std::string_view a, std::string_view b);

// Cryptographically random bytes (RAND_bytes). Throws on failure.
std::string random_bytes(std::size_t count);

}  // namespace sealform

#endif  // SEALFORM_CORE_SEAL_H_
