// Tests for email.h: the WHATWG "valid e-mail address" grammar, libidn2
// A-label conversion, the 254-octet limit and the blind-index form.
// Every address here is synthetic; failure messages name the case only.
#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

#include "core/email.h"

namespace sealform {
namespace {

constexpr char kOk[] = "";
constexpr char kInvalid[] = "invalid_email";
constexpr char kTooLong[] = "too_long";

struct EmailCase {
  std::string label;
  std::string input;
  const char* error;     // kOk when the address must pass
  std::string stored;    // expected stored form when it passes; "" = input
};

std::string label_of(std::size_t length, char fill = 'a') { return std::string(length, fill); }

void run_cases(const std::vector<EmailCase>& cases) {
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const EmailCase& c = cases[i];
    const std::string where = "case " + std::to_string(i) + ": " + c.label;
    const EmailCheck check = check_email(c.input);
    if (c.error == std::string(kOk)) {
      CPPUNIT_ASSERT_MESSAGE(where + " should pass", check.ok);
      CPPUNIT_ASSERT_MESSAGE(where + " stored form",
                             check.address == (c.stored.empty() ? c.input : c.stored));
      CPPUNIT_ASSERT_MESSAGE(where + " no error code", check.error.empty());
    } else {
      CPPUNIT_ASSERT_MESSAGE(where + " should fail", !check.ok);
      CPPUNIT_ASSERT_MESSAGE(where + " error code", check.error == c.error);
      CPPUNIT_ASSERT_MESSAGE(where + " nothing stored", check.address.empty());
    }
  }
}

}  // namespace

class EmailTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(EmailTest);
  CPPUNIT_TEST(ValidAscii);
  CPPUNIT_TEST(InvalidSyntax);
  CPPUNIT_TEST(DomainLabels);
  CPPUNIT_TEST(UnicodeDomains);
  CPPUNIT_TEST(LengthLimit);
  CPPUNIT_TEST(IndexForm);
  CPPUNIT_TEST_SUITE_END();

 public:
  void ValidAscii() {
    run_cases({
        {"plain", "user@example.com", kOk, ""},
        {"dotted local", "first.last@example.com", kOk, ""},
        {"plus tag", "user+tag@example.com", kOk, ""},
        {"all specials", "!#$%&'*+/=?^_`{|}~-@example.com", kOk, ""},
        {"digits", "12345@example.com", kOk, ""},
        {"single char local", "a@example.com", kOk, ""},
        {"subdomains", "user@mail.eu.example.co.uk", kOk, ""},
        {"single-label domain", "user@localhost", kOk, ""},
        {"digit label", "user@123.example", kOk, ""},
        {"all-digit domain (WHATWG allows)", "user@127.0.0.1", kOk, ""},
        {"hyphen inside label", "user@my-host.example", kOk, ""},
        {"double hyphen inside label", "user@a--b.example", kOk, ""},
        {"A-label domain", "user@xn--bcher-kva.example", kOk, ""},
        {"leading dot local (WHATWG allows)", ".user@example.com", kOk, ""},
        {"trailing dot local (WHATWG allows)", "user.@example.com", kOk, ""},
        {"consecutive dots local (WHATWG allows)", "us..er@example.com", kOk, ""},
        {"upper-case local kept", "User@example.com", kOk, ""},
        {"upper-case domain lower-cased", "user@EXAMPLE.com", kOk, "user@example.com"},
        {"mixed case domain", "User@Mail.Example.COM", kOk, "User@mail.example.com"},
    });
  }

  void InvalidSyntax() {
    run_cases({
        {"empty", "", kInvalid, ""},
        {"no at", "user.example.com", kInvalid, ""},
        {"only at", "@", kInvalid, ""},
        {"empty local", "@example.com", kInvalid, ""},
        {"empty domain", "user@", kInvalid, ""},
        {"two ats", "user@host@example.com", kInvalid, ""},
        {"quoted local", "\"user\"@example.com", kInvalid, ""},
        {"quoted local with space", "\"first last\"@example.com", kInvalid, ""},
        {"quoted at", "\"a@b\"@example.com", kInvalid, ""},
        {"IPv4 literal", "user@[127.0.0.1]", kInvalid, ""},
        {"IPv6 literal", "user@[IPv6:::1]", kInvalid, ""},
        {"space in local", "us er@example.com", kInvalid, ""},
        {"space in domain", "user@exa mple.com", kInvalid, ""},
        {"comma", "user,x@example.com", kInvalid, ""},
        {"parenthesis comment", "user(comment)@example.com", kInvalid, ""},
        {"angle brackets", "<user@example.com>", kInvalid, ""},
        {"display name", "User <user@example.com>", kInvalid, ""},
        {"backslash", "us\\er@example.com", kInvalid, ""},
        {"semicolon", "user;@example.com", kInvalid, ""},
        {"colon", "user:x@example.com", kInvalid, ""},
        {"underscore in domain", "user@my_host.example", kInvalid, ""},
        {"header injection CRLF", "a\r\nBcc: x@y.z", kInvalid, ""},
        {"header injection LF in domain", "user@example.com\nBcc: x@y.z", kInvalid, ""},
        {"NUL in domain", std::string("user@exa\0mple.com", 17), kInvalid, ""},
        {"unicode local part", "\xE7\x94\xA8\xE6\x88\xB7@example.com", kInvalid, ""},
        {"unicode local and domain",  // 用户@例子.广告
         "\xE7\x94\xA8\xE6\x88\xB7@\xE4\xBE\x8B\xE5\xAD\x90.\xE5\xB9\xBF\xE5\x91\x8A", kInvalid,
         ""},
        {"accented local", "jos\xC3\xA9@example.com", kInvalid, ""},
        {"full-width at sign", "user\xEF\xBC\xA0" "example.com", kInvalid, ""},
    });
  }

  void DomainLabels() {
    run_cases({
        {"leading dot domain", "user@.example.com", kInvalid, ""},
        {"trailing dot domain", "user@example.com.", kInvalid, ""},
        {"consecutive dots domain", "user@example..com", kInvalid, ""},
        {"only dot domain", "user@.", kInvalid, ""},
        {"label starts with hyphen", "user@-example.com", kInvalid, ""},
        {"label ends with hyphen", "user@example-.com", kInvalid, ""},
        {"tld starts with hyphen", "user@example.-com", kInvalid, ""},
        {"tld ends with hyphen", "user@example.com-", kInvalid, ""},
        {"label is a hyphen", "user@-.example", kInvalid, ""},
        {"label 63 octets", "user@" + label_of(63) + ".example", kOk, ""},
        {"label 64 octets", "user@" + label_of(64) + ".example", kInvalid, ""},
        {"tld 63 octets", "user@example." + label_of(63, 'z'), kOk, ""},
        {"tld 64 octets", "user@example." + label_of(64, 'z'), kInvalid, ""},
        {"single char labels", "user@a.b.c", kOk, ""},
    });
  }

  void UnicodeDomains() {
    // A-labels below were computed independently (RFC 3492 Punycode):
    // 例子 -> fsqu00a, 广告 -> 4rr70v, 公司 -> 55qx5d, bücher -> bcher-kva.
    run_cases({
        {"CJK domain", "user@\xE4\xBE\x8B\xE5\xAD\x90.\xE5\xB9\xBF\xE5\x91\x8A", kOk,
         "user@xn--fsqu00a.xn--4rr70v"},
        {"CJK domain, company tld", "user@\xE4\xBE\x8B\xE5\xAD\x90.\xE5\x85\xAC\xE5\x8F\xB8",
         kOk, "user@xn--fsqu00a.xn--55qx5d"},
        {"full-width full stop U+FF0E",
         "user@\xE4\xBE\x8B\xE5\xAD\x90\xEF\xBC\x8E\xE5\xB9\xBF\xE5\x91\x8A", kOk,
         "user@xn--fsqu00a.xn--4rr70v"},
        {"ideographic full stop U+3002",
         "user@\xE4\xBE\x8B\xE5\xAD\x90\xE3\x80\x82\xE5\xB9\xBF\xE5\x91\x8A", kOk,
         "user@xn--fsqu00a.xn--4rr70v"},
        {"halfwidth ideographic full stop U+FF61",
         "user@\xE4\xBE\x8B\xE5\xAD\x90\xEF\xBD\xA1\xE5\xB9\xBF\xE5\x91\x8A", kOk,
         "user@xn--fsqu00a.xn--4rr70v"},
        {"latin umlaut", "user@b\xC3\xBC" "cher.example", kOk, "user@xn--bcher-kva.example"},
        {"upper-case umlaut lower-cased", "user@B\xC3\x9C" "CHER.EXAMPLE", kOk,
         "user@xn--bcher-kva.example"},
        {"CJK label with ASCII tld", "user@\xE4\xBE\x8B\xE5\xAD\x90.COM", kOk,
         "user@xn--fsqu00a.com"},
        {"cyrillic", "user@\xD0\xBF\xD1\x80\xD0\xB8\xD0\xBC\xD0\xB5\xD1\x80.\xD1\x80\xD1\x84",
         kOk, "user@xn--e1afmkfd.xn--p1ai"},
        {"full-width latin letters mapped",
         "user@\xEF\xBD\x85\xEF\xBD\x98\xEF\xBD\x81\xEF\xBD\x8D\xEF\xBD\x90\xEF\xBD\x8C"
         "\xEF\xBD\x85.com",
         kOk, "user@example.com"},
        {"local case kept with unicode domain", "User.Name@b\xC3\xBC" "cher.example", kOk,
         "User.Name@xn--bcher-kva.example"},
        {"unicode domain trailing dot", "user@\xE4\xBE\x8B\xE5\xAD\x90.", kInvalid, ""},
        {"unicode domain double dot",
         "user@\xE4\xBE\x8B\xE5\xAD\x90..\xE5\xB9\xBF\xE5\x91\x8A", kInvalid, ""},
        {"unicode domain hyphen label", "user@\xE4\xBE\x8B\xE5\xAD\x90.-a", kInvalid, ""},
        {"unicode domain with space", "user@\xE4\xBE\x8B \xE5\xAD\x90.com", kInvalid, ""},
        {"unicode domain IP-literal brackets", "user@[\xE4\xBE\x8B]", kInvalid, ""},
        {"full-width at inside unicode domain", "user@b\xC3\xBC" "cher.example\xEF\xBC\xA0x",
         kInvalid, ""},
        {"ZWJ without context (CONTEXTJ)", "user@a\xE2\x80\x8D" "b\xC3\xBC.com", kInvalid, ""},
        {"ideographic space in domain", "user@\xE4\xBE\x8B\xE3\x80\x80.com", kInvalid, ""},
    });
  }

  void LengthLimit() {
    const std::string domain = "@example.com";  // 12 octets with the "@"
    // Four labels 63+63+63+60 and three dots: a 252-octet domain.
    const std::string long_domain =
        label_of(63, 'b') + "." + label_of(63, 'c') + "." + label_of(63, 'd') + ".";
    const std::string bucher = "@b\xC3\xBC" "cher.example";  // stores as 22 octets
    run_cases({
        {"254 octets", label_of(242) + domain, kOk, ""},
        {"255 octets", label_of(243) + domain, kTooLong, ""},
        {"300 octets", label_of(288) + domain, kTooLong, ""},
        {"254 octets, long domain", "a@" + long_domain + label_of(60, 'e'), kOk, ""},
        {"255 octets, long domain", "a@" + long_domain + label_of(61, 'e'), kTooLong, ""},
        // The limit is on the stored form: the A-label is longer than the input.
        {"254 octets after A-label", label_of(232) + bucher, kOk,
         label_of(232) + "@xn--bcher-kva.example"},
        {"255 octets after A-label (input 249)", label_of(233) + bucher, kTooLong, ""},
        {"far too long input", label_of(5000) + domain, kTooLong, ""},
        {"far too long unicode input", "a@" + std::string(2000, '.') + "\xC3\xBC", kTooLong, ""},
    });
  }

  void IndexForm() {
    struct IndexCase {
      const char* label;
      const char* stored;
      const char* expected;
    };
    const std::vector<IndexCase> cases = {
        {"already lower", "user@example.com", "user@example.com"},
        {"upper local", "User.Name@example.com", "user.name@example.com"},
        {"all upper", "USER@EXAMPLE.COM", "user@example.com"},
        {"specials untouched", "A+B!#{|}~@example.com", "a+b!#{|}~@example.com"},
        {"A-label domain", "Ada@xn--bcher-kva.example", "ada@xn--bcher-kva.example"},
    };
    for (const IndexCase& c : cases) {
      CPPUNIT_ASSERT_MESSAGE(c.label, email_index_form(c.stored) == c.expected);
    }
    // The same address typed two ways indexes the same.
    const EmailCheck a = check_email("Ada@B\xC3\x9C" "CHER.example");
    const EmailCheck b = check_email("ada@b\xC3\xBC" "cher.EXAMPLE");
    CPPUNIT_ASSERT(a.ok && b.ok);
    CPPUNIT_ASSERT(email_index_form(a.address) == email_index_form(b.address));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(EmailTest);

}  // namespace sealform
