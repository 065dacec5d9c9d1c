// Tests for the form token: round trip, every way it can be refused.
#include "web/token.h"

#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "core/seal.h"

namespace sealform::web {
namespace {

SecretBytes key_of(char fill) {
  std::string bytes(32, fill);
  return SecretBytes(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

constexpr std::int64_t kNow = 1796000000;

}  // namespace

class TokenTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(TokenTest);
  CPPUNIT_TEST(RoundTrip);
  CPPUNIT_TEST(TooFastAndExpired);
  CPPUNIT_TEST(ForgedTokens);
  CPPUNIT_TEST(OtherLocaleRefused);
  CPPUNIT_TEST(NoncesDiffer);
  CPPUNIT_TEST(Base64UrlTable);
  CPPUNIT_TEST_SUITE_END();

 public:
  void RoundTrip() {
    TokenSigner signer(key_of('k'));
    std::string token = signer.issue(kNow, "en-us");
    TokenVerdict v = signer.verify(token, "en-us", kNow + 10, 3, 7200);
    CPPUNIT_ASSERT(v.check == TokenCheck::kValid);
    CPPUNIT_ASSERT_EQUAL(kNow, v.issued_at);
    CPPUNIT_ASSERT_EQUAL(std::size_t{16}, v.nonce.size());
  }

  void TooFastAndExpired() {
    TokenSigner signer(key_of('k'));
    std::string token = signer.issue(kNow, "zh-cn");
    CPPUNIT_ASSERT(signer.verify(token, "zh-cn", kNow + 2, 3, 7200).check == TokenCheck::kTooFast);
    CPPUNIT_ASSERT(signer.verify(token, "zh-cn", kNow + 3, 3, 7200).check == TokenCheck::kValid);
    CPPUNIT_ASSERT(signer.verify(token, "zh-cn", kNow + 7200, 3, 7200).check == TokenCheck::kValid);
    CPPUNIT_ASSERT(signer.verify(token, "zh-cn", kNow + 7201, 3, 7200).check ==
                   TokenCheck::kExpired);
    // Issued far in the future: refused, not treated as fresh.
    CPPUNIT_ASSERT(signer.verify(token, "zh-cn", kNow - 3600, 0, 7200).check ==
                   TokenCheck::kExpired);
  }

  void ForgedTokens() {
    TokenSigner signer(key_of('k'));
    TokenSigner other(key_of('o'));
    std::string token = signer.issue(kNow, "en-us");
    CPPUNIT_ASSERT(signer.verify("", "en-us", kNow + 10, 3, 7200).check == TokenCheck::kMissing);
    CPPUNIT_ASSERT(other.verify(token, "en-us", kNow + 10, 3, 7200).check == TokenCheck::kForged);
    for (std::size_t i = 0; i < token.size(); ++i) {
      std::string changed = token;
      changed[i] = changed[i] == 'A' ? 'B' : 'A';
      CPPUNIT_ASSERT(signer.verify(changed, "en-us", kNow + 10, 3, 7200).check !=
                     TokenCheck::kValid);
    }
    const char* junk[] = {
        "x", "====", "not a token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "%00", "\xff\xfe"};
    for (const char* text : junk) {
      CPPUNIT_ASSERT(signer.verify(text, "en-us", kNow + 10, 3, 7200).check == TokenCheck::kForged);
    }
    CPPUNIT_ASSERT(signer.verify(token + token, "en-us", kNow + 10, 3, 7200).check ==
                   TokenCheck::kForged);
    CPPUNIT_ASSERT(signer.verify(std::string(5000, 'A'), "en-us", kNow + 10, 3, 7200).check ==
                   TokenCheck::kForged);
  }

  void OtherLocaleRefused() {
    TokenSigner signer(key_of('k'));
    std::string token = signer.issue(kNow, "en-us");
    CPPUNIT_ASSERT(signer.verify(token, "zh-tw", kNow + 10, 3, 7200).check == TokenCheck::kForged);
  }

  void NoncesDiffer() {
    TokenSigner signer(key_of('k'));
    TokenVerdict a = signer.verify(signer.issue(kNow, "en-us"), "en-us", kNow + 5, 3, 7200);
    TokenVerdict b = signer.verify(signer.issue(kNow, "en-us"), "en-us", kNow + 5, 3, 7200);
    CPPUNIT_ASSERT(a.nonce != b.nonce);
  }

  void Base64UrlTable() {
    struct Case {
      const char* raw;
      const char* encoded;
    } cases[] = {{"", ""},        {"f", "Zg"},        {"fo", "Zm8"},
                 {"foo", "Zm9v"}, {"foob", "Zm9vYg"}, {"\xfb\xff", "-_8"}};
    for (const Case& c : cases) {
      CPPUNIT_ASSERT_EQUAL(std::string(c.encoded), base64url_encode(c.raw));
      std::string decoded;
      CPPUNIT_ASSERT(base64url_decode(c.encoded, &decoded));
      CPPUNIT_ASSERT_EQUAL(std::string(c.raw), decoded);
    }
    std::string out;
    CPPUNIT_ASSERT(!base64url_decode("Zg=", &out));
    CPPUNIT_ASSERT(!base64url_decode("Z", &out));
    CPPUNIT_ASSERT(!base64url_decode("Zh", &out));  // non-zero leftover bits
    CPPUNIT_ASSERT(!base64url_decode("a+b/", &out));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TokenTest);

}  // namespace sealform::web
