// seal.cc: sealing an enquiry's fields (AES-256-GCM under a fresh data key,
// the data key wrapped for an X25519 seal key through a WrapSession), plus
// the small MAC, random and comparison helpers the web tier uses.
//
// Only encryption lives here; the inverse is in src/open/open.cc, which the
// web binary does not link. Blob layouts are documented in seal.h.
#include "core/seal.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <climits>

#include "core/algorithms.h"
#include "core/email.h"
#include "core/error.h"
#include "core/openssl_handle.h"

namespace sealform {
namespace {

constexpr const char* kFieldAadLabel = "sealform/v1/field";
constexpr const char* kWrapLabel = "sealform/v1/wrap";  // the AAD's label, and v1's info
constexpr const char* kWrapInfoV2Label = "sealform/v2/wrap";
constexpr const char* kWrapInfoV3Label = "sealform/v3/wrap";
constexpr const char* kRatchetLabel = "sealform/v3/ratchet";

std::string as_string(const unsigned char* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// AES-256-GCM under one key for one or more messages: the key schedule
// and GHASH key are computed once, each seal() only sets a fresh nonce.
// `what` in seal() names the thing sealed in an error message (never its
// content).
class GcmSealer {
 public:
  explicit GcmSealer(const SecretBytes& key) : ctx_(EVP_CIPHER_CTX_new()) {
    if (key.size() != kDataKeyBytes) throw Error("cannot seal: wrong key size");
    if (!ctx_) throw Error("cannot seal: out of memory");
    if (EVP_EncryptInit_ex2(ctx_.get(), aes_256_gcm(), key.data(), nullptr, nullptr) != 1) {
      clear_openssl_errors();
      throw Error("cannot seal: AES-256-GCM initialisation failed");
    }
  }

  // Returns ciphertext || tag. The default GCM IV length is 12 bytes, which
  // is kNonceBytes.
  std::string seal(const std::string& nonce, std::string_view aad, const unsigned char* plaintext,
                   std::size_t size, const std::string& what) {
    if (nonce.size() != kNonceBytes) throw Error("cannot seal " + what + ": wrong nonce size");
    if (size > static_cast<std::size_t>(INT_MAX) ||
        aad.size() > static_cast<std::size_t>(INT_MAX)) {
      throw Error("cannot seal " + what + ": too large");
    }
    std::string out(size + kTagBytes, '\0');
    auto* out_bytes = reinterpret_cast<unsigned char*>(out.data());
    int len = 0;
    bool ok =
        EVP_EncryptInit_ex2(ctx_.get(), nullptr, nullptr,
                            reinterpret_cast<const unsigned char*>(nonce.data()), nullptr) == 1;
    ok = ok && EVP_EncryptUpdate(ctx_.get(), nullptr, &len,
                                 reinterpret_cast<const unsigned char*>(aad.data()),
                                 static_cast<int>(aad.size())) == 1;
    int written = 0;
    if (ok && size > 0) {
      ok = EVP_EncryptUpdate(ctx_.get(), out_bytes, &len, plaintext, static_cast<int>(size)) == 1;
      written = len;
    }
    ok = ok && EVP_EncryptFinal_ex(ctx_.get(), out_bytes + written, &len) == 1;
    ok = ok && static_cast<std::size_t>(written + len) == size;
    ok = ok && EVP_CIPHER_CTX_ctrl(ctx_.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagBytes),
                                   out_bytes + size) == 1;
    if (!ok) {
      clear_openssl_errors();
      throw Error("cannot seal " + what + ": encryption failed");
    }
    return out;
  }

 private:
  CipherCtxPtr ctx_;
};

// A version 2 wrap key's HKDF info: the label, NUL, the reference.
std::string wrap_info(const char* label, std::string_view reference) {
  if (reference.find('\0') != std::string_view::npos) throw Error("a reference contains NUL");
  std::string info = label;
  info += '\0';
  info += reference;
  return info;
}

// A field blob (see seal.h) under the data key `sealer` holds and `nonce`,
// which must never repeat for that key: callers draw it at random.
std::string seal_field(GcmSealer& sealer, const std::string& nonce, std::string_view reference,
                       std::string_view field_name, std::string_view plaintext) {
  const std::string what = "field '" + std::string(field_name) + "' of " + std::string(reference);
  std::string blob(1, static_cast<char>(kBlobVersion));
  blob += nonce;
  blob +=
      sealer.seal(nonce, field_aad(reference, field_name),
                  reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(), what);
  return blob;
}

// X25519(own private, peer public) into a wiped buffer.
SecretBytes x25519(EVP_PKEY* own, const std::array<unsigned char, kX25519KeyBytes>& peer_raw) {
  PkeyPtr peer(
      EVP_PKEY_new_raw_public_key_ex(nullptr, "X25519", nullptr, peer_raw.data(), peer_raw.size()));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, own, nullptr));
  SecretBytes shared(kX25519KeyBytes);
  std::size_t len = shared.size();
  // OpenSSL's X25519 refuses an all-zero result (a low-order peer point).
  const bool ok = peer && ctx && EVP_PKEY_derive_init(ctx.get()) == 1 &&
                  EVP_PKEY_derive_set_peer_ex(ctx.get(), peer.get(), 1) == 1 &&
                  EVP_PKEY_derive(ctx.get(), shared.data(), &len) == 1 && len == shared.size();
  if (!ok) {
    clear_openssl_errors();
    throw Error("X25519 key agreement failed");
  }
  return shared;
}

}  // namespace

std::string random_bytes(std::size_t count) {
  if (count > static_cast<std::size_t>(INT_MAX)) throw Error("random_bytes: count too large");
  std::string out(count, '\0');
  if (count > 0 &&
      RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(count)) != 1) {
    clear_openssl_errors();
    throw Error("the random number generator failed");
  }
  return out;
}

bool equal_constant_time(std::string_view a, std::string_view b) {
  // Lengths are not secret (MACs and tokens have fixed sizes).
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string blind_index(const SecretBytes& index_key, std::string_view stored_email) {
  return blind_index(HmacKey(index_key), stored_email);
}

std::string blind_index(const HmacKey& index_key, std::string_view stored_email) {
  std::string normalised = email_index_form(stored_email);
  std::string index = index_key.mac(normalised);
  OPENSSL_cleanse(normalised.data(), normalised.size());
  return index;
}

SecretBytes new_data_key() {
  SecretBytes key(kDataKeyBytes);
  if (RAND_priv_bytes(key.data(), static_cast<int>(key.size())) != 1) {
    clear_openssl_errors();
    throw Error("the random number generator failed");
  }
  return key;
}

std::string field_aad(std::string_view reference, std::string_view field_name) {
  // NUL separates the parts, so neither part may contain one.
  if (reference.find('\0') != std::string_view::npos ||
      field_name.find('\0') != std::string_view::npos) {
    throw Error("a reference or field name contains NUL");
  }
  std::string aad = kFieldAadLabel;
  aad += '\0';
  aad += reference;
  aad += '\0';
  aad += field_name;
  return aad;
}

std::string wrap_aad(std::string_view reference, std::string_view key_id) {
  if (reference.find('\0') != std::string_view::npos ||
      key_id.find('\0') != std::string_view::npos) {
    throw Error("a reference or key id contains NUL");
  }
  std::string aad = kWrapLabel;
  aad += '\0';
  aad += reference;
  aad += '\0';
  aad += key_id;
  return aad;
}

SecretBytes derive_wrap_key(unsigned char version, const SecretBytes& shared_secret,
                            const std::array<unsigned char, kX25519KeyBytes>& ephemeral_public,
                            const std::array<unsigned char, kX25519KeyBytes>& recipient_public,
                            std::string_view reference, std::uint32_t epoch) {
  const std::string salt = as_string(ephemeral_public.data(), ephemeral_public.size()) +
                           as_string(recipient_public.data(), recipient_public.size());
  if (version == kWrappedKeyVersionSessionWide) {
    return hkdf_sha256(shared_secret, salt, wrap_info(kWrapInfoV2Label, reference), kDataKeyBytes);
  }
  if (version == kWrappedKeyVersion) {
    return wrap_key_from_chain(
        chain_key_at(chain_key_zero(shared_secret, ephemeral_public, recipient_public), epoch),
        reference);
  }
  if (version == kWrappedKeyVersionOneEphemeralPerRecord) {
    return hkdf_sha256(shared_secret, salt, kWrapLabel, kDataKeyBytes);
  }
  throw Error("unknown wrapped key version " + std::to_string(version));
}

std::string encrypt_field(const SecretBytes& data_key, std::string_view reference,
                          std::string_view field_name, std::string_view plaintext) {
  GcmSealer sealer(data_key);
  return seal_field(sealer, random_bytes(kNonceBytes), reference, field_name, plaintext);
}

WrapSession::WrapSession(const SealPublicKey& recipient) : recipient_(recipient) {
  // The id is bound into the AAD; a struct whose id is not its key's id
  // would make blobs no private key could open.
  if (key_id_for(recipient.raw) != recipient.id) {
    throw Error("cannot wrap data keys: seal key id " + recipient.id + " does not match the key");
  }
  // From random bytes rather than EVP_PKEY_Q_keygen, which costs about a
  // tenth more for the same key (it looks the algorithm up by name twice).
  SecretBytes ephemeral_private(kX25519KeyBytes);
  if (RAND_priv_bytes(ephemeral_private.data(), static_cast<int>(ephemeral_private.size())) != 1) {
    clear_openssl_errors();
    throw Error("cannot wrap data keys: the random number generator failed");
  }
  PkeyPtr ephemeral(EVP_PKEY_new_raw_private_key_ex(nullptr, "X25519", nullptr,
                                                    ephemeral_private.data(),
                                                    ephemeral_private.size()));
  std::size_t len = ephemeral_public_.size();
  if (!ephemeral ||
      EVP_PKEY_get_raw_public_key(ephemeral.get(), ephemeral_public_.data(), &len) != 1 ||
      len != ephemeral_public_.size()) {
    clear_openssl_errors();
    throw Error("cannot wrap data keys: ephemeral key generation failed");
  }
  const std::string salt = as_string(ephemeral_public_.data(), ephemeral_public_.size()) +
                           as_string(recipient.raw.data(), recipient.raw.size());
  chain_key_ = hkdf_sha256_extract(x25519(ephemeral.get(), recipient.raw), salt);
}

bool WrapSession::advance() {
  if (chain_key_.empty()) return false;
  if (epoch_ + 1 >= kMaxWrapEpochs) {
    chain_key_.clear();  // wipes
    return false;
  }
  chain_key_ = hkdf_sha256_expand(chain_key_, kRatchetLabel, kDataKeyBytes);  // the old is wiped
  ++epoch_;
  return true;
}

SecretBytes chain_key_zero(const SecretBytes& shared_secret,
                           const std::array<unsigned char, kX25519KeyBytes>& ephemeral_public,
                           const std::array<unsigned char, kX25519KeyBytes>& recipient_public) {
  return hkdf_sha256_extract(shared_secret,
                             as_string(ephemeral_public.data(), ephemeral_public.size()) +
                                 as_string(recipient_public.data(), recipient_public.size()));
}

SecretBytes wrap_key_from_chain(const SecretBytes& chain_key, std::string_view reference) {
  return hkdf_sha256_expand(chain_key, wrap_info(kWrapInfoV3Label, reference), kDataKeyBytes);
}

SecretBytes chain_key_at(SecretBytes first, std::uint32_t epoch) {
  if (epoch >= kMaxWrapEpochs) throw Error("wrap epoch " + std::to_string(epoch) + " out of range");
  SecretBytes chain_key = std::move(first);
  for (std::uint32_t step = 0; step < epoch; ++step) {
    chain_key = hkdf_sha256_expand(chain_key, kRatchetLabel, kDataKeyBytes);
  }
  return chain_key;
}

std::string WrapSession::wrap(std::string_view reference, const SecretBytes& data_key) const {
  const std::string what = "the data key of " + std::string(reference);
  if (data_key.size() != kDataKeyBytes) throw Error("cannot wrap " + what + ": wrong key size");
  const std::string aad = wrap_aad(reference, recipient_.id);
  if (chain_key_.empty()) throw Error("cannot wrap " + what + ": the session is spent");
  const SecretBytes wrap_key = wrap_key_from_chain(chain_key_, reference);
  const std::string nonce = random_bytes(kNonceBytes);
  std::string blob(1, static_cast<char>(kWrappedKeyVersion));
  blob += as_string(ephemeral_public_.data(), ephemeral_public_.size());
  for (int shift = 24; shift >= 0; shift -= 8) {
    blob += static_cast<char>((epoch_ >> shift) & 0xff);
  }
  blob += nonce;
  blob += GcmSealer(wrap_key).seal(nonce, aad, data_key.data(), data_key.size(), what);
  return blob;
}

std::string wrap_data_key(const SealPublicKey& recipient, std::string_view reference,
                          const SecretBytes& data_key) {
  return WrapSession(recipient).wrap(reference, data_key);
}

SealedRecord seal_record(const WrapSession& session, std::string_view reference,
                         const std::map<std::string, std::string>& plaintexts) {
  const SecretBytes data_key = new_data_key();
  // Every field's nonce from one call to the generator (each call costs a
  // lock and a fork check); the nonces are still independent and random.
  const std::string nonces = random_bytes(kNonceBytes * plaintexts.size());
  GcmSealer sealer(data_key);
  SealedRecord record;
  record.key_id = session.key_id();
  std::size_t next = 0;
  for (const auto& [name, value] : plaintexts) {
    record.fields[name] =
        seal_field(sealer, nonces.substr(next, kNonceBytes), reference, name, value);
    next += kNonceBytes;
  }
  record.wrapped_key = session.wrap(reference, data_key);
  return record;
}

SealedRecord seal_record(const SealPublicKey& recipient, std::string_view reference,
                         const std::map<std::string, std::string>& plaintexts) {
  return seal_record(WrapSession(recipient), reference, plaintexts);
}

}  // namespace sealform
