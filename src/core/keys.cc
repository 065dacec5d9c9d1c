// keys.cc: the key directory: reading key files with their mode checked,
// HKDF subkeys of web.secret, X25519 seal key pairs and the `current` pointer.
//
// Files are opened first and checked with fstat on the descriptor, so the
// file checked is the file read (no check-then-open race). New files are
// created with O_EXCL and never overwrite anything; `current` is replaced by
// rename(2) so a reader sees the old id or the new one, never half a line.
#include "core/keys.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>

#include "core/algorithms.h"
#include "core/error.h"
#include "core/openssl_handle.h"

namespace sealform {
namespace {

constexpr std::size_t kMaxKeyFileBytes = 64 * 1024;
constexpr std::size_t kSubkeyBytes = 32;
constexpr std::size_t kKeyIdBytes = 6;
constexpr const char* kSubkeyInfoPrefix = "sealform/v1/";
constexpr const char* kPublicPrefix = "seal-";
constexpr const char* kPublicSuffix = ".pub";
constexpr const char* kPrivateSuffix = ".key";

std::string errno_text() { return std::strerror(errno); }

std::string mode_text(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

std::string base_name(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// fsync on the directory makes a create or rename in it durable.
void sync_directory(const std::string& directory) {
  UniqueFd fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.valid()) ::fsync(fd.get());
}

void write_all(int fd, const unsigned char* data, std::size_t size, const std::string& path) {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::write(fd, data + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw Error("cannot write " + path + ": " + errno_text());
    done += static_cast<std::size_t>(n);
  }
}

// Creates `path` with exactly `mode` and `size` bytes from `data`. Returns
// false (touching nothing) if the path exists; a partly written file is
// removed before the error is thrown.
bool write_new_file(const std::string& path, const unsigned char* data, std::size_t size,
                    mode_t mode) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode));
  if (!fd.valid()) {
    if (errno == EEXIST) return false;
    throw Error("cannot create " + path + ": " + errno_text());
  }
  try {
    // The umask may have narrowed the mode; web.secret must stay readable by
    // the web group, so set it exactly.
    if (::fchmod(fd.get(), mode) != 0) throw Error("cannot chmod " + path + ": " + errno_text());
    write_all(fd.get(), data, size, path);
    if (::fsync(fd.get()) != 0) throw Error("cannot sync " + path + ": " + errno_text());
    if (fd.close() != 0) throw Error("cannot close " + path + ": " + errno_text());
  } catch (...) {
    fd.reset();
    ::unlink(path.c_str());
    throw;
  }
  return true;
}

// Reads a small non-secret file (`current`) without following a symlink.
std::string read_small_file(const std::string& path, unsigned forbidden_mode,
                            const char* requirement) {
  SecretBytes bytes = read_key_file(path, forbidden_mode, requirement);
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

std::array<unsigned char, kX25519KeyBytes> raw_public_of(EVP_PKEY* pkey, const std::string& path) {
  std::array<unsigned char, kX25519KeyBytes> raw{};
  std::size_t len = raw.size();
  if (EVP_PKEY_get_raw_public_key(pkey, raw.data(), &len) != 1 || len != raw.size()) {
    clear_openssl_errors();
    throw Error("cannot read the public value of " + path);
  }
  return raw;
}

// "seal-<id>.pub" -> "<id>", or "" if the name does not have that form.
std::string id_from_file_name(const std::string& name, const char* suffix) {
  const std::size_t prefix_len = std::strlen(kPublicPrefix);
  const std::size_t suffix_len = std::strlen(suffix);
  if (name.size() <= prefix_len + suffix_len) return "";
  if (name.compare(0, prefix_len, kPublicPrefix) != 0) return "";
  if (name.compare(name.size() - suffix_len, suffix_len, suffix) != 0) return "";
  std::string id = name.substr(prefix_len, name.size() - prefix_len - suffix_len);
  return is_key_id(id) ? id : "";
}

std::string pem_of(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  if (len <= 0 || data == nullptr) return "";
  return std::string(data, static_cast<std::size_t>(len));
}

}  // namespace

const char* subkey_label(Subkey which) {
  switch (which) {
    case Subkey::kCsrf:
      return "csrf";
    case Subkey::kBlindIndex:
      return "blind-index";
    case Subkey::kRateLimit:
      return "rate-limit";
    case Subkey::kConsent:
      return "consent";
    case Subkey::kAudit:
      return "audit";
    case Subkey::kReference:
      return "reference";
  }
  return "unknown";
}

bool is_key_id(std::string_view id) {
  if (id.size() != 2 * kKeyIdBytes) return false;
  return std::all_of(id.begin(), id.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

SecretBytes read_key_file(const std::string& path, unsigned forbidden_mode,
                          const char* requirement) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd.valid()) throw Error("cannot open " + path + ": " + errno_text());
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) throw Error("cannot stat " + path + ": " + errno_text());
  if (!S_ISREG(st.st_mode)) throw Error("refusing " + path + ": not a regular file");
  if ((st.st_mode & forbidden_mode) != 0) {
    throw Error("refusing " + path + ": mode " + mode_text(st.st_mode) + " is too open, must be " +
                requirement);
  }
  if (static_cast<std::size_t>(st.st_size) > kMaxKeyFileBytes) {
    throw Error("refusing " + path + ": larger than a key file can be");
  }
  SecretBytes buf(static_cast<std::size_t>(st.st_size) + 1);  // +1 notices growth
  std::size_t got = 0;
  while (got < buf.size()) {
    const ssize_t n = ::read(fd.get(), buf.data() + got, buf.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error("cannot read " + path + ": " + errno_text());
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  if (got != static_cast<std::size_t>(st.st_size)) {
    throw Error("cannot read " + path + ": the file changed while it was read");
  }
  return SecretBytes(buf.data(), got);
}

namespace {

// One EVP_KDF "HKDF" derivation in `mode` (OSSL_KDF_PARAM_MODE): `key` is the
// input keying material, or the pseudorandom key for "EXPAND_ONLY".
SecretBytes hkdf_derive(const char* mode, const SecretBytes& key, std::string_view salt,
                        std::string_view info, std::size_t length) {
  if (key.empty() || length == 0) throw Error("HKDF: empty key or length");
  KdfCtxPtr ctx(EVP_KDF_CTX_new(hkdf_algorithm()));
  if (!ctx) throw Error("HKDF: out of memory");
  OSSL_PARAM params[6];
  std::size_t n = 0;
  char digest[] = "SHA256";
  params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
  params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_MODE, const_cast<char*>(mode), 0);
  params[n++] = OSSL_PARAM_construct_octet_string(
      OSSL_KDF_PARAM_KEY, const_cast<unsigned char*>(key.data()), key.size());
  // OpenSSL treats an absent salt as the RFC's HashLen zero bytes; an empty
  // octet string param is simply left out.
  if (!salt.empty()) {
    params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
                                                    const_cast<char*>(salt.data()), salt.size());
  }
  if (!info.empty()) {
    params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
                                                    const_cast<char*>(info.data()), info.size());
  }
  params[n] = OSSL_PARAM_construct_end();
  SecretBytes out(length);
  if (EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) != 1) {
    clear_openssl_errors();
    throw Error("HKDF derivation failed");
  }
  return out;
}

}  // namespace

SecretBytes hkdf_sha256(const SecretBytes& ikm, std::string_view salt, std::string_view info,
                        std::size_t length) {
  return hkdf_derive("EXTRACT_AND_EXPAND", ikm, salt, info, length);
}

SecretBytes hkdf_sha256_extract(const SecretBytes& ikm, std::string_view salt) {
  return hkdf_derive("EXTRACT_ONLY", ikm, salt, std::string_view(), kHkdfPrkBytes);
}

SecretBytes hkdf_sha256_expand(const SecretBytes& prk, std::string_view info, std::size_t length) {
  return hkdf_derive("EXPAND_ONLY", prk, std::string_view(), info, length);
}

std::string web_secret_path(const std::string& directory) { return directory + "/web.secret"; }

std::string public_key_path(const std::string& directory, const std::string& id) {
  return directory + "/" + kPublicPrefix + id + kPublicSuffix;
}

std::string private_key_path(const std::string& directory, const std::string& id) {
  return directory + "/" + kPublicPrefix + id + kPrivateSuffix;
}

SecretBytes load_web_secret(const std::string& path) {
  // The web worker reads it through its group, so group read is allowed;
  // others get nothing.
  SecretBytes secret = read_key_file(path, 0007, "0640 or stricter (no access for others)");
  if (secret.size() != kWebSecretBytes) {
    throw Error(path + " must hold " + std::to_string(kWebSecretBytes) + " bytes, it holds " +
                std::to_string(secret.size()));
  }
  return secret;
}

SecretBytes derive_subkey(const SecretBytes& web_secret, Subkey which) {
  if (web_secret.size() != kWebSecretBytes) throw Error("web secret has the wrong size");
  const std::string info = std::string(kSubkeyInfoPrefix) + subkey_label(which);
  return hkdf_sha256(web_secret, std::string_view(), info, kSubkeyBytes);
}

std::string key_id_for(const std::array<unsigned char, kX25519KeyBytes>& raw_public) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  if (EVP_Digest(raw_public.data(), raw_public.size(), digest, &digest_len, EVP_sha256(),
                 nullptr) != 1) {
    clear_openssl_errors();
    throw Error("SHA-256 failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (std::size_t i = 0; i < kKeyIdBytes; ++i) {
    id += kHex[digest[i] >> 4];
    id += kHex[digest[i] & 0x0f];
  }
  return id;
}

SealPublicKey load_public_key(const std::string& path) {
  const std::string name_id = id_from_file_name(base_name(path), kPublicSuffix);
  if (name_id.empty()) {
    throw Error("cannot load " + path + ": a public key file must be named seal-<id>.pub");
  }
  // Public, so readable by all; but nobody but the owner may replace it.
  SecretBytes pem = read_key_file(path, 0022, "0644 or stricter (writable by the owner only)");
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) throw Error("cannot load " + path + ": out of memory");
  PkeyPtr pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!pkey) {
    clear_openssl_errors();
    throw Error("cannot load " + path + ": not a PEM public key");
  }
  if (!EVP_PKEY_is_a(pkey.get(), "X25519")) {
    throw Error("cannot load " + path + ": not an X25519 key");
  }
  SealPublicKey key;
  key.raw = raw_public_of(pkey.get(), path);
  key.id = key_id_for(key.raw);
  if (key.id != name_id) {
    throw Error("cannot load " + path + ": the key id in the file name does not match the key (" +
                key.id + ")");
  }
  return key;
}

SealPublicKey load_current_public_key(const std::string& directory) {
  // Whoever can write to the key directory or to `current` can slip in a
  // key pair of their own: new enquiries, and a rekey, would be sealed for
  // it. Only the owner may.
  struct stat dir {};
  if (::stat(directory.c_str(), &dir) != 0) {
    throw Error("cannot stat the key directory " + directory + ": " + errno_text());
  }
  if ((dir.st_mode & 0022) != 0) {
    throw Error("refusing the key directory " + directory + ": mode " + mode_text(dir.st_mode) +
                " lets group or others add or replace keys (0750 or stricter)");
  }
  const std::string path = directory + "/current";
  std::string id = read_small_file(path, 0022, "0644 or stricter (writable by the owner only)");
  while (!id.empty() && (id.back() == '\n' || id.back() == '\r' || id.back() == ' ')) {
    id.pop_back();
  }
  if (!is_key_id(id)) throw Error(path + " does not hold a key id");
  return load_public_key(public_key_path(directory, id));
}

std::vector<std::string> list_key_ids(const std::string& directory) {
  std::error_code ec;
  std::filesystem::directory_iterator it(directory, ec);
  if (ec) throw Error("cannot list " + directory + ": " + ec.message());
  std::vector<std::string> ids;
  const std::filesystem::directory_iterator end{};
  for (; it != end; it.increment(ec)) {
    const std::string id = id_from_file_name(it->path().filename().string(), kPublicSuffix);
    if (!id.empty()) ids.push_back(id);
  }
  if (ec) throw Error("cannot list " + directory + ": " + ec.message());
  std::sort(ids.begin(), ids.end());
  return ids;
}

bool create_web_secret(const std::string& directory) {
  const std::string path = web_secret_path(directory);
  SecretBytes secret(kWebSecretBytes);
  if (RAND_priv_bytes(secret.data(), static_cast<int>(secret.size())) != 1) {
    clear_openssl_errors();
    throw Error("no random bytes for " + path);
  }
  if (!write_new_file(path, secret.data(), secret.size(), 0640)) return false;
  sync_directory(directory);
  return true;
}

namespace {

// PKCS#8 EncryptedPrivateKeyInfo: PBES2 with PBKDF2-HMAC-SHA256 over a
// 16-byte random salt and AES-256-CBC. OpenSSL's default of 2048 PBKDF2
// iterations (and an 8-byte salt) makes a stolen key file cheap to guess
// at; kPassphraseIterations is OWASP's figure for PBKDF2-HMAC-SHA256
// (about a third of a second to open the key here, once per command).
constexpr int kPassphraseIterations = 600000;
constexpr int kPassphraseSaltBytes = 16;

bool write_protected_pem(BIO* out, EVP_PKEY* pkey, const std::string& passphrase) {
  if (passphrase.size() > static_cast<std::size_t>(INT_MAX)) return false;
  unsigned char salt[kPassphraseSaltBytes];
  if (RAND_bytes(salt, sizeof salt) != 1) return false;
  std::unique_ptr<PKCS8_PRIV_KEY_INFO, decltype(&PKCS8_PRIV_KEY_INFO_free)> info(
      EVP_PKEY2PKCS8(pkey), &PKCS8_PRIV_KEY_INFO_free);
  if (!info) return false;
  // pbe_nid -1: PBES2 with the cipher given, PBKDF2 with HMAC-SHA256.
  std::unique_ptr<X509_SIG, decltype(&X509_SIG_free)> sealed(
      PKCS8_encrypt(-1, EVP_aes_256_cbc(), passphrase.data(), static_cast<int>(passphrase.size()),
                    salt, sizeof salt, kPassphraseIterations, info.get()),
      &X509_SIG_free);
  return sealed && PEM_write_bio_PKCS8(out, sealed.get()) == 1;
}

}  // namespace

std::string create_seal_key_pair(const std::string& directory,
                                 const std::optional<std::string>& passphrase) {
  if (passphrase && passphrase->empty()) throw Error("the passphrase is empty");
  PkeyPtr pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519"));
  if (!pkey) {
    clear_openssl_errors();
    throw Error("cannot generate an X25519 key");
  }
  const std::string id = key_id_for(raw_public_of(pkey.get(), directory));
  const std::string pub_path = public_key_path(directory, id);
  const std::string key_path = private_key_path(directory, id);

  // The private PEM lives in a secure-memory BIO, wiped when freed.
  BioPtr key_bio(BIO_new(BIO_s_secmem()));
  BioPtr pub_bio(BIO_new(BIO_s_mem()));
  if (!key_bio || !pub_bio) throw Error("out of memory");
  const bool ok = passphrase ? write_protected_pem(key_bio.get(), pkey.get(), *passphrase)
                             : PEM_write_bio_PrivateKey(key_bio.get(), pkey.get(), nullptr,
                                                        nullptr, 0, nullptr, nullptr) == 1;
  if (!ok || PEM_write_bio_PUBKEY(pub_bio.get(), pkey.get()) != 1) {
    clear_openssl_errors();
    throw Error("cannot encode the new key pair for " + directory);
  }
  char* key_pem = nullptr;
  const long key_len = BIO_get_mem_data(key_bio.get(), &key_pem);
  if (key_len <= 0 || key_pem == nullptr) throw Error("cannot encode the new private key");
  const std::string pub_pem = pem_of(pub_bio.get());

  // Private key first: if it cannot be written no public key is published.
  if (!write_new_file(key_path, reinterpret_cast<const unsigned char*>(key_pem),
                      static_cast<std::size_t>(key_len), 0600)) {
    throw Error("refusing to overwrite " + key_path);
  }
  try {
    if (!write_new_file(pub_path, reinterpret_cast<const unsigned char*>(pub_pem.data()),
                        pub_pem.size(), 0644)) {
      throw Error("refusing to overwrite " + pub_path);
    }
  } catch (...) {
    ::unlink(key_path.c_str());
    throw;
  }
  sync_directory(directory);
  set_current_key(directory, id);
  return id;
}

void set_current_key(const std::string& directory, const std::string& id) {
  if (!is_key_id(id)) throw Error("not a key id: '" + id + "'");
  load_public_key(public_key_path(directory, id));  // must exist and match

  const std::string path = directory + "/current";
  std::string temp = directory + "/.current.XXXXXX";
  UniqueFd fd(::mkostemp(temp.data(), O_CLOEXEC));
  if (!fd.valid())
    throw Error("cannot create a temporary file in " + directory + ": " + errno_text());
  try {
    const std::string line = id + "\n";
    if (::fchmod(fd.get(), 0644) != 0) throw Error("cannot chmod " + temp + ": " + errno_text());
    write_all(fd.get(), reinterpret_cast<const unsigned char*>(line.data()), line.size(), temp);
    if (::fsync(fd.get()) != 0) throw Error("cannot sync " + temp + ": " + errno_text());
    if (fd.close() != 0) throw Error("cannot close " + temp + ": " + errno_text());
    if (::rename(temp.c_str(), path.c_str()) != 0) {
      throw Error("cannot replace " + path + ": " + errno_text());
    }
  } catch (...) {
    fd.reset();
    ::unlink(temp.c_str());
    throw;
  }
  sync_directory(directory);
}

}  // namespace sealform
