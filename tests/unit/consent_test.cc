// Tests for cookie consent: the cookie registry, the consent cookie's
// format and its parsing of hostile Cookie headers, the return-path check,
// version re-prompting, and POST /consent through the real Application.
#include <cppunit/extensions/HelperMacros.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/keys.h"
#include "core/seal.h"
#include "core/sqlite_handle.h"
#include "web/consent_cookie.h"
#include "web/consent_handler.h"
#include "web/cookie_registry.h"
#include "web/return_path.h"
#include "web/token.h"
#include "web_fixture.h"

namespace sealform::web {
namespace {

using test::WebFixture;

// The fixture's configured origin, as a browser on the site sends it.
const std::string kSite = "https://www.example.com";

const char kAnalytics[] =
    "[cookies]\nanalytics_script_url = https://stats.example.net/a.js\n"
    "analytics_cookies = _sa_id | Counts visits | 13 months\n";

SecretBytes key_of(unsigned char fill) {
  SecretBytes key(32);
  for (std::size_t i = 0; i < key.size(); ++i) key.data()[i] = fill;
  return key;
}

Config consent_config(const std::string& version = "1") {
  Config config;
  config.policy_version = version;
  config.consent_lifetime_days = 180;
  return config;
}

ConsentCookie sample(ConsentChoice choice, std::int64_t at, const std::string& version = "1") {
  ConsentCookie cookie;
  cookie.choice = choice;
  cookie.chosen_at = at;
  cookie.policy_version = version;
  cookie.consent_id = std::string(kConsentIdBytes, '\x07');
  return cookie;
}

bool has(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

class ConsentTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ConsentTest);
  CPPUNIT_TEST(RegistryListsTheConsentCookie);
  CPPUNIT_TEST(CookieRoundTripAndTampering);
  CPPUNIT_TEST(HostileCookieHeaders);
  CPPUNIT_TEST(DuplicatesNewestGenuineWins);
  CPPUNIT_TEST(ExpiryFutureAndVersion);
  CPPUNIT_TEST(SetCookieAttributes);
  CPPUNIT_TEST(ReturnPathAccepts);
  CPPUNIT_TEST(ReturnPathRefusesHostileValues);
  CPPUNIT_TEST(NoCookieBeforeChoiceAndBannerShown);
  CPPUNIT_TEST(RejectFlow);
  CPPUNIT_TEST(AcceptFlowAllowsExactlyTheAnalyticsOrigin);
  CPPUNIT_TEST(JsonClientGets200);
  CPPUNIT_TEST(HostileReturnGoesToDefaultPage);
  CPPUNIT_TEST(RefusedConsentPosts);
  CPPUNIT_TEST(AcceptNeedsProofItComesFromTheSite);
  CPPUNIT_TEST(ForgedCookieCountsAsNoChoice);
  CPPUNIT_TEST(PolicyVersionChangeAsksAgain);
  CPPUNIT_TEST(SecureOverHttps);
  CPPUNIT_TEST(NoBannerWithoutAnalytics);
  CPPUNIT_TEST(BannerOfAReshownFormJoinsTheForm);
  CPPUNIT_TEST(ChoiceFromAReshownFormShowsItAgain);
  CPPUNIT_TEST(RefusedChoiceFromAReshownFormKeepsTheText);
  CPPUNIT_TEST_SUITE_END();

 public:
  void RegistryListsTheConsentCookie() {
    CPPUNIT_ASSERT_EQUAL(std::size_t{1}, kSealformCookies.size());
    const CookieSpec* spec = find_cookie("sealform_consent");
    CPPUNIT_ASSERT(spec != nullptr);
    CPPUNIT_ASSERT(spec->strictly_necessary);
    CPPUNIT_ASSERT(!spec->purpose_key.empty());
    Config config = consent_config();
    config.consent_lifetime_days = 30;
    CPPUNIT_ASSERT_EQUAL(30, lifetime_days(*spec, config));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{30 * 86400}, max_age_seconds(*spec, config));
    CPPUNIT_ASSERT(find_cookie("other") == nullptr);
    for (const CookieSpec& entry : kSealformCookies) {
      // RFC 6265 token characters only.
      for (char c : entry.name) {
        CPPUNIT_ASSERT(std::isalnum(static_cast<unsigned char>(c)) || c == '_');
      }
    }
  }

  void CookieRoundTripAndTampering() {
    ConsentSigner signer(key_of(1));
    for (ConsentChoice choice : {ConsentChoice::kAccept, ConsentChoice::kReject}) {
      const std::string value = signer.encode(sample(choice, 1796000000, "2026-11"));
      for (char c : value) {
        CPPUNIT_ASSERT(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');
      }
      auto back = signer.decode(value);
      CPPUNIT_ASSERT(back.has_value());
      CPPUNIT_ASSERT(back->choice == choice);
      CPPUNIT_ASSERT_EQUAL(std::string("2026-11"), back->policy_version);
      CPPUNIT_ASSERT_EQUAL(std::int64_t{1796000000}, back->chosen_at);
      CPPUNIT_ASSERT_EQUAL(std::string(kConsentIdBytes, '\x07'), back->consent_id);
      // Every single-character change is refused.
      for (std::size_t i = 0; i < value.size(); ++i) {
        std::string edited = value;
        edited[i] = edited[i] == 'A' ? 'B' : 'A';
        CPPUNIT_ASSERT(!signer.decode(edited).has_value());
      }
      CPPUNIT_ASSERT(!ConsentSigner(key_of(2)).decode(value).has_value());
      CPPUNIT_ASSERT(!signer.decode(value.substr(0, value.size() - 1)).has_value());
      CPPUNIT_ASSERT(!signer.decode(value + "A").has_value());
    }
    CPPUNIT_ASSERT_THROW(signer.encode(sample(ConsentChoice::kNone, 1)), Error);
    CPPUNIT_ASSERT_THROW(signer.encode(sample(ConsentChoice::kAccept, 1, std::string(256, 'v'))),
                         Error);
  }

  void HostileCookieHeaders() {
    ConsentSigner signer(key_of(1));
    const Config config = consent_config();
    const std::int64_t now = 1796000000;
    const std::string good = "sealform_consent=" +
                             signer.encode(sample(ConsentChoice::kAccept, now - 10));
    std::string many;
    for (int i = 0; i < 20000; ++i) many += "c" + std::to_string(i) + "=v; ";
    std::string many_ours;
    for (int i = 0; i < 5000; ++i) many_ours += "sealform_consent=AAAA; ";
    const std::vector<std::string> hostile = {
        "",
        ";",
        ";;;;;;",
        "=",
        "==",
        "sealform_consent",
        "sealform_consent=",
        "sealform_consent=\"",
        "sealform_consent=\"\"",
        "sealform_consent=%41%42",
        "sealform_consent=AAAA",
        "sealform_consent=" + std::string(100000, 'A'),
        std::string(100000, ';'),
        std::string("sealform_consent=\0\0\0", 20),
        "sealform_consent=\xff\xfe\xfd",
        "sealform_consent=\xc3\x28",
        "sealform_consent=====",
        "sealform_consent=_-_-_-_-",
        "SEALFORM_CONSENT=" + good.substr(17),
        "sealform_consent2=" + good.substr(17),
        "xsealform_consent=" + good.substr(17),
        "sealform_consent=" + base64url_encode(std::string(60, '\x01')),
        many,
        many_ours,
        std::string(kMaxCookieHeaderBytes + 1 - good.size(), ' ') + "a=b;" + good,
    };
    for (const std::string& header : hostile) {
      ConsentState state = read_consent(signer, header, config, now);
      CPPUNIT_ASSERT(!state.chosen());
      CPPUNIT_ASSERT(!state.outdated);
    }
    // The genuine cookie is found among others, with odd spacing and quotes.
    for (const std::string& header :
         {good, "a=b; " + good + "; c=d", "a=b;" + good, " \t" + good + " ",
          "sealform_consent=\"" + good.substr(17) + "\"", "junk; ===; " + good}) {
      CPPUNIT_ASSERT_MESSAGE(header.substr(0, 20),
                             read_consent(signer, header, config, now).accepted());
    }
  }

  void DuplicatesNewestGenuineWins() {
    ConsentSigner signer(key_of(1));
    const Config config = consent_config();
    const std::string older = signer.encode(sample(ConsentChoice::kAccept, 1000));
    const std::string newer = signer.encode(sample(ConsentChoice::kReject, 2000));
    const std::string forged =
        ConsentSigner(key_of(9)).encode(sample(ConsentChoice::kAccept, 3000));
    const std::string header = "sealform_consent=" + older + "; sealform_consent=" + forged +
                               "; sealform_consent=" + newer;
    ConsentState state = read_consent(signer, header, config, 2100);
    CPPUNIT_ASSERT(state.chosen());
    CPPUNIT_ASSERT(!state.accepted());
  }

  void ExpiryFutureAndVersion() {
    ConsentSigner signer(key_of(1));
    const Config config = consent_config("2");
    const std::int64_t now = 1796000000;
    auto header = [&](std::int64_t at, const std::string& version) {
      return "sealform_consent=" + signer.encode(sample(ConsentChoice::kAccept, at, version));
    };
    CPPUNIT_ASSERT(read_consent(signer, header(now - 179 * 86400, "2"), config, now).accepted());
    CPPUNIT_ASSERT(!read_consent(signer, header(now - 181 * 86400, "2"), config, now).chosen());
    CPPUNIT_ASSERT(!read_consent(signer, header(now + 86400, "2"), config, now).chosen());
    ConsentState old = read_consent(signer, header(now - 10, "1"), config, now);
    CPPUNIT_ASSERT(!old.chosen());
    CPPUNIT_ASSERT(old.outdated);
  }

  void SetCookieAttributes() {
    Config config = consent_config();
    config.base_path = "/forms/";
    const std::string plain = consent_set_cookie("VALUE", config, false);
    CPPUNIT_ASSERT_EQUAL(
        std::string("sealform_consent=VALUE; Max-Age=15552000; Path=/forms/; HttpOnly; "
                    "SameSite=Lax"),
        plain);
    CPPUNIT_ASSERT(has(consent_set_cookie("VALUE", config, true), "; Secure"));
    // Behind a TLS proxy that speaks plain HTTP to the web server, the
    // site's https origin still makes the cookie Secure.
    config.origin = "https://www.example.com";
    CPPUNIT_ASSERT(has(consent_set_cookie("VALUE", config, false), "; Secure"));
  }

  void ReturnPathAccepts() {
    for (const char* ok : {"/", "/en-us/enquiry", "/zh-tw/privacy", "/zh-cn/cookies",
                           "/en-us/enquiry/thanks?ref=ENQ-7K3QD-M9XA2", "/en-us/nothing"}) {
      CPPUNIT_ASSERT_MESSAGE(ok, is_local_return_path("/", ok));
    }
    CPPUNIT_ASSERT(is_local_return_path("/forms/", "/forms/en-us/enquiry"));
  }

  void ReturnPathRefusesHostileValues() {
    const std::vector<std::string> hostile = {
        "",
        "https://evil.example/",
        "http://evil.example",
        "//evil.example",
        "//evil.example/en-us/enquiry",
        "/\\evil.example",
        "\\\\evil.example",
        "/\\/evil.example",
        "\\/evil.example",
        "/%2F%2Fevil.example",
        "/%2f/evil.example",
        "/%5Cevil.example",
        "/%5cevil.example",
        "%2F%2Fevil.example",
        "/en-us/enquiry\r\nSet-Cookie: x=y",
        "/en-us/enquiry\nLocation: //evil",
        std::string("/en-us/\0evil", 11),
        "/\tevil.example",
        " /en-us/enquiry",
        "/en-us/ enquiry",
        "javascript:alert(1)",
        "data:text/html,hi",
        "/en-us/../../evil",
        "/en-us/./enquiry",
        "/en-us/..",
        "/en-us//evil.example",
        "/en-us/enquiry#//evil",
        "/en-us/enquiry@evil.example",
        "/en-us/\xe2\x80\xae" "evil",
        "/en-us/\xef\xbc\x8f\xef\xbc\x8f" "evil",
        "/" + std::string(kMaxReturnPathChars, 'a'),
        "evil.example",
        "./en-us/enquiry",
        "/en-us/enquiry\x7f",
    };
    CPPUNIT_ASSERT(hostile.size() >= 20);
    for (const std::string& value : hostile) {
      CPPUNIT_ASSERT_MESSAGE(value.substr(0, 30), !is_local_return_path("/", value));
    }
    // Outside a non-root base path.
    for (const char* value : {"/", "/forms", "/other/en-us/enquiry", "/forms/../x"}) {
      CPPUNIT_ASSERT_MESSAGE(value, !is_local_return_path("/forms/", value));
    }
  }

  void NoCookieBeforeChoiceAndBannerShown() {
    WebFixture web(kAnalytics);
    for (const char* path : {"/en-us/enquiry", "/zh-cn/privacy", "/zh-tw/cookies", "/en-us/nothing",
                             "/en-us/enquiry/thanks?ref=ENQ-7K3QD-M9XA2", "/", "/healthz"}) {
      Response r = web.get(path);
      CPPUNIT_ASSERT_MESSAGE(path, r.header("Set-Cookie").empty());
      if (r.status == 303 || path == std::string("/healthz")) continue;
      CPPUNIT_ASSERT_MESSAGE(path, has(r.body, "id=\"consent-banner\""));
      CPPUNIT_ASSERT_MESSAGE(path, !has(r.body, "stats.example.net/a.js"));
      CPPUNIT_ASSERT_MESSAGE(path, !has(r.header("Content-Security-Policy"), "stats.example.net"));
      CPPUNIT_ASSERT_MESSAGE(path, has(r.body, "value=\"accept\" class=\"consent-choice\""));
      CPPUNIT_ASSERT_MESSAGE(path, has(r.body, "value=\"reject\" class=\"consent-choice\""));
      CPPUNIT_ASSERT_EQUAL(std::string("no-store"), r.header("Cache-Control"));
    }
    // The banner returns to the page it was shown on.
    Response form = web.get("/zh-cn/privacy");
    CPPUNIT_ASSERT_EQUAL(std::string("/zh-cn/privacy"),
                         WebFixture::hidden_value(form.body, "return"));
  }

  // A POST body for /consent with a token from the cookie policy page.
  static std::string consent_body(WebFixture& web, const std::string& choice,
                                  const std::string& ret) {
    const std::string token =
        WebFixture::hidden_value(web.get("/en-us/cookies").body, "consent_token");
    return "consent_token=" + WebFixture::percent_encode(token) + "&return=" +
           WebFixture::percent_encode(ret) + "&choice=" + choice;
  }

  void RejectFlow() {
    WebFixture web(kAnalytics);
    Response r = web.post("/consent", consent_body(web, "reject", "/zh-tw/privacy"));
    CPPUNIT_ASSERT_EQUAL(303, r.status);
    CPPUNIT_ASSERT_EQUAL(std::string("/zh-tw/privacy"), r.header("Location"));
    const std::string set = r.header("Set-Cookie");
    CPPUNIT_ASSERT(has(set, "sealform_consent="));
    CPPUNIT_ASSERT(has(set, "; Max-Age=15552000; Path=/; HttpOnly; SameSite=Lax"));
    // Plain HTTP reached the app, but the site's origin is https.
    CPPUNIT_ASSERT(has(set, "; Secure"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, web.consent_rows());
    const std::string cookie = WebFixture::cookie_pair(r);
    for (const char* path : {"/en-us/enquiry", "/zh-tw/privacy", "/zh-cn/cookies"}) {
      Response page = web.get(path, cookie);
      CPPUNIT_ASSERT_MESSAGE(path, !has(page.body, "id=\"consent-banner\""));
      CPPUNIT_ASSERT_MESSAGE(path, !has(page.body, "stats.example.net/a.js"));
      CPPUNIT_ASSERT_MESSAGE(path, !has(page.header("Content-Security-Policy"), "stats.example"));
      CPPUNIT_ASSERT_MESSAGE(path, page.header("Set-Cookie").empty());
    }
    CPPUNIT_ASSERT(has(web.get("/en-us/cookies", cookie).body, "analytics cookies rejected"));
  }

  void AcceptFlowAllowsExactlyTheAnalyticsOrigin() {
    WebFixture web(kAnalytics);
    Response r = web.post("/consent", consent_body(web, "accept", "/en-us/enquiry"), "", kSite);
    CPPUNIT_ASSERT_EQUAL(303, r.status);
    const std::string cookie = WebFixture::cookie_pair(r);
    Response page = web.get("/en-us/enquiry", cookie);
    CPPUNIT_ASSERT(
        has(page.body, "<script src=\"https://stats.example.net/a.js\" async></script>"));
    CPPUNIT_ASSERT(!has(page.body, "id=\"consent-banner\""));
    CPPUNIT_ASSERT_EQUAL(
        std::string("default-src 'self'; script-src 'self' https://stats.example.net; "
                    "connect-src 'self' https://stats.example.net; img-src 'self' "
                    "https://stats.example.net; frame-ancestors 'none'; form-action 'self'; "
                    "base-uri 'none'"),
        page.header("Content-Security-Policy"));
    CPPUNIT_ASSERT(has(web.get("/en-us/cookies", cookie).body, "analytics cookies accepted"));
    // Never on the thanks page: its address carries the enquiry's reference.
    Response thanks = web.get("/en-us/enquiry/thanks?ref=ENQ-7K3QD-M9XA2", cookie);
    CPPUNIT_ASSERT(!has(thanks.body, "stats.example.net"));
    CPPUNIT_ASSERT(!has(thanks.header("Content-Security-Policy"), "stats.example.net"));
    // Nor on an error page answered at that address.
    Request put;
    put.method = "PUT";
    put.path = "/en-us/enquiry/thanks";
    put.query = "ref=ENQ-7K3QD-M9XA2";
    put.headers["cookie"] = cookie;
    StringBody empty("");
    Response refused = web.app().handle(put, empty);
    CPPUNIT_ASSERT_EQUAL(405, refused.status);
    CPPUNIT_ASSERT(!has(refused.body, "stats.example.net"));
    CPPUNIT_ASSERT(!has(refused.header("Content-Security-Policy"), "stats.example.net"));
    // Changing the choice from the cookie policy page: reject, a second later.
    WebFixture::now += 1;
    Response again = web.post("/consent", consent_body(web, "reject", "/en-us/cookies"), cookie);
    CPPUNIT_ASSERT_EQUAL(std::string("/en-us/cookies"), again.header("Location"));
    const std::string both = cookie + "; " + WebFixture::cookie_pair(again);
    // With both cookies sent (older first or last), the newer choice counts.
    CPPUNIT_ASSERT(!has(web.get("/en-us/enquiry", both).body, "stats.example.net"));
    const std::string reversed = WebFixture::cookie_pair(again) + "; " + cookie;
    CPPUNIT_ASSERT(!has(web.get("/en-us/enquiry", reversed).body, "stats.example.net"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, web.consent_rows());
  }

  void JsonClientGets200() {
    WebFixture web(kAnalytics);
    Response r = web.post("/consent", consent_body(web, "accept", "/en-us/enquiry"), "",
                          "https://www.example.com", "application/json");
    CPPUNIT_ASSERT_EQUAL(200, r.status);
    CPPUNIT_ASSERT_EQUAL(std::string("accept"),
                         nlohmann::json::parse(r.body)["choice"].get<std::string>());
    CPPUNIT_ASSERT(has(r.header("Set-Cookie"), "sealform_consent="));
  }

  void HostileReturnGoesToDefaultPage() {
    WebFixture web(kAnalytics);
    for (const char* ret : {"https://evil.example/", "//evil.example", "/\\evil.example",
                            "/%2F%2Fevil.example", "/zh-tw/\r\nx"}) {
      Response r = web.post("/consent", consent_body(web, "reject", ret));
      CPPUNIT_ASSERT_EQUAL(303, r.status);
      CPPUNIT_ASSERT_EQUAL(std::string("/en-us/enquiry"), r.header("Location"));
    }
    // No return at all, or twice: the default page too.
    std::string body = consent_body(web, "reject", "/zh-cn/cookies");
    Response twice = web.post("/consent", body + "&return=%2Fzh-cn%2Fprivacy");
    CPPUNIT_ASSERT_EQUAL(std::string("/en-us/enquiry"), twice.header("Location"));
  }

  void RefusedConsentPosts() {
    WebFixture web(kAnalytics);
    const std::string ok = consent_body(web, "accept", "/en-us/enquiry");
    const std::string enquiry_token =
        WebFixture::hidden_value(web.get("/en-us/enquiry").body, "token");
    const std::vector<std::string> refused = {
        "return=%2Fen-us%2Fenquiry&choice=accept",
        "consent_token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&choice=accept",
        "consent_token=" + WebFixture::percent_encode(enquiry_token) + "&choice=accept",
        "token=" + WebFixture::percent_encode(enquiry_token) + "&choice=accept",
        ok.substr(0, ok.find("&choice=")),
        ok.substr(0, ok.find("&choice=")) + "&choice=maybe",
        ok + "&choice=reject",
        ok + "&consent_token=x",
    };
    for (const std::string& body : refused) {
      Response r = web.post("/consent", body, "", kSite);
      CPPUNIT_ASSERT_EQUAL(403, r.status);
      CPPUNIT_ASSERT(r.header("Set-Cookie").empty());
    }
    CPPUNIT_ASSERT_EQUAL(403, web.post("/consent", ok, "", "https://evil.example").status);
    CPPUNIT_ASSERT_EQUAL(400, web.post("/consent", "consent_token=%zz", "", kSite).status);
    const std::string pad(static_cast<std::size_t>(web.config().max_body_bytes), 'a');
    CPPUNIT_ASSERT_EQUAL(413, web.post("/consent", ok + "&pad=" + pad, "", kSite).status);
    WebFixture::now += kConsentTokenLifetimeSeconds + 1;
    CPPUNIT_ASSERT_EQUAL(403, web.post("/consent", ok, "", kSite).status);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, web.consent_rows());
    Response get = web.get("/consent");
    CPPUNIT_ASSERT_EQUAL(405, get.status);
    CPPUNIT_ASSERT_EQUAL(std::string("POST"), get.header("Allow"));
    // Consent is immediate: no minimum fill time (the token is brand new).
    CPPUNIT_ASSERT_EQUAL(303,
                         web.post("/consent", consent_body(web, "accept", "/"), "", kSite).status);
  }

  // The consent token proves nothing about who posted (any page can fetch
  // one), so an "accept" must come with an Origin, or a Referer, on the
  // site; a "reject" needs neither, like an enquiry.
  void AcceptNeedsProofItComesFromTheSite() {
    WebFixture web(kAnalytics);
    Response bare = web.post("/consent", consent_body(web, "accept", "/en-us/enquiry"));
    CPPUNIT_ASSERT_EQUAL(403, bare.status);
    CPPUNIT_ASSERT(bare.header("Set-Cookie").empty());
    CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, web.consent_rows());
    Response rejected = web.post("/consent", consent_body(web, "reject", "/en-us/enquiry"));
    CPPUNIT_ASSERT_EQUAL(303, rejected.status);
    CPPUNIT_ASSERT(has(rejected.header("Set-Cookie"), "sealform_consent="));
    // A Referer on the site is proof enough when Origin is missing.
    Request r;
    r.method = "POST";
    r.path = "/consent";
    const std::string body = consent_body(web, "accept", "/en-us/enquiry");
    r.content_length = std::to_string(body.size());
    r.content_type = "application/x-www-form-urlencoded";
    r.headers["referer"] = "https://www.example.com/en-us/cookies";
    StringBody source(body);
    CPPUNIT_ASSERT_EQUAL(303, web.app().handle(r, source).status);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, web.consent_rows());
  }

  void ForgedCookieCountsAsNoChoice() {
    WebFixture web(kAnalytics);
    const std::string forged =
        "sealform_consent=" + ConsentSigner(key_of(3)).encode(sample(ConsentChoice::kAccept,
                                                                     WebFixture::now));
    Response page = web.get("/en-us/enquiry", forged);
    CPPUNIT_ASSERT(has(page.body, "id=\"consent-banner\""));
    CPPUNIT_ASSERT(!has(page.body, "stats.example.net"));
  }

  void PolicyVersionChangeAsksAgain() {
    WebFixture web(kAnalytics);
    const std::string cookie =
        WebFixture::cookie_pair(web.post("/consent", consent_body(web, "accept", "/"), "", kSite));
    CPPUNIT_ASSERT(has(web.get("/en-us/enquiry", cookie).body, "stats.example.net"));
    web.set_policy_version("2");
    for (const char* path : {"/en-us/enquiry", "/zh-cn/privacy", "/zh-tw/cookies"}) {
      Response page = web.get(path, cookie);
      CPPUNIT_ASSERT_MESSAGE(path, !has(page.body, "stats.example.net/a.js"));
      CPPUNIT_ASSERT_MESSAGE(path, !has(page.header("Content-Security-Policy"), "stats.example"));
      CPPUNIT_ASSERT_MESSAGE(path, has(page.body, "id=\"consent-banner\""));
    }
    CPPUNIT_ASSERT(has(web.get("/en-us/enquiry", cookie).body, "has changed since you last chose"));
    CPPUNIT_ASSERT(has(web.get("/en-us/cookies", cookie).body, "not yet chosen under the current"));
    // Choosing again under version 2 is remembered.
    const std::string renewed =
        WebFixture::cookie_pair(web.post("/consent", consent_body(web, "accept", "/"), "", kSite));
    CPPUNIT_ASSERT(has(web.get("/en-us/enquiry", renewed).body, "stats.example.net"));
  }

  void SecureOverHttps() {
    WebFixture web(kAnalytics);
    Request r;
    r.method = "POST";
    r.path = "/consent";
    r.https = true;
    const std::string body = consent_body(web, "reject", "/");
    r.content_length = std::to_string(body.size());
    r.content_type = "application/x-www-form-urlencoded";
    StringBody source(body);
    Response response = web.app().handle(r, source);
    CPPUNIT_ASSERT(has(response.header("Set-Cookie"), "; Secure"));
  }

  void NoBannerWithoutAnalytics() {
    WebFixture web;
    Response page = web.get("/en-us/enquiry");
    CPPUNIT_ASSERT(!has(page.body, "consent-banner"));
    CPPUNIT_ASSERT(has(page.body, "/en-us/cookies#preferences"));
    CPPUNIT_ASSERT(has(web.get("/en-us/cookies").body, "no analytics"));
  }

  // A 422 for an enquiry with a bad email and a name that needs escaping,
  // as a browser would get it.
  static Response reshown_form(WebFixture& web) {
    const std::string token = WebFixture::hidden_value(web.get("/en-us/enquiry").body, "token");
    WebFixture::now += 10;
    Response r = web.post("/en-us/enquiry",
                          "token=" + WebFixture::percent_encode(token) +
                              "&name=Zo%C3%AB+%3Cb%3EQuill%3C%2Fb%3E&company=Quillworks"
                              "&job_title=&email=not-an-address&category=media"
                              "&message=Distinctive+message+text&age_confirm=yes&website=");
    CPPUNIT_ASSERT_EQUAL(422, r.status);
    return r;
  }

  // What the browser posts when a banner button of that page is pressed:
  // the enquiry form's fields (the buttons belong to it), then the choice.
  static std::string posted_from(const Response& page, const std::string& choice) {
    return "token=" + WebFixture::percent_encode(WebFixture::hidden_value(page.body, "token")) +
           "&name=Zo%C3%AB+%3Cb%3EQuill%3C%2Fb%3E&company=Quillworks&job_title="
           "&email=not-an-address&category=media&message=Distinctive+message+text"
           "&age_confirm=yes&website=&consent_token=" +
           WebFixture::percent_encode(WebFixture::hidden_value(page.body, "consent_token")) +
           "&return=" + WebFixture::percent_encode(WebFixture::hidden_value(page.body, "return")) +
           "&choice=" + choice;
  }

  void BannerOfAReshownFormJoinsTheForm() {
    WebFixture web(kAnalytics);
    // Other pages: the banner comes first and is a form of its own.
    Response privacy = web.get("/en-us/privacy");
    CPPUNIT_ASSERT(privacy.body.find("id=\"consent-banner\"") < privacy.body.find("<main"));
    CPPUNIT_ASSERT(!has(privacy.body, "formaction"));
    // The form page, fresh (cached) or re-shown with typed text: the banner
    // follows the form (whose own button stays the default one) and its
    // controls belong to the form.
    Response fresh = web.get("/en-us/enquiry");
    CPPUNIT_ASSERT(fresh.body.find("id=\"consent-banner\"") > fresh.body.find("</main>"));
    CPPUNIT_ASSERT(has(fresh.body,
                       "value=\"accept\" class=\"consent-choice\" form=\"enquiry-form\" "
                       "formaction=\"/consent\" formnovalidate>"));
    Response r = reshown_form(web);
    CPPUNIT_ASSERT(has(r.body, "class=\"enquiry\" id=\"enquiry-form\""));
    CPPUNIT_ASSERT(r.body.find("id=\"consent-banner\"") > r.body.find("</main>"));
    CPPUNIT_ASSERT(has(r.body,
                       "value=\"accept\" class=\"consent-choice\" form=\"enquiry-form\" "
                       "formaction=\"/consent\" formnovalidate>"));
    CPPUNIT_ASSERT(has(r.body,
                       "value=\"reject\" class=\"consent-choice\" form=\"enquiry-form\" "
                       "formaction=\"/consent\" formnovalidate>"));
    CPPUNIT_ASSERT(has(r.body, "name=\"return\" value=\"/en-us/enquiry\" form=\"enquiry-form\">"));
    CPPUNIT_ASSERT(has(r.body, "Zoë &lt;b&gt;Quill&lt;/b&gt;"));
  }

  void ChoiceFromAReshownFormShowsItAgain() {
    WebFixture web(kAnalytics);
    Response page = reshown_form(web);
    Response r = web.post("/consent", posted_from(page, "accept"), "", "https://www.example.com");
    CPPUNIT_ASSERT_EQUAL(200, r.status);
    CPPUNIT_ASSERT(has(r.header("Set-Cookie"), "sealform_consent="));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, web.consent_rows());
    CPPUNIT_ASSERT_EQUAL(std::string("no-store"), r.header("Cache-Control"));
    // The form again, with what was typed, its error, and a notice that it
    // is not sent; no banner any more, and the accepted analytics load.
    CPPUNIT_ASSERT(has(r.body, "value=\"Zoë &lt;b&gt;Quill&lt;/b&gt;\""));
    CPPUNIT_ASSERT(has(r.body, "value=\"Quillworks\""));
    CPPUNIT_ASSERT(has(r.body, ">Distinctive message text</textarea>"));
    CPPUNIT_ASSERT(has(r.body, "<option value=\"media\" selected>"));
    CPPUNIT_ASSERT(
        has(r.body, "id=\"age_confirm\" name=\"age_confirm\" value=\"yes\" required checked"));
    // No field errors: the enquiry was not sent.
    CPPUNIT_ASSERT(!has(r.body, "id=\"email-error\""));
    CPPUNIT_ASSERT(has(r.body, "has not been sent yet"));
    CPPUNIT_ASSERT(!has(r.body, "consent-banner"));
    CPPUNIT_ASSERT(has(r.body, "<script src=\"https://stats.example.net/a.js\" async></script>"));
    CPPUNIT_ASSERT(
        has(r.header("Content-Security-Policy"), "script-src 'self' https://stats.example.net"));
    // The form's token, still valid, is kept (its minimum fill time counts
    // from the first showing) and is good for the enquiry's own post.
    const std::string token = WebFixture::hidden_value(r.body, "token");
    CPPUNIT_ASSERT(!token.empty());
    CPPUNIT_ASSERT_EQUAL(WebFixture::hidden_value(page.body, "token"), token);
    WebFixture::now += 10;
    Response sent = web.post("/en-us/enquiry",
                             "token=" + WebFixture::percent_encode(token) +
                                 "&name=Zo%C3%AB&email=zoe%40example.com&category=media"
                                 "&message=Hello&age_confirm=yes",
                             WebFixture::cookie_pair(r));
    CPPUNIT_ASSERT_EQUAL(303, sent.status);
    // Reject works the same way and leaves no analytics.
    Response again = web.post("/consent", posted_from(reshown_form(web), "reject"));
    CPPUNIT_ASSERT_EQUAL(200, again.status);
    CPPUNIT_ASSERT(has(again.body, "value=\"Quillworks\""));
    CPPUNIT_ASSERT(!has(again.body, "stats.example.net"));
    // A client asking for JSON gets JSON, whatever else was posted.
    Response json = web.post("/consent", posted_from(reshown_form(web), "accept"), "",
                             "https://www.example.com", "application/json");
    CPPUNIT_ASSERT_EQUAL(200, json.status);
    CPPUNIT_ASSERT(!has(json.body, "Quillworks"));
    // The fresh form's banner, nothing typed: the usual 303 back.
    const Response fresh = web.get("/en-us/enquiry");
    const std::string empty_form =
        "token=" + WebFixture::percent_encode(WebFixture::hidden_value(fresh.body, "token")) +
        "&name=&company=&job_title=&email=&category=&message=+++&website=&consent_token=" +
        WebFixture::percent_encode(WebFixture::hidden_value(fresh.body, "consent_token")) +
        "&return=%2Fen-us%2Fenquiry&choice=reject";
    Response back = web.post("/consent", empty_form);
    CPPUNIT_ASSERT_EQUAL(303, back.status);
    CPPUNIT_ASSERT_EQUAL(std::string("/en-us/enquiry"), back.header("Location"));
  }

  void RefusedChoiceFromAReshownFormKeepsTheText() {
    WebFixture web(kAnalytics + std::string("[storage]\nbusy_timeout_ms = 20\n"));
    Response page = reshown_form(web);
    // Another origin: 403, the form again with its text and a banner that
    // still returns to the form, not to /consent.
    Response foreign =
        web.post("/consent", posted_from(page, "accept"), "", "https://evil.example");
    CPPUNIT_ASSERT_EQUAL(403, foreign.status);
    CPPUNIT_ASSERT(foreign.header("Set-Cookie").empty());
    CPPUNIT_ASSERT(has(foreign.body, "value=\"Zoë &lt;b&gt;Quill&lt;/b&gt;\""));
    CPPUNIT_ASSERT(has(foreign.body, "could not be saved"));
    CPPUNIT_ASSERT(
        has(foreign.body, "name=\"return\" value=\"/en-us/enquiry\" form=\"enquiry-form\">"));
    // An expired consent token: the same.
    WebFixture::now += kConsentTokenLifetimeSeconds + 1;
    Response expired = web.post("/consent", posted_from(page, "accept"), "", kSite);
    CPPUNIT_ASSERT_EQUAL(403, expired.status);
    CPPUNIT_ASSERT(has(expired.body, ">Distinctive message text</textarea>"));
    // Storage locked past the busy timeout: 503 + Retry-After, the text kept.
    Response fresh_page = reshown_form(web);
    sqlite::Connection locker(web.config().database);
    locker.exec("BEGIN IMMEDIATE", "holding the write lock");
    Response busy = web.post("/consent", posted_from(fresh_page, "accept"), "", kSite);
    const std::string plain_body = consent_body(web, "reject", "/zh-tw/privacy");
    Response plain_busy = web.post("/consent", plain_body);
    locker.exec("ROLLBACK", "releasing the write lock");
    CPPUNIT_ASSERT_EQUAL(503, busy.status);
    CPPUNIT_ASSERT_EQUAL(std::string("30"), busy.header("Retry-After"));
    CPPUNIT_ASSERT(busy.header("Set-Cookie").empty());
    CPPUNIT_ASSERT(has(busy.body, "value=\"Quillworks\""));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, web.consent_rows());
    CPPUNIT_ASSERT(has(busy.body, "could not save your cookie choice"));
    // Without the form: a 503 page in the return path's language.
    CPPUNIT_ASSERT_EQUAL(503, plain_busy.status);
    CPPUNIT_ASSERT_EQUAL(std::string("zh-Hant"), plain_busy.header("Content-Language"));
    CPPUNIT_ASSERT_EQUAL(std::string("30"), plain_busy.header("Retry-After"));
    // The fault cleared: the same post is recorded.
    CPPUNIT_ASSERT_EQUAL(200,
                         web.post("/consent", posted_from(fresh_page, "accept"), "", kSite).status);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, web.consent_rows());
    // Analytics switched off meanwhile (a reload): 404, the text kept.
    Response last_page = reshown_form(web);
    web.reconfigure("[storage]\nbusy_timeout_ms = 20\n");
    Response gone = web.post("/consent", posted_from(last_page, "accept"), "", kSite);
    CPPUNIT_ASSERT_EQUAL(404, gone.status);
    CPPUNIT_ASSERT(has(gone.body, "value=\"Quillworks\""));
    CPPUNIT_ASSERT(has(gone.body, "could not be saved"));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConsentTest);

}  // namespace sealform::web
