// Tests for the policy pages: facts rendered from the configuration and the
// code (fields, retention, location, contact, version, cookies), in each
// locale, plus the language links and footer every page carries.
#include <cppunit/extensions/HelperMacros.h>

#include <openssl/evp.h>

#include <cstdio>
#include <string>

#include "core/fields.h"
#include "web/locale.h"
#include "web/pages.h"
#include "test_util.h"
#include "web_fixture.h"

namespace sealform::web {
namespace {

using test::WebFixture;

bool has(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

const char kAnalytics[] =
    "[cookies]\nconsent_lifetime_days = 90\n"
    "analytics_script_url = https://stats.example.net/a.js\n"
    "analytics_cookies = _sa_id | Counts visits | 13 months, _sa_s | Session | 30 minutes\n";

}  // namespace

class PolicyTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PolicyTest);
  CPPUNIT_TEST(PrivacyFactsFromConfig);
  CPPUNIT_TEST(RetentionDaysFollowTheConfig);
  CPPUNIT_TEST(CollectedFieldsFromTheFieldList);
  CPPUNIT_TEST(EveryLocaleRendersBothPolicies);
  CPPUNIT_TEST(CookiePolicyListsRegistryAndOperatorCookies);
  CPPUNIT_TEST(OperatorTextsInThePageLanguage);
  CPPUNIT_TEST(LanguageLinksKeepThePage);
  CPPUNIT_TEST(FooterLinksOnEveryPage);
  CPPUNIT_TEST(PolicyPagesRefuseOtherMethods);
  CPPUNIT_TEST_SUITE_END();

 public:
  void PrivacyFactsFromConfig() {
    WebFixture web(kAnalytics);
    Response r = web.get("/en-us/privacy");
    CPPUNIT_ASSERT_EQUAL(200, r.status);
    CPPUNIT_ASSERT(r.header("Set-Cookie").empty());
    for (const char* fact : {"Example Ltd", "privacy@example.com", "Frankfurt, Germany",
                             "Version 1, last updated 2026-11-29", "180 days later", "18 or older",
                             "(access)", "(correction)", "(erasure)", "separate store", "encrypted",
                             "mailto:privacy@example.com", "for 90 days", "after 400 days",
                             "keyed hash of the address", "keyed hash of your email address"}) {
      CPPUNIT_ASSERT_MESSAGE(fact, has(r.body, fact));
    }
    // Without analytics there is no consent cookie and no consent record
    // to describe.
    WebFixture plain;
    const std::string none = plain.get("/en-us/privacy").body;
    CPPUNIT_ASSERT(has(none, "set no cookies and load no analytics script"));
    CPPUNIT_ASSERT(!has(none, "remember that choice") && !has(none, "after 400 days"));
  }

  void RetentionDaysFollowTheConfig() {
    WebFixture web;
    web.set_retention_days(42);
    for (std::string_view locale : kLocales) {
      const std::string body = web.get("/" + std::string(locale) + "/privacy").body;
      CPPUNIT_ASSERT_MESSAGE(std::string(locale), has(body, " 42 "));
      CPPUNIT_ASSERT_MESSAGE(std::string(locale),
                             !has(body, " 180 天内") && !has(body, "within 180"));
    }
    CPPUNIT_ASSERT(has(web.get("/en-us/privacy").body, "erased automatically 42 days later"));
    CPPUNIT_ASSERT(has(web.get("/zh-cn/privacy").body, "处理完毕 42 天后"));
    CPPUNIT_ASSERT(has(web.get("/zh-tw/privacy").body, "處理完成 42 天後"));
    // One day, and none: words of their own.
    web.set_retention_days(1);
    CPPUNIT_ASSERT(has(web.get("/en-us/privacy").body, "erased automatically a day later"));
    web.set_retention_days(0);
    CPPUNIT_ASSERT(has(web.get("/en-us/privacy").body, "erased automatically at the next"));
    CPPUNIT_ASSERT(!has(web.get("/zh-tw/privacy").body, " 0 天"));
  }

  void CollectedFieldsFromTheFieldList() {
    WebFixture web;
    const std::string body = web.get("/en-us/privacy").body;
    int encrypted = 0;
    for (const FieldSpec& spec : kEnquiryFields) {
      const std::string marker = "data-field=\"" + std::string(spec.name) + "\"";
      const auto at = body.find(marker);
      CPPUNIT_ASSERT_MESSAGE(marker, at != std::string::npos);
      const std::string line = body.substr(at, body.find("</li>", at) - at);
      const bool says_encrypted = has(line, "stored encrypted");
      CPPUNIT_ASSERT_MESSAGE(marker, says_encrypted == (spec.kind == FieldKind::kPersonalText));
      encrypted += says_encrypted ? 1 : 0;
      if (spec.kind == FieldKind::kPersonalText) {
        CPPUNIT_ASSERT_MESSAGE(marker, has(line, "up to " + std::to_string(spec.max_code_points)));
      }
    }
    CPPUNIT_ASSERT_EQUAL(static_cast<int>(kPersonalFields.size()), encrypted);
    // The configured categories, with their labels.
    CPPUNIT_ASSERT(has(body, "General enquiry, Media enquiry"));
    CPPUNIT_ASSERT(!has(body, "Investor relations"));
  }

  void EveryLocaleRendersBothPolicies() {
    WebFixture web(kAnalytics);
    for (std::string_view locale : kLocales) {
      for (const char* page : {"privacy", "cookies"}) {
        const std::string path = "/" + std::string(locale) + "/" + page;
        Response r = web.get(path);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(path, 200, r.status);
        CPPUNIT_ASSERT_MESSAGE(path, has(r.body, "<html lang=\"" + html_lang(locale) + "\">"));
        CPPUNIT_ASSERT_EQUAL(html_lang(locale), r.header("Content-Language"));
        CPPUNIT_ASSERT_MESSAGE(path, has(r.body, "Example Ltd"));
        CPPUNIT_ASSERT_MESSAGE(path, !has(r.body, "{days}") && !has(r.body, "{email}"));
      }
    }
    CPPUNIT_ASSERT(has(web.get("/zh-cn/privacy").body, "隐私政策"));
    CPPUNIT_ASSERT(has(web.get("/zh-tw/privacy").body, "隱私權政策"));
  }

  void CookiePolicyListsRegistryAndOperatorCookies() {
    WebFixture web(kAnalytics);
    const std::string body = web.get("/en-us/cookies").body;
    for (const char* fact : {"<code>sealform_consent</code>", "90 days", "Strictly necessary",
                             "<code>_sa_id</code>", "Counts visits", "13 months",
                             "<code>_sa_s</code>", "30 minutes", "https://stats.example.net",
                             "id=\"preferences\"", "not chosen yet"}) {
      CPPUNIT_ASSERT_MESSAGE(fact, has(body, fact));
    }
    CPPUNIT_ASSERT(has(web.get("/zh-tw/cookies").body, "90 天"));
    // Without analytics configured: no cookie at all (the consent cookie is
    // set only by a choice, and there is none to make), no controls.
    WebFixture plain;
    const std::string none = plain.get("/en-us/cookies").body;
    CPPUNIT_ASSERT(!has(none, "sealform_consent"));
    CPPUNIT_ASSERT(has(none, "We set no cookie."));
    CPPUNIT_ASSERT(!has(none, "consent-form"));
  }

  void OperatorTextsInThePageLanguage() {
    WebFixture web(std::string(kAnalytics) +
                   "analytics_cookies.zh-cn = _sa_id | 统计访问次数 | 13 个月, "
                   "_sa_s | 会话 | 30 分钟\n"
                   "[site]\norganisation.zh-cn = 示例有限公司\n"
                   "data_location.zh-cn = 德国法兰克福（欧盟）\n"
                   "data_location.zh-tw = 德國法蘭克福（歐盟）\n");
    const std::string cn = web.get("/zh-cn/privacy").body;
    CPPUNIT_ASSERT(has(cn, "示例有限公司") && has(cn, "德国法兰克福（欧盟）"));
    CPPUNIT_ASSERT(!has(cn, "Example Ltd") && !has(cn, "Frankfurt"));
    // zh-tw has its own location but no name of its own: the default name.
    const std::string tw = web.get("/zh-tw/privacy").body;
    CPPUNIT_ASSERT(has(tw, "德國法蘭克福（歐盟）") && has(tw, "Example Ltd"));
    CPPUNIT_ASSERT(!has(tw, "示例有限公司"));
    const std::string en = web.get("/en-us/privacy").body;
    CPPUNIT_ASSERT(has(en, "Example Ltd") && has(en, "Frankfurt, Germany"));
    // The name in every page's layout; the cookie purposes on the policy.
    CPPUNIT_ASSERT(has(web.get("/zh-cn/enquiry").body, "<p class=\"org\">示例有限公司</p>"));
    const std::string cookies_cn = web.get("/zh-cn/cookies").body;
    CPPUNIT_ASSERT(has(cookies_cn, "统计访问次数") && has(cookies_cn, "30 分钟"));
    CPPUNIT_ASSERT(!has(cookies_cn, "Counts visits"));
    CPPUNIT_ASSERT(has(web.get("/zh-tw/cookies").body, "Counts visits"));
  }

  void LanguageLinksKeepThePage() {
    WebFixture web;
    const std::string body = web.get("/zh-cn/privacy").body;
    CPPUNIT_ASSERT(has(body, "<link rel=\"alternate\" hreflang=\"en\" "
                             "href=\"https://www.example.com/en-us/privacy\">"));
    CPPUNIT_ASSERT(
        has(body, "hreflang=\"zh-Hant\" href=\"https://www.example.com/zh-tw/privacy\""));
    CPPUNIT_ASSERT(has(body, "<a href=\"/zh-tw/privacy\" hreflang=\"zh-Hant\" lang=\"zh-Hant\">"
                             "繁體中文</a>"));
    CPPUNIT_ASSERT(has(body, "<a href=\"/en-us/privacy\" hreflang=\"en\" lang=\"en\">English</a>"));
    CPPUNIT_ASSERT(has(body, "aria-current=\"page\">简体中文</span>"));
    CPPUNIT_ASSERT(has(web.get("/en-us/enquiry").body, "href=\"/zh-tw/enquiry\""));
    CPPUNIT_ASSERT(has(web.get("/en-us/cookies").body, "href=\"/zh-cn/cookies\""));
    CPPUNIT_ASSERT(has(web.get("/en-us/nothing").body, "href=\"/zh-cn/enquiry\""));
  }

  void FooterLinksOnEveryPage() {
    WebFixture web(kAnalytics);
    const std::string query = expected_asset_query();
    CPPUNIT_ASSERT_EQUAL(std::size_t{13}, query.size());
    for (const char* path : {"/en-us/enquiry", "/en-us/privacy", "/en-us/cookies",
                             "/en-us/enquiry/thanks", "/en-us/nothing"}) {
      const std::string body = web.get(path).body;
      CPPUNIT_ASSERT_MESSAGE(path, has(body, "href=\"/en-us/privacy\">Privacy policy</a>"));
      CPPUNIT_ASSERT_MESSAGE(
          path, has(body, "href=\"/en-us/cookies#preferences\">Cookie preferences</a>"));
      CPPUNIT_ASSERT_MESSAGE(path, has(body, "<script src=\"/static/consent.js" + query +
                                                 "\" defer></script>"));
      CPPUNIT_ASSERT_MESSAGE(path, has(body, "href=\"/static/sealform.css" + query + "\">"));
      CPPUNIT_ASSERT_MESSAGE(path, !has(body, "onclick") && !has(body, "<script>"));
    }
  }

  // The static files' URLs carry the first 10 hex digits of a SHA-256 over
  // their names and contents, so that a browser's cached copy from before
  // an upgrade is not used with the new pages.
  static std::string expected_asset_query() {
    std::string contents;
    for (const char* name : {"sealform.css", "consent.js"}) {
      contents += name;
      contents += '\0';
      contents += test::read_file(std::string(SOURCEDIR) + "/www/static/" + name);
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    CPPUNIT_ASSERT(EVP_Digest(contents.data(), contents.size(), digest, &length, EVP_sha256(),
                              nullptr) == 1);
    char hex[11];
    for (int i = 0; i < 5; ++i) std::snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    return std::string("?v=") + hex;
  }

  void PolicyPagesRefuseOtherMethods() {
    WebFixture web;
    Response r = web.post("/en-us/privacy", "x=1");
    CPPUNIT_ASSERT_EQUAL(405, r.status);
    CPPUNIT_ASSERT_EQUAL(std::string("GET, HEAD"), r.header("Allow"));
    CPPUNIT_ASSERT_EQUAL(405, web.post("/zh-tw/cookies", "x=1").status);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PolicyTest);

}  // namespace sealform::web
