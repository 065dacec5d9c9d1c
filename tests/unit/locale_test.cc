// Tests for Accept-Language negotiation, the Accept header's choice of
// JSON, and client keys.
#include "web/locale.h"

#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "web/accept_header.h"
#include "web/client_key.h"
#include "web/responses.h"

namespace sealform::web {

class LocaleTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(LocaleTest);
  CPPUNIT_TEST(NegotiationTable);
  CPPUNIT_TEST(HtmlLang);
  CPPUNIT_TEST(ClientCanonicalForms);
  CPPUNIT_TEST(WeightedLists);
  CPPUNIT_TEST(JsonOnlyWhenPreferred);
  CPPUNIT_TEST_SUITE_END();

 public:
  void NegotiationTable() {
    struct Case {
      const char* header;
      const char* want;
    } cases[] = {
        {"", "en-us"},
        {"zh-CN", "zh-cn"},
        {"zh-SG", "zh-cn"},
        {"zh-Hans", "zh-cn"},
        {"zh-Hans-CN", "zh-cn"},
        {"zh", "zh-cn"},
        {"zh-TW", "zh-tw"},
        {"zh-HK", "zh-tw"},
        {"zh-MO", "zh-tw"},
        {"zh-Hant", "zh-tw"},
        {"zh-Hant-HK", "zh-tw"},
        {"en-GB,en;q=0.8", "en-us"},
        {"fr-FR,fr;q=0.9", "en-us"},
        {"fr-FR, zh-TW;q=0.5", "zh-tw"},
        {"en;q=0.4, zh-CN;q=0.9", "zh-cn"},
        {"zh-CN;q=0.5, zh-TW;q=0.8", "zh-tw"},
        {"zh-TW;q=0, en;q=0.1", "en-us"},
        {"zh-TW;q=2", "en-us"},
        {"zh-TW;q=abc, zh-CN", "zh-cn"},
        {"*", "en-us"},
        {"zh-tw;Q=0.9", "zh-tw"},
        {"ZH-hk", "zh-tw"},
        {"zhx-TW", "en-us"},
        {",,,;;;", "en-us"},
        {"zh-CN, zh-TW", "zh-cn"},
    };
    for (const Case& c : cases) {
      CPPUNIT_ASSERT_EQUAL_MESSAGE(c.header, std::string(c.want),
                                   negotiate_locale(c.header, "en-us"));
    }
    CPPUNIT_ASSERT_EQUAL(std::string("zh-tw"), negotiate_locale("fr", "zh-tw"));
    CPPUNIT_ASSERT_EQUAL(std::string("zh-cn"),
                         negotiate_locale(std::string(5000, ',') + "zh-CN", "zh-cn"));
    // Past 1024 bytes only whole items count: a cut one must neither lose
    // its ";q=0" nor become a shorter range ("zh" from "zh-tw").
    CPPUNIT_ASSERT_EQUAL(std::string("en-us"),
                         negotiate_locale(std::string(1019, ' ') + "zh-tw;q=0, en", "en-us"));
    CPPUNIT_ASSERT_EQUAL(std::string("en-us"),
                         negotiate_locale(std::string(1022, ' ') + "zh-tw;q=0,en", "en-us"));
    CPPUNIT_ASSERT_EQUAL(std::string("zh-tw"),
                         negotiate_locale("zh-TW," + std::string(1100, ' ') + "en", "en-us"));
  }

  void HtmlLang() {
    CPPUNIT_ASSERT_EQUAL(std::string("en"), html_lang("en-us"));
    CPPUNIT_ASSERT_EQUAL(std::string("zh-Hans"), html_lang("zh-cn"));
    CPPUNIT_ASSERT_EQUAL(std::string("zh-Hant"), html_lang("zh-tw"));
    CPPUNIT_ASSERT(is_locale("zh-tw"));
    CPPUNIT_ASSERT(!is_locale("zh-TW"));
    CPPUNIT_ASSERT(!is_locale("fr-fr"));
  }

  void WeightedLists() {
    const auto ranges = parse_weighted(
        " Text/HTML ;level=1; q=0.5 ,application/json;charset=utf-8,*/*;q=0.05, bad;q=2, ;q=1");
    CPPUNIT_ASSERT_EQUAL(std::size_t{3}, ranges.size());
    CPPUNIT_ASSERT_EQUAL(std::string("text/html"), ranges[0].range);
    CPPUNIT_ASSERT_EQUAL(500, ranges[0].q);
    CPPUNIT_ASSERT_EQUAL(1000, weight_of(ranges, "application/json"));
    CPPUNIT_ASSERT_EQUAL(50, weight_of(ranges, "*/*"));
    CPPUNIT_ASSERT_EQUAL(0, weight_of(ranges, "bad"));  // malformed q: skipped
    CPPUNIT_ASSERT(parse_weighted("").empty());
  }

  void JsonOnlyWhenPreferred() {
    const auto json_for = [](const std::string& accept) {
      Request request;
      if (!accept.empty()) request.headers["accept"] = accept;
      return wants_json(request);
    };
    CPPUNIT_ASSERT(json_for("application/json"));
    CPPUNIT_ASSERT(json_for("application/json, text/html;q=0.9"));
    CPPUNIT_ASSERT(!json_for("application/json;q=0"));
    CPPUNIT_ASSERT(!json_for("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));
    CPPUNIT_ASSERT(!json_for("text/html, application/json"));  // a tie: the page
    CPPUNIT_ASSERT(!json_for("*/*"));
    CPPUNIT_ASSERT(!json_for(""));
    CPPUNIT_ASSERT(!json_for("application/jsonx"));
  }

  void ClientCanonicalForms() {
    CPPUNIT_ASSERT_EQUAL(std::string("v4:192.0.2.7"), canonical_client("192.0.2.7"));
    CPPUNIT_ASSERT_EQUAL(std::string("v4:192.0.2.7"), canonical_client("::ffff:192.0.2.7"));
    CPPUNIT_ASSERT_EQUAL(std::string("v6:2001:db8:1:2::/64"),
                         canonical_client("2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
    CPPUNIT_ASSERT_EQUAL(canonical_client("2001:db8:1:2::1"), canonical_client("2001:db8:1:2::2"));
    CPPUNIT_ASSERT(canonical_client("2001:db8:1:3::1") != canonical_client("2001:db8:1:2::1"));
    CPPUNIT_ASSERT_EQUAL(std::string("other:"), canonical_client(""));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LocaleTest);

}  // namespace sealform::web
