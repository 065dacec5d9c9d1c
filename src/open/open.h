// open.h: opening sealed enquiries with a seal private key.
//
// This unit is the only code that decrypts. It is built into its own
// library (libsealform_open.a) that sealform-admin and the tests link and
// sealform-fcgi does not, so the web binary cannot decrypt stored enquiries
// because it does not contain the code, not only because it lacks the key.
// Failures (a flipped byte, a blob moved to another field or record, a
// wrong key) throw sealform::Error naming the reference and field, never
// any content.
#ifndef SEALFORM_OPEN_OPEN_H_
#define SEALFORM_OPEN_OPEN_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/seal.h"

namespace sealform {

// Thrown by SealPrivateKey::load for a passphrase-protected key when no
// passphrase was given.
class PassphraseNeeded : public Error {
 public:
  using Error::Error;
};

// True if the private key file at `path` is passphrase-protected (an
// encrypted PKCS#8 PEM). Reads only its first line; false if it cannot.
bool is_passphrase_protected(const std::string& path);

// An X25519 private key loaded from seal-<id>.key. Owns an EVP_PKEY.
class SealPrivateKey {
 public:
  // Refuses a file that group or others can read ("... mode 0640, must be
  // 0600 or stricter"); a wrong passphrase is a clear error.
  static SealPrivateKey load(const std::string& path,
                             const std::optional<std::string>& passphrase);
  ~SealPrivateKey();
  SealPrivateKey(SealPrivateKey&&) noexcept;
  SealPrivateKey& operator=(SealPrivateKey&&) noexcept;
  SealPrivateKey(const SealPrivateKey&) = delete;
  SealPrivateKey& operator=(const SealPrivateKey&) = delete;

  const std::string& id() const { return id_; }
  SealPublicKey public_key() const;

  struct Impl;

 private:
  // Uses the EVP_PKEY held by Impl for the X25519 agreement.
  friend SecretBytes unwrap_data_key(const SealPrivateKey& key, std::string_view reference,
                                     std::string_view wrapped_key);

  explicit SealPrivateKey(std::unique_ptr<Impl> impl, std::string id);
  std::unique_ptr<Impl> impl_;
  std::string id_;
};

SecretBytes unwrap_data_key(const SealPrivateKey& key, std::string_view reference,
                            std::string_view wrapped_key);

std::string decrypt_field(const SecretBytes& data_key, std::string_view reference,
                          std::string_view field_name, std::string_view blob);

// Opens every field of `record` (whose key_id must equal key.id()).
std::map<std::string, std::string> open_record(const SealPrivateKey& key,
                                               std::string_view reference,
                                               const SealedRecord& record);

}  // namespace sealform

#endif  // SEALFORM_OPEN_OPEN_H_
