// Tests for secret.h, keys.h, seal.h and open.h: sealing and opening round
// trips, tamper detection (every byte of every blob), associated data that
// binds a field to its record and name, key file modes, passphrases, HKDF
// subkeys, the blind index and key generation.
//
// Failure messages name fields, files and byte positions; they never print
// a plaintext value.
#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/keys.h"
#include "core/seal.h"
#include "core/secret.h"
#include "open/open.h"
#include "test_util.h"

namespace sealform {
namespace {

constexpr const char* kReference = "ENQ-7K3QW-M2XHD";
constexpr const char* kOtherReference = "ENQ-AAAAA-BBBBB";

std::string cjk_text(std::size_t characters) {
  // U+6F22 (3 bytes in UTF-8) and U+5B57 alternately.
  std::string text;
  for (std::size_t i = 0; i < characters; ++i)
    text += (i % 2 == 0) ? "\xE6\xBC\xA2" : "\xE5\xAD\x97";
  return text;
}

std::string all_byte_values() {
  std::string bytes;
  for (int round = 0; round < 2; ++round) {
    for (int b = 0; b < 256; ++b) bytes += static_cast<char>(b);
  }
  return bytes;
}

std::map<std::string, std::string> sample_fields() {
  return {
      {"name", "Ada Lovelace"},      {"email", "ada@example.org"},
      {"message", cjk_text(5000)},   {"empty", ""},
      {"binary", all_byte_values()},
  };
}

std::string to_hex(const std::string& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 0x0f];
  }
  return out;
}

std::string from_hex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return out;
}

std::string secret_string(const SecretBytes& s) {
  return std::string(reinterpret_cast<const char*>(s.data()), s.size());
}

std::string mode_string(int mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode));
  return buf;
}

// Runs `action`, which must throw sealform::Error. The message must contain
// every string in `wanted` and none in `forbidden` (plaintexts); a leak is
// reported without echoing the message.
std::string expect_error(const std::string& label, const std::function<void()>& action,
                         const std::vector<std::string>& wanted = {},
                         const std::vector<std::string>& forbidden = {}) {
  try {
    action();
  } catch (const Error& e) {
    const std::string message = e.what();
    for (const std::string& secret : forbidden) {
      CPPUNIT_ASSERT_MESSAGE(label + ": the error message leaks a field value",
                             !test::contains_bytes(message, secret));
    }
    for (const std::string& part : wanted) {
      CPPUNIT_ASSERT_MESSAGE(label + ": message '" + message + "' lacks '" + part + "'",
                             message.find(part) != std::string::npos);
    }
    return message;
  }
  CPPUNIT_FAIL(label + ": no sealform::Error thrown");
  return "";
}

// The private key of the known-answer vectors (it exists only for them),
// written into `dir` and loaded.
SealPrivateKey known_answer_key(const test::TempDir& dir) {
  const std::string path = dir.path() + "/seal-9e8a0115edc1.key";
  test::write_file(path,
                   "-----BEGIN PRIVATE KEY-----\n"
                   "MC4CAQAwBQYDK2VuBCIEIPhB8b9cZhdTn0DlYRdxtymoQBFDgctYcnMpIiaBVWFS\n"
                   "-----END PRIVATE KEY-----\n",
                   0600);
  return SealPrivateKey::load(path, std::nullopt);
}

// A key directory with a web secret and one unprotected seal key pair.
struct KeyDir {
  test::TempDir dir;
  std::string id;
  KeyDir() {
    create_web_secret(dir.path());
    id = create_seal_key_pair(dir.path(), std::nullopt);
  }
  SealPublicKey public_key() const { return load_public_key(public_key_path(dir.path(), id)); }
  SealPrivateKey private_key() const {
    return SealPrivateKey::load(private_key_path(dir.path(), id), std::nullopt);
  }
};

}  // namespace

class CryptoTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(CryptoTest);
  CPPUNIT_TEST(SecretBytesMoveAndClear);
  CPPUNIT_TEST(WipeZeroesAStringsWholeBuffer);
  CPPUNIT_TEST(RoundTripKeepsEveryByte);
  CPPUNIT_TEST(BlobLayoutAndFreshness);
  CPPUNIT_TEST(EveryFlippedBitInAFieldBlobFails);
  CPPUNIT_TEST(EveryFlippedBitInTheWrappedKeyFails);
  CPPUNIT_TEST(TruncatedAndExtendedBlobsFail);
  CPPUNIT_TEST(UnknownVersionFails);
  CPPUNIT_TEST(OneSessionWrapsManyKeysUnderDistinctWrapKeys);
  CPPUNIT_TEST(VersionOneWrappedKeysStillOpen);
  CPPUNIT_TEST(VersionTwoWrappedKeysStillOpen);
  CPPUNIT_TEST(ChainKeyEpochsOpenAndBind);
  CPPUNIT_TEST(BlobMovedToAnotherFieldFails);
  CPPUNIT_TEST(BlobMovedToAnotherRecordFails);
  CPPUNIT_TEST(WrongPrivateKeyFails);
  CPPUNIT_TEST(PrivateKeyModeIsChecked);
  CPPUNIT_TEST(WebSecretModeIsChecked);
  CPPUNIT_TEST(SymlinkedKeyFileIsRefused);
  CPPUNIT_TEST(WebSecretOfWrongSizeIsRefused);
  CPPUNIT_TEST(PassphraseProtectedKey);
  CPPUNIT_TEST(EmptyPassphraseIsRefused);
  CPPUNIT_TEST(SubkeysDifferPerPurposeAndAreDeterministic);
  CPPUNIT_TEST(HkdfAndHmacMatchTheRfcVectors);
  CPPUNIT_TEST(BlindIndexIgnoresCase);
  CPPUNIT_TEST(KeyGenerationNeverOverwrites);
  CPPUNIT_TEST(KeyIdsMatchFileNames);
  CPPUNIT_TEST(PublicKeyUnderAnotherIdIsRefused);
  CPPUNIT_TEST(CurrentKeyCanBeSwitched);
  CPPUNIT_TEST(SmallHelpers);
  CPPUNIT_TEST_SUITE_END();

 public:
  void WipeZeroesAStringsWholeBuffer() {
    std::string text;
    text.reserve(64);
    text = "correct horse battery staple, a passphrase";
    const char* buffer = text.data();
    const std::size_t capacity = text.capacity();
    wipe(text);
    CPPUNIT_ASSERT(text.empty());
    CPPUNIT_ASSERT(text.data() == buffer);  // the same allocation, still owned
    for (std::size_t i = 0; i < capacity; ++i) CPPUNIT_ASSERT_EQUAL('\0', buffer[i]);
    std::string never_used;
    wipe(never_used);
    CPPUNIT_ASSERT(never_used.empty());
  }

  void SecretBytesMoveAndClear() {
    const unsigned char raw[] = {1, 2, 3, 4};
    SecretBytes a(raw, sizeof raw);
    SecretBytes b = std::move(a);
    CPPUNIT_ASSERT(a.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty
    CPPUNIT_ASSERT_EQUAL(std::size_t{4}, b.size());
    SecretBytes c = b.copy();
    CPPUNIT_ASSERT(secret_string(b) == secret_string(c));
    b.clear();
    CPPUNIT_ASSERT(b.empty());
    CPPUNIT_ASSERT_EQUAL(std::size_t{4}, c.size());
    SecretBytes zeros(8);
    CPPUNIT_ASSERT(secret_string(zeros) == std::string(8, '\0'));
  }

  void RoundTripKeepsEveryByte() {
    KeyDir keys;
    const auto fields = sample_fields();
    const SealedRecord record = seal_record(keys.public_key(), kReference, fields);
    CPPUNIT_ASSERT_EQUAL(keys.id, record.key_id);
    CPPUNIT_ASSERT_EQUAL(fields.size(), record.fields.size());
    for (const auto& [name, value] : fields) {
      if (value.size() >= 4) {
        CPPUNIT_ASSERT_MESSAGE("field " + name + ": plaintext visible in the blob",
                               !test::contains_bytes(record.fields.at(name), value));
      }
    }
    const auto opened = open_record(keys.private_key(), kReference, record);
    CPPUNIT_ASSERT_EQUAL(fields.size(), opened.size());
    for (const auto& [name, value] : fields) {
      CPPUNIT_ASSERT_MESSAGE("field " + name + " did not survive the round trip",
                             opened.count(name) == 1 && opened.at(name) == value);
    }
    CPPUNIT_ASSERT_EQUAL(std::size_t{15000}, opened.at("message").size());
  }

  void BlobLayoutAndFreshness() {
    KeyDir keys;
    const SealPublicKey pub = keys.public_key();
    const SealedRecord a = seal_record(pub, kReference, {{"name", "Grace"}});
    const SealedRecord b = seal_record(pub, kReference, {{"name", "Grace"}});
    const std::string& blob = a.fields.at("name");
    CPPUNIT_ASSERT_EQUAL(1 + kNonceBytes + 5 + kTagBytes, blob.size());
    CPPUNIT_ASSERT_EQUAL(static_cast<char>(kBlobVersion), blob[0]);
    CPPUNIT_ASSERT_EQUAL(std::size_t{1 + 32 + 4 + 12 + 32 + 16}, a.wrapped_key.size());
    CPPUNIT_ASSERT_EQUAL(static_cast<char>(kWrappedKeyVersion), a.wrapped_key[0]);
    // A fresh data key, nonce and ephemeral key every time.
    CPPUNIT_ASSERT(a.fields.at("name") != b.fields.at("name"));
    // Within a record, every field has a nonce of its own.
    const SealedRecord many = seal_record(pub, kReference, sample_fields());
    std::set<std::string> nonces;
    for (const auto& [name, field_blob] : many.fields)
      nonces.insert(field_blob.substr(1, kNonceBytes));
    CPPUNIT_ASSERT_EQUAL(many.fields.size(), nonces.size());
    CPPUNIT_ASSERT(a.wrapped_key.substr(1, 32) != b.wrapped_key.substr(1, 32));
    const SecretBytes k1 = new_data_key();
    const SecretBytes k2 = new_data_key();
    CPPUNIT_ASSERT_EQUAL(kDataKeyBytes, k1.size());
    CPPUNIT_ASSERT(secret_string(k1) != secret_string(k2));
  }

  void EveryFlippedBitInAFieldBlobFails() {
    const SecretBytes data_key = new_data_key();
    const std::string secret = "a private message";
    const std::string blob = encrypt_field(data_key, kReference, "message", secret);
    CPPUNIT_ASSERT(decrypt_field(data_key, kReference, "message", blob) == secret);
    for (std::size_t i = 0; i < blob.size(); ++i) {
      std::string bad = blob;
      bad[i] = static_cast<char>(bad[i] ^ (1 << (i % 8)));
      expect_error("field blob byte " + std::to_string(i),
                   [&] { decrypt_field(data_key, kReference, "message", bad); },
                   {"message", kReference}, {secret});
    }
  }

  void EveryFlippedBitInTheWrappedKeyFails() {
    KeyDir keys;
    const SealPrivateKey priv = keys.private_key();
    const std::string secret = "someone@example.net";
    const SealedRecord record = seal_record(keys.public_key(), kReference, {{"email", secret}});
    CPPUNIT_ASSERT(open_record(priv, kReference, record).at("email") == secret);
    for (std::size_t i = 0; i < record.wrapped_key.size(); ++i) {
      SealedRecord bad = record;
      bad.wrapped_key[i] = static_cast<char>(bad.wrapped_key[i] ^ (1 << (i % 8)));
      expect_error("wrapped key byte " + std::to_string(i),
                   [&] { open_record(priv, kReference, bad); }, {kReference}, {secret});
    }
  }

  void TruncatedAndExtendedBlobsFail() {
    KeyDir keys;
    const SealPrivateKey priv = keys.private_key();
    const SecretBytes data_key = new_data_key();
    const std::string blob = encrypt_field(data_key, kReference, "name", "Edsger");
    for (std::size_t n = 0; n < blob.size(); ++n) {
      expect_error("field blob cut to " + std::to_string(n),
                   [&] { decrypt_field(data_key, kReference, "name", blob.substr(0, n)); },
                   {"'name'", kReference});
    }
    expect_error("field blob with a byte appended",
                 [&] { decrypt_field(data_key, kReference, "name", blob + "x"); });
    const std::string wrapped = wrap_data_key(keys.public_key(), kReference, data_key);
    for (std::size_t n = 0; n < wrapped.size(); ++n) {
      expect_error("wrapped key cut to " + std::to_string(n),
                   [&] { unwrap_data_key(priv, kReference, wrapped.substr(0, n)); }, {kReference});
    }
    expect_error("wrapped key with a byte appended",
                 [&] { unwrap_data_key(priv, kReference, wrapped + "x"); });
    const SecretBytes back = unwrap_data_key(priv, kReference, wrapped);
    CPPUNIT_ASSERT(secret_string(back) == secret_string(data_key));
  }

  void UnknownVersionFails() {
    KeyDir keys;
    const SecretBytes data_key = new_data_key();
    std::string blob = encrypt_field(data_key, kReference, "name", "Barbara");
    blob[0] = 2;
    expect_error("field blob version 2", [&] { decrypt_field(data_key, kReference, "name", blob); },
                 {"version", "'name'", kReference});
    std::string wrapped = wrap_data_key(keys.public_key(), kReference, data_key);
    for (const char version : {'\x00', '\x04', '\xff'}) {
      wrapped[0] = version;
      expect_error("wrapped key version " + std::to_string(static_cast<unsigned char>(version)),
                   [&] { unwrap_data_key(keys.private_key(), kReference, wrapped); },
                   {"version", kReference});
    }
    // A version 3 blob relabelled 2 or 1 has the wrong length for it.
    wrapped[0] = static_cast<char>(kWrappedKeyVersionSessionWide);
    expect_error("version 3 blob relabelled version 2",
                 [&] { unwrap_data_key(keys.private_key(), kReference, wrapped); },
                 {"malformed", kReference});
  }

  // Version 3: each epoch's chain key is one HKDF step from the last; a
  // blob names its epoch, and the private key holder steps there.
  void ChainKeyEpochsOpenAndBind() {
    KeyDir keys;
    const SealPrivateKey priv = keys.private_key();
    WrapSession session(keys.public_key());
    std::vector<std::pair<std::string, SealedRecord>> sealed;
    for (std::uint32_t epoch = 0; epoch < 7; ++epoch) {
      CPPUNIT_ASSERT_EQUAL(epoch, session.epoch());
      const std::string reference = "ENQ-AAAAA-AAAA" + std::to_string(epoch);
      sealed.emplace_back(reference, seal_record(session, reference, {{"name", "Epoch"}}));
      const std::string& blob = sealed.back().second.wrapped_key;
      CPPUNIT_ASSERT_EQUAL(static_cast<char>(kWrappedKeyVersion), blob[0]);
      CPPUNIT_ASSERT_EQUAL(static_cast<char>(epoch), blob[1 + kX25519KeyBytes + 3]);
      CPPUNIT_ASSERT(session.advance());
    }
    for (const auto& [reference, record] : sealed) {
      CPPUNIT_ASSERT_EQUAL(std::string("Epoch"), open_record(priv, reference, record).at("name"));
    }
    // Out of order, and between two sessions: the chain key kept from the
    // last blob is only stepped forward, never reused for another session.
    WrapSession other(keys.public_key());
    const SealedRecord elsewhere = seal_record(other, kOtherReference, {{"name", "Other"}});
    for (const std::size_t i : {5u, 1u, 6u, 0u, 3u}) {
      CPPUNIT_ASSERT_EQUAL(std::string("Epoch"),
                           open_record(priv, sealed[i].first, sealed[i].second).at("name"));
      CPPUNIT_ASSERT_EQUAL(std::string("Other"),
                           open_record(priv, kOtherReference, elsewhere).at("name"));
    }
    // Another epoch is another key: the tag fails, nothing is revealed.
    SealedRecord moved = sealed[2].second;
    moved.wrapped_key[1 + kX25519KeyBytes + 3] = 3;
    expect_error("epoch changed", [&] { open_record(priv, sealed[2].first, moved); },
                 {"authentication failed"}, {"Epoch"});
    moved.wrapped_key[1 + kX25519KeyBytes] = 1;  // epoch 2^24 + 3: past any session
    expect_error("epoch out of range", [&] { open_record(priv, sealed[2].first, moved); },
                 {"malformed"});
    // The steps run out at kMaxWrapEpochs: the session is then spent.
    WrapSession short_lived(keys.public_key());
    std::uint32_t steps = 0;
    while (short_lived.advance()) ++steps;
    CPPUNIT_ASSERT_EQUAL(kMaxWrapEpochs - 1, steps);
    const SecretBytes data_key = new_data_key();
    expect_error("a spent session", [&] { short_lived.wrap(kReference, data_key); }, {"spent"});
    CPPUNIT_ASSERT(secret_string(chain_key_at(SecretBytes(32), 2)) ==
                   secret_string(chain_key_at(chain_key_at(SecretBytes(32), 1), 1)));
  }

  void VersionTwoWrappedKeysStillOpen() {
    // A known-answer vector written by sealform before version 3: one
    // agreement for many records, no chain key (the key of the version 1
    // vector below).
    test::TempDir dir;
    const SealPrivateKey priv = known_answer_key(dir);
    const std::string wrapped = from_hex(
        "027a2b497749ad58242f056c007b4903582ddced80eb6c252051bf5b6b3791ff71c2cfbb5287a08ba4472eba"
        "5c329e383d0b3596bfd439133dedffcc02f8b7fdcfe205526f6786a00ec63a0122e118976fc3eb5af894c62f"
        "2f3d7e1d27");
    const SecretBytes data_key = unwrap_data_key(priv, kReference, wrapped);
    std::string expected_key;
    for (int i = 0; i < 32; ++i) expected_key += static_cast<char>(i);
    CPPUNIT_ASSERT(secret_string(data_key) == expected_key);
    expect_error("version 2 blob under another reference",
                 [&] { unwrap_data_key(priv, kOtherReference, wrapped); }, {kOtherReference});
  }

  void OneSessionWrapsManyKeysUnderDistinctWrapKeys() {
    KeyDir keys;
    const SealPrivateKey priv = keys.private_key();
    const WrapSession session(keys.public_key());
    CPPUNIT_ASSERT_EQUAL(keys.id, session.key_id());
    const SealedRecord a = seal_record(session, kReference, {{"name", "Grace"}});
    const SealedRecord b = seal_record(session, kOtherReference, {{"name", "Hedy"}});
    // One agreement: the same ephemeral public value in both blobs.
    CPPUNIT_ASSERT(a.wrapped_key.substr(1, kX25519KeyBytes) ==
                   b.wrapped_key.substr(1, kX25519KeyBytes));
    CPPUNIT_ASSERT(open_record(priv, kReference, a).at("name") == "Grace");
    CPPUNIT_ASSERT(open_record(priv, kOtherReference, b).at("name") == "Hedy");
    // A wrapped key moved to another record of the same session fails.
    SealedRecord moved = b;
    moved.wrapped_key = a.wrapped_key;
    expect_error("wrapped key moved within a session",
                 [&] { open_record(priv, kOtherReference, moved); }, {kOtherReference}, {"Hedy"});
    // The AAD alone would catch that move; the wrap keys differ as well,
    // because the reference is in the HKDF info.
    const SecretBytes shared(32);
    const std::array<unsigned char, kX25519KeyBytes> zero{};
    CPPUNIT_ASSERT(
        secret_string(derive_wrap_key(kWrappedKeyVersion, shared, zero, zero, kReference)) !=
        secret_string(derive_wrap_key(kWrappedKeyVersion, shared, zero, zero, kOtherReference)));
    // A new session is a new ephemeral key.
    const WrapSession other(keys.public_key());
    const SealedRecord c = seal_record(other, kReference, {{"name", "Grace"}});
    CPPUNIT_ASSERT(c.wrapped_key.substr(1, kX25519KeyBytes) !=
                   a.wrapped_key.substr(1, kX25519KeyBytes));
  }

  void VersionOneWrappedKeysStillOpen() {
    // A known-answer vector written by sealform before version 2: one
    // ephemeral key per record, info "sealform/v1/wrap".
    test::TempDir dir;
    const SealPrivateKey priv = known_answer_key(dir);
    CPPUNIT_ASSERT_EQUAL(std::string("9e8a0115edc1"), priv.id());
    const std::string wrapped = from_hex(
        "014ddc02d223ac51bf57fd58e1707bfcb0fedb43e3b404a5a58af1aa11e35b1a60c75a6b23f91bc18a0c1243"
        "3ad3c7d2ed17ceead4080e7b95380a3f621c68adff875a6b362e061642408fd4b8053af6e967c091203a000c"
        "523c458b2c");
    const SecretBytes data_key = unwrap_data_key(priv, kReference, wrapped);
    std::string expected_key;
    for (int i = 0; i < 32; ++i) expected_key += static_cast<char>(i);
    CPPUNIT_ASSERT(secret_string(data_key) == expected_key);
    const std::string field = from_hex(
        "01128b95f88da60810e89f647d8c5d90dd35e581a570e8c452bb0a3af58e0d9be18fb9291cf29be6aa");
    CPPUNIT_ASSERT(decrypt_field(data_key, kReference, "name", field) == "Ada Lovelace");
    expect_error("version 1 blob under another reference",
                 [&] { unwrap_data_key(priv, kOtherReference, wrapped); }, {kOtherReference});
  }

  void BlobMovedToAnotherFieldFails() {
    KeyDir keys;
    const auto fields = sample_fields();
    SealedRecord record = seal_record(keys.public_key(), kReference, fields);
    std::swap(record.fields["name"], record.fields["message"]);
    std::vector<std::string> plaintexts;
    for (const auto& entry : fields) {
      if (!entry.second.empty()) plaintexts.push_back(entry.second);
    }
    const std::string message = expect_error(
        "swapped fields", [&] { open_record(keys.private_key(), kReference, record); },
        {kReference, "authentication failed"}, plaintexts);
    CPPUNIT_ASSERT_MESSAGE(message, message.find("'message'") != std::string::npos ||
                                        message.find("'name'") != std::string::npos);
    // Same data key, same reference, another field name.
    const SecretBytes data_key = new_data_key();
    const std::string blob = encrypt_field(data_key, kReference, "name", "Alan");
    expect_error("field blob under another name",
                 [&] { decrypt_field(data_key, kReference, "email", blob); },
                 {"cannot open field 'email' of ENQ-7K3QW-M2XHD: authentication failed"});
  }

  void BlobMovedToAnotherRecordFails() {
    KeyDir keys;
    const SealPublicKey pub = keys.public_key();
    const SealPrivateKey priv = keys.private_key();
    // The same data key under another reference: the field AAD differs.
    const SecretBytes data_key = new_data_key();
    const std::string blob = encrypt_field(data_key, kReference, "name", "Alan");
    expect_error("field blob under another reference",
                 [&] { decrypt_field(data_key, kOtherReference, "name", blob); },
                 {"'name'", kOtherReference});
    // A whole record opened under another reference: the wrap AAD differs.
    const SealedRecord record = seal_record(pub, kReference, {{"name", "Alan"}});
    expect_error("record under another reference",
                 [&] { open_record(priv, kOtherReference, record); }, {kOtherReference});
    // A field blob copied into another record (another data key).
    SealedRecord other = seal_record(pub, kOtherReference, {{"name", "Kurt"}});
    other.fields["name"] = record.fields.at("name");
    expect_error("field blob copied into another record",
                 [&] { open_record(priv, kOtherReference, other); }, {"'name'", kOtherReference},
                 {"Alan", "Kurt"});
  }

  void WrongPrivateKeyFails() {
    KeyDir keys;
    const std::string other_id = create_seal_key_pair(keys.dir.path(), std::nullopt);
    const SealPrivateKey other =
        SealPrivateKey::load(private_key_path(keys.dir.path(), other_id), std::nullopt);
    const SealedRecord record = seal_record(keys.public_key(), kReference, {{"name", "Ada"}});
    expect_error("record for another key id", [&] { open_record(other, kReference, record); },
                 {kReference, keys.id});
    // Relabelled to the other key's id: the wrap no longer authenticates.
    SealedRecord relabelled = record;
    relabelled.key_id = other_id;
    expect_error("relabelled record", [&] { open_record(other, kReference, relabelled); },
                 {kReference, "authentication failed"}, {"Ada"});
    expect_error("unwrap with the wrong key",
                 [&] { unwrap_data_key(other, kReference, record.wrapped_key); }, {kReference});
  }

  void PrivateKeyModeIsChecked() {
    KeyDir keys;
    const std::string path = private_key_path(keys.dir.path(), keys.id);
    for (int mode : {0640, 0644, 0604, 0660, 0610, 0601}) {
      CPPUNIT_ASSERT_EQUAL(0, ::chmod(path.c_str(), static_cast<mode_t>(mode)));
      expect_error("private key mode " + mode_string(mode),
                   [&] { SealPrivateKey::load(path, std::nullopt); }, {path, mode_string(mode)});
    }
    for (int mode : {0600, 0400, 0700}) {  // owner only: mode & 077 == 0
      CPPUNIT_ASSERT_EQUAL(0, ::chmod(path.c_str(), static_cast<mode_t>(mode)));
      CPPUNIT_ASSERT_EQUAL(keys.id, SealPrivateKey::load(path, std::nullopt).id());
    }
  }

  void WebSecretModeIsChecked() {
    test::TempDir dir;
    CPPUNIT_ASSERT(create_web_secret(dir.path()));
    const std::string path = web_secret_path(dir.path());
    struct stat st;
    CPPUNIT_ASSERT_EQUAL(0, ::stat(path.c_str(), &st));
    CPPUNIT_ASSERT_EQUAL(0640, static_cast<int>(st.st_mode & 07777));
    for (int mode : {0644, 0604, 0606, 0601}) {
      CPPUNIT_ASSERT_EQUAL(0, ::chmod(path.c_str(), static_cast<mode_t>(mode)));
      expect_error("web.secret mode " + mode_string(mode), [&] { load_web_secret(path); },
                   {path, mode_string(mode)});
    }
    for (int mode : {0600, 0640, 0400, 0440}) {
      CPPUNIT_ASSERT_EQUAL(0, ::chmod(path.c_str(), static_cast<mode_t>(mode)));
      CPPUNIT_ASSERT_EQUAL(kWebSecretBytes, load_web_secret(path).size());
    }
  }

  void SymlinkedKeyFileIsRefused() {
    KeyDir keys;
    const std::string link = keys.dir.file("linked.secret");
    CPPUNIT_ASSERT_EQUAL(0, ::symlink(web_secret_path(keys.dir.path()).c_str(), link.c_str()));
    expect_error("symlinked web.secret", [&] { load_web_secret(link); }, {link});
    const std::string key_link = keys.dir.file("linked.key");
    CPPUNIT_ASSERT_EQUAL(
        0, ::symlink(private_key_path(keys.dir.path(), keys.id).c_str(), key_link.c_str()));
    expect_error("symlinked private key", [&] { SealPrivateKey::load(key_link, std::nullopt); },
                 {key_link});
  }

  void WebSecretOfWrongSizeIsRefused() {
    test::TempDir dir;
    const std::string path = web_secret_path(dir.path());
    test::write_file(path, std::string(31, 'k'), 0600);
    expect_error("31-byte web.secret", [&] { load_web_secret(path); }, {path, "32"});
    expect_error("missing web.secret", [&] { load_web_secret(dir.file("none")); },
                 {dir.file("none")});
  }

  void PassphraseProtectedKey() {
    test::TempDir dir;
    const std::string id = create_seal_key_pair(dir.path(), std::string("correct horse"));
    const std::string path = private_key_path(dir.path(), id);
    const std::string pem = test::read_file(path);
    CPPUNIT_ASSERT(pem.find("BEGIN ENCRYPTED PRIVATE KEY") != std::string::npos);

    const SealPrivateKey key = SealPrivateKey::load(path, std::string("correct horse"));
    CPPUNIT_ASSERT_EQUAL(id, key.id());
    const SealedRecord record =
        seal_record(load_current_public_key(dir.path()), kReference, {{"name", "Ada"}});
    CPPUNIT_ASSERT(open_record(key, kReference, record).at("name") == "Ada");

    expect_error("wrong passphrase",
                 [&] { SealPrivateKey::load(path, std::string("battery staple")); },
                 {"wrong passphrase", path}, {"battery staple", "correct horse"});
    expect_error("no passphrase", [&] { SealPrivateKey::load(path, std::nullopt); },
                 {"passphrase", path});
    CPPUNIT_ASSERT_THROW(SealPrivateKey::load(path, std::nullopt), PassphraseNeeded);
    CPPUNIT_ASSERT(is_passphrase_protected(path));
    expect_error("passphrase longer than OpenSSL's buffer",
                 [&] { SealPrivateKey::load(path, std::string(5000, 'p')); }, {path});

    // An unprotected key is plain PKCS#8.
    const std::string plain_id = create_seal_key_pair(dir.path(), std::nullopt);
    const std::string plain_pem = test::read_file(private_key_path(dir.path(), plain_id));
    CPPUNIT_ASSERT(plain_pem.find("BEGIN PRIVATE KEY") != std::string::npos);
    CPPUNIT_ASSERT(!is_passphrase_protected(private_key_path(dir.path(), plain_id)));
    CPPUNIT_ASSERT(!is_passphrase_protected(dir.file("missing.key")));
  }

  void EmptyPassphraseIsRefused() {
    test::TempDir dir;
    expect_error("empty passphrase", [&] { create_seal_key_pair(dir.path(), std::string()); },
                 {"passphrase"});
    CPPUNIT_ASSERT(list_key_ids(dir.path()).empty());
  }

  void SubkeysDifferPerPurposeAndAreDeterministic() {
    KeyDir keys;
    const SecretBytes secret = load_web_secret(web_secret_path(keys.dir.path()));
    const Subkey all[] = {Subkey::kCsrf,    Subkey::kBlindIndex, Subkey::kRateLimit,
                          Subkey::kConsent, Subkey::kAudit,      Subkey::kReference};
    std::set<std::string> seen;
    std::set<std::string> labels;
    for (Subkey which : all) {
      const SecretBytes a = derive_subkey(secret, which);
      const SecretBytes b = derive_subkey(secret, which);
      CPPUNIT_ASSERT_EQUAL(std::size_t{32}, a.size());
      CPPUNIT_ASSERT_MESSAGE(subkey_label(which), secret_string(a) == secret_string(b));
      CPPUNIT_ASSERT_MESSAGE(subkey_label(which), secret_string(a) != secret_string(secret));
      seen.insert(secret_string(a));
      labels.insert(subkey_label(which));
    }
    CPPUNIT_ASSERT_EQUAL(std::size_t{6}, seen.size());
    CPPUNIT_ASSERT_EQUAL(std::size_t{6}, labels.size());
    // Another web.secret, other subkeys.
    test::TempDir other;
    create_web_secret(other.path());
    const SecretBytes other_secret = load_web_secret(web_secret_path(other.path()));
    CPPUNIT_ASSERT(secret_string(derive_subkey(secret, Subkey::kCsrf)) !=
                   secret_string(derive_subkey(other_secret, Subkey::kCsrf)));
  }

  void HkdfAndHmacMatchTheRfcVectors() {
    // RFC 5869, appendix A.1.
    const std::string ikm(22, '\x0b');
    std::string salt;
    for (int i = 0x00; i <= 0x0c; ++i) salt += static_cast<char>(i);
    std::string info;
    for (int i = 0xf0; i <= 0xf9; ++i) info += static_cast<char>(i);
    const SecretBytes okm =
        hkdf_sha256(SecretBytes(reinterpret_cast<const unsigned char*>(ikm.data()), ikm.size()),
                    salt, info, 42);
    CPPUNIT_ASSERT_EQUAL(
        std::string("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
                    "34007208d5b887185865"),
        to_hex(secret_string(okm)));
    // The same vector in two steps: the PRK, then the expansion.
    const SecretBytes prk = hkdf_sha256_extract(
        SecretBytes(reinterpret_cast<const unsigned char*>(ikm.data()), ikm.size()), salt);
    CPPUNIT_ASSERT_EQUAL(
        std::string("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5"),
        to_hex(secret_string(prk)));
    CPPUNIT_ASSERT_EQUAL(to_hex(secret_string(okm)),
                         to_hex(secret_string(hkdf_sha256_expand(prk, info, 42))));
    // RFC 4231, test case 2.
    const std::string jefe = "Jefe";
    const SecretBytes key(reinterpret_cast<const unsigned char*>(jefe.data()), jefe.size());
    CPPUNIT_ASSERT_EQUAL(
        std::string("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        to_hex(hmac_sha256(key, "what do ya want for nothing?")));
  }

  void BlindIndexIgnoresCase() {
    KeyDir keys;
    const SecretBytes secret = load_web_secret(web_secret_path(keys.dir.path()));
    const SecretBytes index_key = derive_subkey(secret, Subkey::kBlindIndex);
    const std::string a = blind_index(index_key, "A@Example.com");
    CPPUNIT_ASSERT_EQUAL(std::size_t{32}, a.size());
    CPPUNIT_ASSERT_MESSAGE("case changes the index", a == blind_index(index_key, "a@example.com"));
    CPPUNIT_ASSERT_MESSAGE("different addresses share an index",
                           a != blind_index(index_key, "b@example.com"));
    const SecretBytes other_key = derive_subkey(secret, Subkey::kCsrf);
    CPPUNIT_ASSERT_MESSAGE("the key does not matter", a != blind_index(other_key, "a@example.com"));
  }

  void KeyGenerationNeverOverwrites() {
    test::TempDir dir;
    CPPUNIT_ASSERT(create_web_secret(dir.path()));
    const std::string path = web_secret_path(dir.path());
    const std::string before = test::read_file(path);
    CPPUNIT_ASSERT_EQUAL(kWebSecretBytes, before.size());
    CPPUNIT_ASSERT(!create_web_secret(dir.path()));
    CPPUNIT_ASSERT_MESSAGE("web.secret changed", test::read_file(path) == before);

    const std::string id1 = create_seal_key_pair(dir.path(), std::nullopt);
    const std::string id2 = create_seal_key_pair(dir.path(), std::nullopt);
    CPPUNIT_ASSERT(id1 != id2);
    struct stat st;
    CPPUNIT_ASSERT_EQUAL(0, ::stat(private_key_path(dir.path(), id1).c_str(), &st));
    CPPUNIT_ASSERT_EQUAL(0600, static_cast<int>(st.st_mode & 07777));
    CPPUNIT_ASSERT_EQUAL(0, ::stat(public_key_path(dir.path(), id1).c_str(), &st));
    CPPUNIT_ASSERT_EQUAL(0644, static_cast<int>(st.st_mode & 07777));
    std::vector<std::string> expected = {id1, id2};
    std::sort(expected.begin(), expected.end());
    CPPUNIT_ASSERT(list_key_ids(dir.path()) == expected);
  }

  void KeyIdsMatchFileNames() {
    KeyDir keys;
    CPPUNIT_ASSERT_EQUAL(std::size_t{12}, keys.id.size());
    CPPUNIT_ASSERT(keys.id.find_first_not_of("0123456789abcdef") == std::string::npos);
    const SealPublicKey pub = keys.public_key();
    CPPUNIT_ASSERT_EQUAL(keys.id, pub.id);
    CPPUNIT_ASSERT_EQUAL(keys.id, key_id_for(pub.raw));
    const SealPrivateKey priv = keys.private_key();
    CPPUNIT_ASSERT_EQUAL(keys.id, priv.id());
    CPPUNIT_ASSERT(priv.public_key().raw == pub.raw);
    CPPUNIT_ASSERT_EQUAL(keys.id, load_current_public_key(keys.dir.path()).id);
  }

  void PublicKeyUnderAnotherIdIsRefused() {
    KeyDir keys;
    const std::string pem = test::read_file(public_key_path(keys.dir.path(), keys.id));
    const std::string wrong = public_key_path(keys.dir.path(), "0123456789ab");
    test::write_file(wrong, pem, 0644);
    expect_error("public key under another id", [&] { load_public_key(wrong); }, {wrong});
    const std::string odd = keys.dir.file("mykey.pub");
    test::write_file(odd, pem, 0644);
    expect_error("public key with an odd name", [&] { load_public_key(odd); }, {odd});
    const std::string garbage = public_key_path(keys.dir.path(), "aaaaaaaaaaaa");
    test::write_file(garbage, "not a key\n", 0644);
    expect_error("public key file of garbage", [&] { load_public_key(garbage); }, {garbage});
    // A private key renamed to another id is refused too.
    const std::string key_pem = test::read_file(private_key_path(keys.dir.path(), keys.id));
    const std::string wrong_key = private_key_path(keys.dir.path(), "0123456789ab");
    test::write_file(wrong_key, key_pem, 0600);
    expect_error("private key under another id",
                 [&] { SealPrivateKey::load(wrong_key, std::nullopt); }, {wrong_key});
  }

  void CurrentKeyCanBeSwitched() {
    KeyDir keys;
    const std::string first = keys.id;
    const std::string second = create_seal_key_pair(keys.dir.path(), std::nullopt);
    CPPUNIT_ASSERT_EQUAL(second, load_current_public_key(keys.dir.path()).id);
    set_current_key(keys.dir.path(), first);
    CPPUNIT_ASSERT_EQUAL(first, load_current_public_key(keys.dir.path()).id);
    CPPUNIT_ASSERT_EQUAL(first + "\n", test::read_file(keys.dir.file("current")));
    expect_error("current to a missing key",
                 [&] { set_current_key(keys.dir.path(), "ffffffffffff"); }, {"ffffffffffff"});
    expect_error("current to a path", [&] { set_current_key(keys.dir.path(), "../etc"); });
    CPPUNIT_ASSERT_EQUAL(first, load_current_public_key(keys.dir.path()).id);
    test::write_file(keys.dir.file("current"), "nonsense\n", 0644);
    expect_error("current holding nonsense", [&] { load_current_public_key(keys.dir.path()); },
                 {keys.dir.file("current")});
    // Whoever may write `current` or into the directory could point new
    // enquiries (and a rekey) at a key pair of their own.
    test::write_file(keys.dir.file("current"), first + "\n", 0664);
    expect_error("current writable by the group",
                 [&] { load_current_public_key(keys.dir.path()); },
                 {keys.dir.file("current"), "0664", "writable by the owner only"});
    ::chmod(keys.dir.file("current").c_str(), 0644);
    CPPUNIT_ASSERT_EQUAL(first, load_current_public_key(keys.dir.path()).id);
    ::chmod(keys.dir.path().c_str(), 0770);
    expect_error("key directory writable by the group",
                 [&] { load_current_public_key(keys.dir.path()); },
                 {keys.dir.path(), "0770", "add or replace keys"});
    ::chmod(keys.dir.path().c_str(), 0700);
  }

  void SmallHelpers() {
    CPPUNIT_ASSERT(equal_constant_time("", ""));
    CPPUNIT_ASSERT(equal_constant_time("abc", "abc"));
    CPPUNIT_ASSERT(!equal_constant_time("abc", "abd"));
    CPPUNIT_ASSERT(!equal_constant_time("abc", "abcd"));
    CPPUNIT_ASSERT_EQUAL(std::size_t{0}, random_bytes(0).size());
    const std::string r1 = random_bytes(32);
    CPPUNIT_ASSERT_EQUAL(std::size_t{32}, r1.size());
    CPPUNIT_ASSERT(r1 != random_bytes(32));
    CPPUNIT_ASSERT(field_aad("R", "f") == std::string("sealform/v1/field\0R\0f", 21));
    CPPUNIT_ASSERT(wrap_aad("R", "k") == std::string("sealform/v1/wrap\0R\0k", 20));
    CPPUNIT_ASSERT(std::string(subkey_label(Subkey::kBlindIndex)) != subkey_label(Subkey::kCsrf));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CryptoTest);

}  // namespace sealform
