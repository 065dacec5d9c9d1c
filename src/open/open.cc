// open.cc: loading a seal private key and opening sealed enquiries.
//
// The inverse of src/core/seal.cc. Every failure becomes a sealform::Error
// that names the reference, the field or the key file, never content: a
// truncated blob, an unknown version and a failed GCM tag all read
// "cannot open field '<name>' of <reference>: <reason>".
#include "open/open.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstring>
#include <mutex>

#include "core/algorithms.h"
#include "core/error.h"
#include "core/openssl_handle.h"
#include "core/unique_fd.h"

namespace sealform {

namespace {

// The chain key of the version 3 blob a private key opened last. Records of
// one session are usually opened in the order they were sealed (a listing,
// a rekey), so it is stepped forward rather than derived from the
// agreement each time. It derives the wrap keys of the session's later
// epochs, so it lives no longer than the key it came from.
struct ChainPosition {
  std::string key_id;
  std::array<unsigned char, kX25519KeyBytes> ephemeral_public{};
  std::uint32_t epoch = 0;
  SecretBytes chain_key;

  // True if `epoch` of this session can be reached by stepping forward.
  bool follows(const std::string& id, const std::array<unsigned char, kX25519KeyBytes>& ephemeral,
               std::uint32_t wanted) const {
    return !chain_key.empty() && id == key_id && ephemeral == ephemeral_public && wanted >= epoch;
  }
  void remember(const std::string& id, const std::array<unsigned char, kX25519KeyBytes>& ephemeral,
                std::uint32_t at, SecretBytes key) {
    key_id = id;
    ephemeral_public = ephemeral;
    epoch = at;
    chain_key = std::move(key);
  }
};

}  // namespace

struct SealPrivateKey::Impl {
  PkeyPtr pkey;
  std::mutex chain_mutex;  // guards last
  ChainPosition last;      // wiped with the key
};

namespace {

constexpr std::size_t kMinFieldBlobBytes = 1 + kNonceBytes + kTagBytes;

// What the PEM password callback saw, so a failure can be explained.
struct PassphraseRequest {
  const std::optional<std::string>* passphrase;
  bool asked = false;
};

// Hands OpenSSL the passphrase; with none given it refuses (returns -1)
// instead of letting OpenSSL prompt on the terminal.
int passphrase_callback(char* buf, int size, int /*rwflag*/, void* user) {
  auto* request = static_cast<PassphraseRequest*>(user);
  request->asked = true;
  const std::optional<std::string>& passphrase = *request->passphrase;
  if (!passphrase || size < 0 || passphrase->size() > static_cast<std::size_t>(size)) return -1;
  std::memcpy(buf, passphrase->data(), passphrase->size());
  return static_cast<int>(passphrase->size());
}

std::string base_name(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::array<unsigned char, kX25519KeyBytes> raw_public_of(EVP_PKEY* pkey) {
  std::array<unsigned char, kX25519KeyBytes> raw{};
  std::size_t len = raw.size();
  if (EVP_PKEY_get_raw_public_key(pkey, raw.data(), &len) != 1 || len != raw.size()) {
    clear_openssl_errors();
    throw Error("cannot compute the public value of a seal key");
  }
  return raw;
}

// AES-256-GCM open of ciphertext || tag into `out` (exactly the plaintext
// size). Returns false on any failure, tag mismatch included.
bool gcm_open(const SecretBytes& key, const unsigned char* nonce, std::string_view aad,
              const unsigned char* sealed, std::size_t sealed_size, unsigned char* out) {
  if (key.size() != kDataKeyBytes || sealed_size < kTagBytes) return false;
  const std::size_t size = sealed_size - kTagBytes;
  if (size > static_cast<std::size_t>(INT_MAX) || aad.size() > static_cast<std::size_t>(INT_MAX)) {
    return false;
  }
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  int written = 0;
  bool ok = ctx && EVP_DecryptInit_ex2(ctx.get(), aes_256_gcm(), key.data(), nonce, nullptr) == 1;
  ok = ok && EVP_DecryptUpdate(ctx.get(), nullptr, &len,
                               reinterpret_cast<const unsigned char*>(aad.data()),
                               static_cast<int>(aad.size())) == 1;
  if (ok && size > 0) {
    ok = EVP_DecryptUpdate(ctx.get(), out, &len, sealed, static_cast<int>(size)) == 1;
    written = len;
  }
  ok = ok && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagBytes),
                                 const_cast<unsigned char*>(sealed + size)) == 1;
  ok = ok && EVP_DecryptFinal_ex(ctx.get(), out + written, &len) == 1;
  ok = ok && static_cast<std::size_t>(written + len) == size;
  if (!ok) {
    clear_openssl_errors();
    if (size > 0) OPENSSL_cleanse(out, size);
  }
  return ok;
}

// X25519(private key, ephemeral public value). Throws on a low-order point.
SecretBytes agree(EVP_PKEY* private_key,
                  const std::array<unsigned char, kX25519KeyBytes>& ephemeral_public,
                  const std::string& what) {
  PkeyPtr peer(EVP_PKEY_new_raw_public_key_ex(nullptr, "X25519", nullptr, ephemeral_public.data(),
                                              ephemeral_public.size()));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, private_key, nullptr));
  SecretBytes shared(kX25519KeyBytes);
  std::size_t len = shared.size();
  // A flipped ephemeral public value usually still agrees on some secret
  // (and then fails the tag); a low-order point fails here.
  const bool agreed = peer && ctx && EVP_PKEY_derive_init(ctx.get()) == 1 &&
                      EVP_PKEY_derive_set_peer_ex(ctx.get(), peer.get(), 1) == 1 &&
                      EVP_PKEY_derive(ctx.get(), shared.data(), &len) == 1 && len == shared.size();
  if (!agreed) {
    clear_openssl_errors();
    throw Error(what + "authentication failed");
  }
  return shared;
}

}  // namespace

SealPrivateKey::SealPrivateKey(std::unique_ptr<Impl> impl, std::string id)
    : impl_(std::move(impl)), id_(std::move(id)) {}
SealPrivateKey::~SealPrivateKey() = default;
SealPrivateKey::SealPrivateKey(SealPrivateKey&&) noexcept = default;
SealPrivateKey& SealPrivateKey::operator=(SealPrivateKey&&) noexcept = default;

bool is_passphrase_protected(const std::string& path) {
  static constexpr char kEncryptedHeader[] = "-----BEGIN ENCRYPTED PRIVATE KEY-----";
  char head[sizeof kEncryptedHeader - 1] = {};
  const UniqueFd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!file.valid()) return false;
  std::size_t got = 0;
  while (got < sizeof head) {
    const ssize_t n = ::read(file.get(), head + got, sizeof head - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  const bool encrypted =
      got == sizeof head && std::memcmp(head, kEncryptedHeader, sizeof head) == 0;
  OPENSSL_cleanse(head, sizeof head);  // an unencrypted key's first bytes
  return encrypted;
}

SealPrivateKey SealPrivateKey::load(const std::string& path,
                                    const std::optional<std::string>& passphrase) {
  // Owner only: neither group nor others may have any access.
  const SecretBytes pem = read_key_file(path, 0077, "0600 or stricter (owner only)");
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) throw Error("cannot load " + path + ": out of memory");
  PassphraseRequest request{&passphrase};
  PkeyPtr pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, passphrase_callback, &request));
  if (!pkey) {
    clear_openssl_errors();
    if (request.asked && !passphrase) {
      throw PassphraseNeeded(path + " is protected by a passphrase and none was given");
    }
    if (request.asked) throw Error("wrong passphrase for " + path);
    throw Error("cannot load " + path + ": not a PEM private key");
  }
  if (!EVP_PKEY_is_a(pkey.get(), "X25519")) {
    throw Error("cannot load " + path + ": not an X25519 key");
  }
  const std::string id = key_id_for(raw_public_of(pkey.get()));
  // A key kept under its usual name must be the key that name promises; a
  // copy under another name (say on removable media) is taken as it is.
  const std::string name = base_name(path);
  const std::string prefix = "seal-";
  const std::string suffix = ".key";
  if (name.size() == prefix.size() + id.size() + suffix.size() &&
      name.compare(0, prefix.size(), prefix) == 0 &&
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0 &&
      name != prefix + id + suffix) {
    throw Error("cannot load " + path + ": the key id in the file name does not match the key (" +
                id + ")");
  }
  auto impl = std::make_unique<Impl>();
  impl->pkey = std::move(pkey);
  return SealPrivateKey(std::move(impl), id);
}

SealPublicKey SealPrivateKey::public_key() const {
  SealPublicKey key;
  key.raw = raw_public_of(impl_->pkey.get());
  key.id = id_;
  return key;
}

SecretBytes unwrap_data_key(const SealPrivateKey& key, std::string_view reference,
                            std::string_view wrapped_key) {
  const std::string what = "cannot unwrap the data key of " + std::string(reference) + ": ";
  if (wrapped_key.empty()) throw Error(what + "empty blob");
  const auto* blob = reinterpret_cast<const unsigned char*>(wrapped_key.data());
  const unsigned char version = blob[0];
  if (version != kWrappedKeyVersion && version != kWrappedKeyVersionSessionWide &&
      version != kWrappedKeyVersionOneEphemeralPerRecord) {
    throw Error(what + "unknown format version " + std::to_string(version));
  }
  const bool has_epoch = version == kWrappedKeyVersion;
  if (wrapped_key.size() != (has_epoch ? kWrappedKeyBytesV3 : kWrappedKeyBytes)) {
    throw Error(what + "truncated or malformed blob");
  }
  std::array<unsigned char, kX25519KeyBytes> ephemeral_public{};
  std::memcpy(ephemeral_public.data(), blob + 1, ephemeral_public.size());
  std::uint32_t epoch = 0;
  const unsigned char* nonce = blob + 1 + kX25519KeyBytes;
  if (has_epoch) {
    for (int i = 0; i < 4; ++i) epoch = (epoch << 8) | nonce[i];
    nonce += 4;
    if (epoch >= kMaxWrapEpochs) throw Error(what + "truncated or malformed blob");
  }
  const unsigned char* sealed = nonce + kNonceBytes;

  // Version 3: from the chain key this key used last when the blob is of
  // the same session and a later epoch (ChainPosition).
  std::lock_guard<std::mutex> chain_lock(key.impl_->chain_mutex);
  ChainPosition& last = key.impl_->last;
  SecretBytes wrap_key;
  if (has_epoch && last.follows(key.id(), ephemeral_public, epoch)) {
    SecretBytes chain = chain_key_at(SecretBytes(last.chain_key.data(), last.chain_key.size()),
                                     epoch - last.epoch);
    wrap_key = wrap_key_from_chain(chain, reference);
    last.remember(key.id(), ephemeral_public, epoch, std::move(chain));
  } else {
    const SecretBytes shared = agree(key.impl_->pkey.get(), ephemeral_public, what);
    if (has_epoch) {
      SecretBytes chain =
          chain_key_at(chain_key_zero(shared, ephemeral_public, key.public_key().raw), epoch);
      wrap_key = wrap_key_from_chain(chain, reference);
      last.remember(key.id(), ephemeral_public, epoch, std::move(chain));
    } else {
      wrap_key = derive_wrap_key(version, shared, ephemeral_public, key.public_key().raw, reference);
    }
  }
  SecretBytes data_key(kDataKeyBytes);
  if (!gcm_open(wrap_key, nonce, wrap_aad(reference, key.id()), sealed, kDataKeyBytes + kTagBytes,
                data_key.data())) {
    throw Error(what + "authentication failed");
  }
  return data_key;
}


std::string decrypt_field(const SecretBytes& data_key, std::string_view reference,
                          std::string_view field_name, std::string_view blob) {
  const std::string what =
      "cannot open field '" + std::string(field_name) + "' of " + std::string(reference) + ": ";
  if (blob.empty()) throw Error(what + "empty blob");
  const auto* bytes = reinterpret_cast<const unsigned char*>(blob.data());
  if (bytes[0] != kBlobVersion) {
    throw Error(what + "unknown format version " + std::to_string(bytes[0]));
  }
  if (blob.size() < kMinFieldBlobBytes) throw Error(what + "truncated blob");
  const std::size_t sealed_size = blob.size() - 1 - kNonceBytes;
  std::string plaintext(sealed_size - kTagBytes, '\0');
  if (!gcm_open(data_key, bytes + 1, field_aad(reference, field_name), bytes + 1 + kNonceBytes,
                sealed_size, reinterpret_cast<unsigned char*>(plaintext.data()))) {
    throw Error(what + "authentication failed");
  }
  return plaintext;
}

std::map<std::string, std::string> open_record(const SealPrivateKey& key,
                                               std::string_view reference,
                                               const SealedRecord& record) {
  if (record.key_id != key.id()) {
    throw Error("cannot open " + std::string(reference) + ": it is sealed for key '" +
                record.key_id + "', not " + key.id());
  }
  const SecretBytes data_key = unwrap_data_key(key, reference, record.wrapped_key);
  std::map<std::string, std::string> opened;
  try {
    for (const auto& [name, blob] : record.fields) {
      opened[name] = decrypt_field(data_key, reference, name, blob);
    }
  } catch (...) {
    // All or nothing: wipe what was already opened before giving up.
    for (auto& entry : opened) OPENSSL_cleanse(entry.second.data(), entry.second.size());
    throw;
  }
  return opened;
}

}  // namespace sealform
