// keys.h: the key directory: web.secret, its HKDF subkeys, and seal key pairs.
//
// Layout of the key directory (DESIGN.md, "Crypto"):
//   web.secret       32 random bytes; readable by the web group, no access for
//                    others (mode 0640 or stricter), else refused.
//   seal-<id>.pub    X25519 public key (PEM, SubjectPublicKeyInfo); 0644 ok.
//   seal-<id>.key    X25519 private key (PEM PKCS#8, optionally encrypted with
//                    a passphrase); owner only (0600 or 0400), else refused.
//                    Read only by sealform-admin (src/open/).
//   current          the <id> new enquiries are sealed for (one line).
// <id> is a short fingerprint: the first 6 bytes of SHA-256 over the raw
// 32-byte public key, as 12 lowercase hex digits.
// Key files are opened first and checked with fstat on the open descriptor.
// Every function throws sealform::Error with the path (never the key) in the
// message.
#ifndef SEALFORM_CORE_KEYS_H_
#define SEALFORM_CORE_KEYS_H_

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/secret.h"

namespace sealform {

inline constexpr std::size_t kWebSecretBytes = 32;
inline constexpr std::size_t kX25519KeyBytes = 32;

// Purposes of the subkeys derived from web.secret with HKDF-SHA256
// (salt empty, info "sealform/v1/" + label). Each is 32 bytes.
enum class Subkey { kCsrf, kBlindIndex, kRateLimit, kConsent, kAudit, kReference };
const char* subkey_label(Subkey which);

SecretBytes load_web_secret(const std::string& path);
SecretBytes derive_subkey(const SecretBytes& web_secret, Subkey which);

struct SealPublicKey {
  std::string id;                                  // 12 hex digits
  std::array<unsigned char, kX25519KeyBytes> raw;  // the public value
};

std::string key_id_for(const std::array<unsigned char, kX25519KeyBytes>& raw_public);

SealPublicKey load_public_key(const std::string& path);

// Reads `current` in `directory` and loads seal-<id>.pub.
SealPublicKey load_current_public_key(const std::string& directory);

// Key ids present in `directory` (from seal-*.pub files), sorted.
std::vector<std::string> list_key_ids(const std::string& directory);

std::string web_secret_path(const std::string& directory);
std::string public_key_path(const std::string& directory, const std::string& id);
std::string private_key_path(const std::string& directory, const std::string& id);

// Key generation (sealform-admin keygen/rotate and tests).
// Creates web.secret (mode 0640) unless it exists; never overwrites.
// Returns true if it created the file.
bool create_web_secret(const std::string& directory);

// Creates a new X25519 pair: seal-<id>.pub (0644) and seal-<id>.key (0600,
// encrypted with AES-256-CBC/PBKDF2 PKCS#8 when `passphrase` is given), and
// makes it current. Never overwrites an existing file (O_EXCL). Returns the id.
std::string create_seal_key_pair(const std::string& directory,
                                 const std::optional<std::string>& passphrase);

// Points `current` at `id` (atomic rename).
void set_current_key(const std::string& directory, const std::string& id);

// Building blocks shared with seal.cc and src/open/ (not for other callers).

// HKDF-SHA256 (RFC 5869) through EVP_KDF "HKDF": `length` bytes from `ikm`.
// An empty `salt` means no salt (HashLen zero bytes, as the RFC says).
SecretBytes hkdf_sha256(const SecretBytes& ikm, std::string_view salt, std::string_view info,
                        std::size_t length);

// The two halves of the same function, for a caller that derives many keys
// from one input: hkdf_sha256_expand(hkdf_sha256_extract(ikm, salt), info, n)
// equals hkdf_sha256(ikm, salt, info, n).
inline constexpr std::size_t kHkdfPrkBytes = 32;  // SHA-256's output size
SecretBytes hkdf_sha256_extract(const SecretBytes& ikm, std::string_view salt);
SecretBytes hkdf_sha256_expand(const SecretBytes& prk, std::string_view info, std::size_t length);

// Reads a whole key file (at most 64 KiB) through an O_NOFOLLOW descriptor.
// Refuses anything but a regular file, and a file whose mode has any bit of
// `forbidden_mode` set; the message names the path, the mode found, and
// `requirement` ("0640 or stricter").
SecretBytes read_key_file(const std::string& path, unsigned forbidden_mode,
                          const char* requirement);

// True if `id` has the form of a key id (12 lowercase hex digits).
bool is_key_id(std::string_view id);

}  // namespace sealform

#endif  // SEALFORM_CORE_KEYS_H_
