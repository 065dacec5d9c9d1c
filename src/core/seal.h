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
// seal key, shared by the data keys a worker seals in a tenth of a second,
// since the two scalar multiplications of an agreement cost more than
// everything else an enquiry needs. Each data key still gets its own wrap
// key: the reference is in the HKDF info. The wrap keys come from a chain
// key that the session replaces by a one-way step (advance()) before the
// enquiries sealed under the old one are stored (web/wrap_sessions.h): the
// chain key a worker holds derives no wrap key of a stored enquiry, and the
// private key holder, who can compute the first chain key, steps forward
// to the epoch a blob names.
//
// Blob formats (every blob starts with its format version byte):
//   field blob, version 1:
//      0x01 | nonce(12) | ciphertext | tag(16)
//      AAD = "sealform/v1/field" 0x00 reference 0x00 field_name
//   wrapped key, version 3 (written now):
//      0x03 | ephemeral_public(32) | epoch(4, big-endian) | nonce(12) |
//      ciphertext(32) | tag(16)
//      chain key 0   = HKDF-Extract(salt = eph_pub || recipient_pub,
//                                   ikm = X25519(eph, recipient))
//      chain key n+1 = HKDF-Expand(chain key n, "sealform/v3/ratchet"), 32 bytes
//      wrap key      = HKDF-Expand(chain key epoch,
//                                  "sealform/v3/wrap" 0x00 reference), 32 bytes
//      AAD = "sealform/v1/wrap" 0x00 reference 0x00 key_id
//      epoch < kMaxWrapEpochs.
//   wrapped key, version 2 (opened, no longer written):
//      0x02 | ephemeral_public(32) | nonce(12) | ciphertext(32) | tag(16)
//      wrap key  = HKDF-SHA256(ikm = X25519(eph, recipient), salt = eph_pub ||
//                  recipient_pub, info = "sealform/v2/wrap" 0x00 reference), 32 bytes
//      (chain key 0 expanded directly), the same AAD.
//   wrapped key, version 1 (opened, no longer written): version 2's layout
//      with 0x01 and info = "sealform/v1/wrap"; its ephemeral key served one
//      record.
// Blobs are std::string of raw bytes (stored as SQLite BLOBs).
#ifndef SEALFORM_CORE_SEAL_H_
#define SEALFORM_CORE_SEAL_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/hmac.h"
#include "core/keys.h"
#include "core/secret.h"

namespace sealform {

inline constexpr unsigned char kBlobVersion = 1;  // field blobs
inline constexpr unsigned char kWrappedKeyVersion = 3;
inline constexpr unsigned char kWrappedKeyVersionSessionWide = 2;
inline constexpr unsigned char kWrappedKeyVersionOneEphemeralPerRecord = 1;
// Chain steps one session may take; opening a blob costs up to this many
// HKDF-Expand calls.
inline constexpr std::uint32_t kMaxWrapEpochs = 1024;
inline constexpr std::size_t kDataKeyBytes = 32;
inline constexpr std::size_t kNonceBytes = 12;
inline constexpr std::size_t kTagBytes = 16;
inline constexpr std::size_t kWrappedKeyBytes =  // versions 1 and 2
    1 + kX25519KeyBytes + kNonceBytes + kDataKeyBytes + kTagBytes;
inline constexpr std::size_t kWrappedKeyBytesV3 = kWrappedKeyBytes + 4;

struct SealedRecord {
  std::string key_id;                         // the seal key the data key is wrapped for
  std::string wrapped_key;                    // wrapped data key blob
  std::map<std::string, std::string> fields;  // field name -> field blob
};

SecretBytes new_data_key();

std::string encrypt_field(const SecretBytes& data_key, std::string_view reference,
                          std::string_view field_name, std::string_view plaintext);

// One ephemeral X25519 agreement with a seal public key, from which the
// wrap keys of many data keys are derived (version 3 blobs) through a
// chain key. wrap() may run on several threads at once; advance() must not
// run alongside anything else (web/wrap_sessions.h locks). Destroying it
// wipes the chain key; the ephemeral private key and the agreement's
// secret are freed as soon as they have been used.
class WrapSession {
 public:
  explicit WrapSession(const SealPublicKey& recipient);

  const std::string& key_id() const { return recipient_.id; }
  std::uint32_t epoch() const { return epoch_; }
  // A data key wrapped under the current epoch's chain key.
  std::string wrap(std::string_view reference, const SecretBytes& data_key) const;
  // Replaces the chain key by the next one and wipes the old: what was
  // wrapped before can no longer be unwrapped from this session's state.
  // False (and the session unusable) once kMaxWrapEpochs is reached.
  bool advance();

 private:
  SealPublicKey recipient_;
  std::array<unsigned char, kX25519KeyBytes> ephemeral_public_{};
  SecretBytes chain_key_;  // of epoch_
  std::uint32_t epoch_ = 0;
};

// The chain key of `epoch` from chain key 0 (HKDF-Extract of the
// agreement): `epoch` ratchet steps. Shared with src/open/.
SecretBytes chain_key_at(SecretBytes first, std::uint32_t epoch);
// Chain key 0 of a version 3 blob, from the X25519 shared secret.
SecretBytes chain_key_zero(const SecretBytes& shared_secret,
                           const std::array<unsigned char, kX25519KeyBytes>& ephemeral_public,
                           const std::array<unsigned char, kX25519KeyBytes>& recipient_public);
// A version 3 wrap key from its epoch's chain key.
SecretBytes wrap_key_from_chain(const SecretBytes& chain_key, std::string_view reference);

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
// wrapped key of `version` (1, 2 or 3, with its `epoch`), from the X25519
// shared secret and both public values. Shared with src/open/.
SecretBytes derive_wrap_key(unsigned char version, const SecretBytes& shared_secret,
                            const std::array<unsigned char, kX25519KeyBytes>& ephemeral_public,
                            const std::array<unsigned char, kX25519KeyBytes>& recipient_public,
                            std::string_view reference, std::uint32_t epoch = 0);

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
