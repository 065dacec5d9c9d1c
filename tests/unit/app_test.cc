// Tests for the web handlers: canned requests through the real Application
// (real keys, templates and SQLite in a temporary directory), no socket.
#include "web/app.h"

#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "core/hmac.h"
#include "core/keys.h"
#include "core/reference.h"
#include "core/store.h"
#include "test_util.h"
#include "web/form_post.h"
#include "web/submit.h"
#include "web_fixture.h"

namespace sealform::web {
namespace {

std::int64_t g_now = 1796000000;
std::int64_t test_clock() { return g_now; }

// Records whether the handler read the body at all.
class CountingBody : public BodySource {
 public:
  explicit CountingBody(std::string body) : inner_(std::move(body)) {}
  std::optional<std::string> read(std::size_t length) override {
    ++reads;
    return inner_.read(length);
  }
  int reads = 0;

 private:
  StringBody inner_;
};

// A body whose reading fails the way no handler expects.
class FailingBody : public BodySource {
 public:
  std::optional<std::string> read(std::size_t) override {
    throw std::runtime_error("simulated read failure");
  }
};

using test::WebFixture;
const auto percent_encode = WebFixture::percent_encode;

std::string extract_token(const std::string& html) {
  const std::string marker = "name=\"token\" value=\"";
  auto at = html.find(marker);
  if (at == std::string::npos) return "";
  at += marker.size();
  return html.substr(at, html.find('"', at) - at);
}

}  // namespace

class AppTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(AppTest);
  CPPUNIT_TEST(RootRedirectsByLanguage);
  CPPUNIT_TEST(FormPageHasFieldsTokenAndHeaders);
  CPPUNIT_TEST(UnknownLocaleAndPathAre404);
  CPPUNIT_TEST(ValidPostStoresAndRedirects);
  CPPUNIT_TEST(JsonClientGets201);
  CPPUNIT_TEST(ReplayedTokenStoresOnce);
  CPPUNIT_TEST(ReferenceComesFromTheToken);
  CPPUNIT_TEST(InvalidPostReshowsEscaped);
  CPPUNIT_TEST(InvalidPostJson);
  CPPUNIT_TEST(TokenRefusals);
  CPPUNIT_TEST(OriginChecks);
  CPPUNIT_TEST(HoneypotLooksLikeSuccess);
  CPPUNIT_TEST(ContentLengthAndTypeChecks);
  CPPUNIT_TEST(OversizedBodyIsNotRead);
  CPPUNIT_TEST(InternalErrorIsAPageInTheVisitorsLanguage);
  CPPUNIT_TEST(RateLimit);
  CPPUNIT_TEST(MethodNotAllowed);
  CPPUNIT_TEST(HealthAndThanks);
  CPPUNIT_TEST(NoStateCrossesRequests);
  CPPUNIT_TEST(BadConfigFailsFast);
  CPPUNIT_TEST(CachedFreshFormsGetFreshTokens);
  CPPUNIT_TEST(CachedErrorPagesKeepTheirOwnReference);
  CPPUNIT_TEST(ReshownFormKeepsAGenuineToken);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    dir_ = std::make_unique<test::TempDir>();
    const std::string keys = dir_->file("keys");
    ::mkdir(keys.c_str(), 0750);
    create_web_secret(keys);
    create_seal_key_pair(keys, std::nullopt);
    std::string text = std::string("[site]\norganisation = Example Ltd\n") +
                       "origin = https://www.example.com\ncontact_email = privacy@example.com\n"
                       "data_location = EU\npolicy_version = 1\npolicy_date = 2026-11-29\n"
                       "[storage]\ndatabase = " +
                       dir_->file("e.db") + "\nhold_database = " + dir_->file("h.db") +
                       "\n[keys]\ndirectory = " + keys +
                       "\n[form]\ncategories = general, media\n"
                       "[rate_limit]\nper_client = 3\n[web]\ndata_directory = " +
                       std::string(SOURCEDIR) + "/www\n";
    config_ = parse_config(text, "app_test.conf");
    g_now = 1796000000;
    app_ = make_application(config_, WriterMode::kDirect, &test_clock);
  }

  void tearDown() override {
    app_.reset();
    dir_.reset();
  }

  Response get(const std::string& path, const std::string& accept_language = "") {
    Request r;
    r.method = "GET";
    r.path = path.substr(0, path.find('?'));
    if (path.find('?') != std::string::npos) r.query = path.substr(path.find('?') + 1);
    if (!accept_language.empty()) r.headers["accept-language"] = accept_language;
    StringBody body("");
    return app_->handle(r, body);
  }

  Response post(const std::string& body, const std::string& origin = "https://www.example.com",
                const std::string& accept = "", const std::string& remote = "192.0.2.1") {
    Request r;
    r.method = "POST";
    r.path = "/en-us/enquiry";
    r.content_length = std::to_string(body.size());
    r.content_type = "application/x-www-form-urlencoded";
    r.remote_addr = remote;
    if (!origin.empty()) r.headers["origin"] = origin;
    if (!accept.empty()) r.headers["accept"] = accept;
    StringBody source(body);
    return app_->handle(r, source);
  }

  // A fresh token, aged past the minimum fill time.
  std::string token() {
    std::string t = extract_token(get("/en-us/enquiry").body);
    g_now += 10;
    return t;
  }

  std::string valid_body(const std::string& tok, const std::string& name = "Ada Lovelace") {
    return "token=" + percent_encode(tok) + "&name=" + percent_encode(name) +
           "&company=Analytical&job_title=&email=ada%40example.com&category=general"
           "&message=Hello%0D%0Athere&age_confirm=yes";
  }

  std::int64_t stored() { return open_sqlite_store(config_)->count(); }

  void RootRedirectsByLanguage() {
    Response r = get("/", "zh-TW,zh;q=0.9");
    CPPUNIT_ASSERT_EQUAL(303, r.status);
    CPPUNIT_ASSERT_EQUAL(std::string("/zh-tw/enquiry"), r.header("Location"));
    CPPUNIT_ASSERT_EQUAL(std::string("/en-us/enquiry"), get("/", "de").header("Location"));
    CPPUNIT_ASSERT_EQUAL(std::string("/zh-cn/enquiry"), get("/", "zh-SG").header("Location"));
  }

  void FormPageHasFieldsTokenAndHeaders() {
    Response r = get("/en-us/enquiry");
    CPPUNIT_ASSERT_EQUAL(200, r.status);
    CPPUNIT_ASSERT_EQUAL(std::string("text/html; charset=utf-8"), r.header("Content-Type"));
    CPPUNIT_ASSERT_EQUAL(std::string("no-store"), r.header("Cache-Control"));
    CPPUNIT_ASSERT(r.header("Content-Security-Policy").find("default-src 'self'") == 0);
    CPPUNIT_ASSERT(r.header("Content-Security-Policy").find("unsafe-inline") == std::string::npos);
    CPPUNIT_ASSERT_EQUAL(std::string("nosniff"), r.header("X-Content-Type-Options"));
    CPPUNIT_ASSERT_EQUAL(std::string("DENY"), r.header("X-Frame-Options"));
    CPPUNIT_ASSERT(!r.header("Referrer-Policy").empty());
    CPPUNIT_ASSERT(!r.header("Permissions-Policy").empty());
    for (const char* needle :
         {"name=\"name\"", "name=\"company\"", "name=\"job_title\"", "type=\"email\"",
          "name=\"message\"", "name=\"category\"", "value=\"general\"", "value=\"media\"",
          "name=\"age_confirm\"", "name=\"retain\"", "name=\"website\"", "maxlength=\"100\"",
          "maxlength=\"5000\"", "<html lang=\"en\">"}) {
      CPPUNIT_ASSERT_MESSAGE(needle, r.body.find(needle) != std::string::npos);
    }
    CPPUNIT_ASSERT(!extract_token(r.body).empty());
    CPPUNIT_ASSERT(r.body.find("name=\"retain\" value=\"yes\" checked") == std::string::npos);
  }

  void UnknownLocaleAndPathAre404() {
    CPPUNIT_ASSERT_EQUAL(404, get("/fr-fr/enquiry").status);
    CPPUNIT_ASSERT_EQUAL(404, get("/en-us/nothing").status);
    CPPUNIT_ASSERT_EQUAL(404, get("/etc/passwd").status);
    CPPUNIT_ASSERT_EQUAL(404, get("/EN-US/enquiry").status);
    // Its language and form are negotiated: a shared cache must know on what.
    const std::string vary = get("/etc/passwd").header("Vary");
    CPPUNIT_ASSERT_EQUAL(std::string("Cookie, Accept, Accept-Language"), vary);
  }

  void ValidPostStoresAndRedirects() {
    Response r = post(valid_body(token()));
    CPPUNIT_ASSERT_EQUAL(303, r.status);
    const std::string location = r.header("Location");
    CPPUNIT_ASSERT(location.rfind("/en-us/enquiry/thanks?ref=ENQ-", 0) == 0);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, stored());
    const std::string reference = location.substr(location.find("ref=") + 4);
    auto record = open_sqlite_store(config_)->find(reference);
    CPPUNIT_ASSERT(record.has_value());
    CPPUNIT_ASSERT_EQUAL(std::string("general"), record->category);
    CPPUNIT_ASSERT_EQUAL(std::string("en-us"), record->locale);
    CPPUNIT_ASSERT(record->age_confirmed);
    CPPUNIT_ASSERT(!record->retain);
  }

  void JsonClientGets201() {
    const std::string form = valid_body(token());
    Response r = post(form, "https://www.example.com", "application/json");
    CPPUNIT_ASSERT_EQUAL(201, r.status);
    nlohmann::json body = nlohmann::json::parse(r.body);
    CPPUNIT_ASSERT(body["reference"].get<std::string>().rfind("ENQ-", 0) == 0);
    // A replay gets the same answer: the same status and reference.
    Response again = post(form, "https://www.example.com", "application/json");
    CPPUNIT_ASSERT_EQUAL(201, again.status);
    CPPUNIT_ASSERT_EQUAL(r.body, again.body);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, stored());
  }

  void ReplayedTokenStoresOnce() {
    const std::string body = valid_body(token());
    Response first = post(body);
    Response second = post(body);
    CPPUNIT_ASSERT_EQUAL(303, second.status);
    CPPUNIT_ASSERT_EQUAL(first.header("Location"), second.header("Location"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, stored());
  }

  // The reference reference_for() derives from the token's idempotency key.
  std::string derived_reference(const std::string& tok) {
    const SecretBytes secret = load_web_secret(web_secret_path(config_.key_directory));
    const TokenVerdict verdict =
        TokenSigner(derive_subkey(secret, Subkey::kCsrf)).verify(tok, "en-us", g_now, 0, 3600);
    CPPUNIT_ASSERT(verdict.check == TokenCheck::kValid);
    return reference_for(HmacKey(derive_subkey(secret, Subkey::kReference)),
                         idempotency_key(verdict));
  }

  void ReferenceComesFromTheToken() {
    const std::string first_token = token();
    Response r = post(valid_body(first_token));
    CPPUNIT_ASSERT_EQUAL(303, r.status);
    CPPUNIT_ASSERT_EQUAL("/en-us/enquiry/thanks?ref=" + derived_reference(first_token),
                         r.header("Location"));
    // The same form posted again with an invalid field, or the honeypot
    // filled, stores nothing and gets the first answer (found in the row).
    Response invalid = post("token=" + percent_encode(first_token) +
                            "&name=Ada&email=not-an-email&category=general&message=Hi"
                            "&age_confirm=yes");
    CPPUNIT_ASSERT_EQUAL(303, invalid.status);
    CPPUNIT_ASSERT_EQUAL(r.header("Location"), invalid.header("Location"));
    Response honeypot = post(valid_body(first_token) + "&website=spam");
    CPPUNIT_ASSERT_EQUAL(r.header("Location"), honeypot.header("Location"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, stored());
    // Another form's row holds the reference this token derives (a chance
    // of about one in 2^50): the enquiry is stored under a random one, and
    // a replay of the form is answered with that one.
    const std::string tok = token();
    const std::string taken = derived_reference(tok);
    open_sqlite_store(config_)->insert(test::make_record(taken, 7), "another form", g_now + 3600);
    const std::string body = valid_body(tok);
    Response stored_elsewhere = post(body);
    CPPUNIT_ASSERT_EQUAL(303, stored_elsewhere.status);
    const std::string location = stored_elsewhere.header("Location");
    CPPUNIT_ASSERT(location.rfind("/en-us/enquiry/thanks?ref=ENQ-", 0) == 0);
    CPPUNIT_ASSERT(location != "/en-us/enquiry/thanks?ref=" + taken);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, stored());
    CPPUNIT_ASSERT_EQUAL(location, post(body).header("Location"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, stored());
    // The other form's row is untouched.
    auto other = open_sqlite_store(config_)->find(taken);
    CPPUNIT_ASSERT(other.has_value());
    CPPUNIT_ASSERT(other->sealed.fields == test::make_record(taken, 7).sealed.fields);
  }

  void InvalidPostReshowsEscaped() {
    const std::string tok = token();
    std::string body = "token=" + percent_encode(tok) +
                       "&name=" + percent_encode("<script>alert(1)</script>") +
                       "&email=not-an-email&category=general&message=Hi&age_confirm=yes";
    Response r = post(body);
    CPPUNIT_ASSERT_EQUAL(422, r.status);
    CPPUNIT_ASSERT(r.body.find("<script>alert") == std::string::npos);
    CPPUNIT_ASSERT(r.body.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    CPPUNIT_ASSERT(r.body.find("aria-invalid=\"true\" aria-describedby=\"email-error\"") !=
                   std::string::npos);
    CPPUNIT_ASSERT(r.body.find("href=\"#email\"") != std::string::npos);
    CPPUNIT_ASSERT(r.body.find("value=\"not-an-email\"") != std::string::npos);
    CPPUNIT_ASSERT(!extract_token(r.body).empty());
    CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, stored());
    // The summary follows the form's order (the message comes before the
    // category there), names a checkbox shortly, and uses the language's
    // separator.
    Response more = post("token=" + percent_encode(token()) + "&name=A&email=a%40example.com");
    CPPUNIT_ASSERT_EQUAL(422, more.status);
    const std::size_t message = more.body.find("<li><a href=\"#message\">Message: ");
    const std::size_t category = more.body.find("<li><a href=\"#category\">");
    const std::size_t age = more.body.find("<li><a href=\"#age_confirm\">Age confirmation: ");
    CPPUNIT_ASSERT(message != std::string::npos && category != std::string::npos &&
                   age != std::string::npos);
    CPPUNIT_ASSERT(message < category && category < age);
  }

  void InvalidPostJson() {
    std::string body = "token=" + percent_encode(token()) + "&name=&email=x&category=nope";
    Response r = post(body, "https://www.example.com", "application/json");
    CPPUNIT_ASSERT_EQUAL(422, r.status);
    nlohmann::json json = nlohmann::json::parse(r.body);
    CPPUNIT_ASSERT_EQUAL(std::string("required"), json["errors"]["name"].get<std::string>());
    CPPUNIT_ASSERT_EQUAL(std::string("invalid_email"), json["errors"]["email"].get<std::string>());
    CPPUNIT_ASSERT_EQUAL(std::string("invalid_choice"),
                         json["errors"]["category"].get<std::string>());
    CPPUNIT_ASSERT_EQUAL(std::string("required"), json["errors"]["message"].get<std::string>());
    CPPUNIT_ASSERT_EQUAL(std::string("required"), json["errors"]["age_confirm"].get<std::string>());
  }

  void TokenRefusals() {
    // Missing.
    Response missing = post("name=Ada&email=a%40b.c&category=general&message=x&age_confirm=yes");
    CPPUNIT_ASSERT_EQUAL(403, missing.status);
    CPPUNIT_ASSERT(missing.body.find("value=\"Ada\"") != std::string::npos);
    CPPUNIT_ASSERT(!extract_token(missing.body).empty());
    // Forged.
    CPPUNIT_ASSERT_EQUAL(403,
                         post(valid_body("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).status);
    // Too fast.
    std::string fresh = extract_token(get("/en-us/enquiry").body);
    CPPUNIT_ASSERT_EQUAL(403, post(valid_body(fresh)).status);
    // Expired.
    g_now += config_.token_lifetime_seconds + 1;
    CPPUNIT_ASSERT_EQUAL(403, post(valid_body(fresh)).status);
    // Twice in one body.
    std::string tok = token();
    CPPUNIT_ASSERT_EQUAL(403, post(valid_body(tok) + "&token=" + percent_encode(tok)).status);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, stored());
  }

  void OriginChecks() {
    CPPUNIT_ASSERT_EQUAL(403, post(valid_body(token()), "https://evil.example").status);
    CPPUNIT_ASSERT_EQUAL(403,
                         post(valid_body(token()), "https://www.example.com.evil.example").status);
    CPPUNIT_ASSERT_EQUAL(403, post(valid_body(token()), "null").status);
    CPPUNIT_ASSERT_EQUAL(303, post(valid_body(token()), "").status);  // neither header: allowed
    CPPUNIT_ASSERT(same_origin("https://www.example.com", "https://www.example.com/en-us/enquiry"));
    CPPUNIT_ASSERT(!same_origin("https://www.example.com", "https://www.example.com:8443/"));
    CPPUNIT_ASSERT(!same_origin("https://www.example.com", "http://www.example.com"));
  }

  void HoneypotLooksLikeSuccess() {
    const std::string tok = token();
    const std::string form = valid_body(tok) + "&website=http%3A%2F%2Fspam.example";
    Response r = post(form);
    CPPUNIT_ASSERT_EQUAL(303, r.status);
    CPPUNIT_ASSERT_EQUAL("/en-us/enquiry/thanks?ref=" + derived_reference(tok),
                         r.header("Location"));
    // Posted again, it gets the same answer, as a stored form's replay does.
    CPPUNIT_ASSERT_EQUAL(r.header("Location"), post(form).header("Location"));
    Response json = post(form, "https://www.example.com", "application/json");
    CPPUNIT_ASSERT_EQUAL(201, json.status);
    CPPUNIT_ASSERT_EQUAL(derived_reference(tok),
                         nlohmann::json::parse(json.body)["reference"].get<std::string>());
    CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, stored());
  }

  void ContentLengthAndTypeChecks() {
    Request r;
    r.method = "POST";
    r.path = "/en-us/enquiry";
    r.content_type = "application/x-www-form-urlencoded";
    const char* bad_lengths[] = {"",    "-1",  "abc",  "1e3",
                                 " 10", "10 ", "0x10", "99999999999999999999999"};
    for (const char* length : bad_lengths) {
      r.content_length = length;
      StringBody body("name=x");
      CPPUNIT_ASSERT_EQUAL_MESSAGE(length, 400, app_->handle(r, body).status);
    }
    r.content_length = "6";
    r.content_type = "multipart/form-data; boundary=x";
    StringBody body("name=x");
    CPPUNIT_ASSERT_EQUAL(415, app_->handle(r, body).status);
    r.content_type = "application/x-www-form-urlencoded; charset=UTF-8";
    r.content_length = "100";  // more than arrives
    StringBody short_body("name=x");
    CPPUNIT_ASSERT_EQUAL(400, app_->handle(r, short_body).status);
    std::string many;
    for (int i = 0; i < 10000; ++i) many += "f" + std::to_string(i) + "=1&";
    CPPUNIT_ASSERT_EQUAL(400, post(many).status);
    CPPUNIT_ASSERT_EQUAL(400, post("name=%zz").status);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, stored());
  }

  void OversizedBodyIsNotRead() {
    Request r;
    r.method = "POST";
    r.path = "/en-us/enquiry";
    r.content_type = "application/x-www-form-urlencoded";
    r.content_length = std::to_string(1024 * 1024);
    CountingBody body(std::string(1024 * 1024, 'a'));
    CPPUNIT_ASSERT_EQUAL(413, app_->handle(r, body).status);
    CPPUNIT_ASSERT_EQUAL(0, body.reads);
  }

  void InternalErrorIsAPageInTheVisitorsLanguage() {
    Request r;
    r.method = "POST";
    r.path = "/zh-tw/enquiry";
    r.content_type = "application/x-www-form-urlencoded";
    r.content_length = "10";
    FailingBody body;
    Response page = app_->handle(r, body);
    CPPUNIT_ASSERT_EQUAL(500, page.status);
    CPPUNIT_ASSERT(page.header("Content-Type").find("text/html") == 0);
    CPPUNIT_ASSERT(page.body.find("lang=\"zh-Hant\"") != std::string::npos);
    CPPUNIT_ASSERT(page.body.find("Internal error") == std::string::npos);
    CPPUNIT_ASSERT(page.header("Content-Security-Policy").find("default-src 'self'") == 0);
    CPPUNIT_ASSERT_EQUAL(std::string("no-store"), page.header("Cache-Control"));
    r.headers["accept"] = "application/json";
    FailingBody again;
    Response json = app_->handle(r, again);
    CPPUNIT_ASSERT_EQUAL(500, json.status);
    CPPUNIT_ASSERT(json.header("Content-Type").find("application/json") == 0);
    CPPUNIT_ASSERT(nlohmann::json::parse(json.body).contains("error"));
  }

  // Error pages are cached per thread; one answered at a thanks address
  // links to the same page in the other languages, with its reference.
  // A query the consent form cannot return to ('%') used to leave the two
  // pages below one cache entry, so the second showed the first's reference.
  void CachedErrorPagesKeepTheirOwnReference() {
    auto refused_at = [this](const std::string& reference) {
      Request r;
      r.method = "PUT";
      r.path = "/en-us/enquiry/thanks";
      r.query = "ref=" + reference + "&x=%25";
      StringBody empty("");
      return app_->handle(r, empty);
    };
    const Response first = refused_at("ENQ-11111-22222");
    const Response second = refused_at("ENQ-33333-44444");
    CPPUNIT_ASSERT_EQUAL(405, first.status);
    CPPUNIT_ASSERT_EQUAL(405, second.status);
    CPPUNIT_ASSERT(first.body.find("ref=ENQ-11111-22222") != std::string::npos);
    CPPUNIT_ASSERT(second.body.find("ref=ENQ-33333-44444") != std::string::npos);
    CPPUNIT_ASSERT(second.body.find("ENQ-11111-22222") == std::string::npos);
  }

  void RateLimit() {
    std::vector<std::pair<std::string, std::string>> stored_forms;  // body, Location
    for (int i = 0; i < 3; ++i) {
      const std::string form = valid_body(token());
      Response r = post(form);
      CPPUNIT_ASSERT_EQUAL(303, r.status);
      stored_forms.emplace_back(form, r.header("Location"));
    }
    Response limited = post(valid_body(token()));
    CPPUNIT_ASSERT_EQUAL(429, limited.status);
    CPPUNIT_ASSERT(std::stoi(limited.header("Retry-After")) > 0);
    // Refused once by the writer, the client is now answered without
    // anything sealed or queued: 429 for a new form or a bad token...
    CPPUNIT_ASSERT_EQUAL(429, post(valid_body(token())).status);
    CPPUNIT_ASSERT_EQUAL(429, post("token=junk").status);
    // ...but a form stored before still gets its own answer (a double
    // click, a browser retry): a replay is not a new submission.
    for (const auto& [form, location] : stored_forms) {
      Response again = post(form);
      CPPUNIT_ASSERT_EQUAL(303, again.status);
      CPPUNIT_ASSERT_EQUAL(location, again.header("Location"));
    }
    // Another client is not limited; a client in the same IPv6 /64 would be.
    CPPUNIT_ASSERT_EQUAL(
        303, post(valid_body(token()), "https://www.example.com", "", "192.0.2.2").status);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{4}, stored());
  }

  void MethodNotAllowed() {
    Request r;
    r.method = "PUT";
    r.path = "/en-us/enquiry";
    StringBody body("");
    Response response = app_->handle(r, body);
    CPPUNIT_ASSERT_EQUAL(405, response.status);
    CPPUNIT_ASSERT_EQUAL(std::string("GET, HEAD, POST"), response.header("Allow"));
    r.path = "/";
    r.method = "DELETE";
    CPPUNIT_ASSERT_EQUAL(405, app_->handle(r, body).status);
  }

  void HealthAndThanks() {
    Response health = get("/healthz");
    CPPUNIT_ASSERT_EQUAL(200, health.status);
    CPPUNIT_ASSERT_EQUAL(std::string("ok\n"), health.body);
    Response thanks = get("/zh-cn/enquiry/thanks?ref=ENQ-7K3QD-M9XA2");
    CPPUNIT_ASSERT_EQUAL(200, thanks.status);
    CPPUNIT_ASSERT(thanks.body.find("ENQ-7K3QD-M9XA2") != std::string::npos);
    Response hostile = get("/en-us/enquiry/thanks?ref=%3Cscript%3E");
    CPPUNIT_ASSERT_EQUAL(200, hostile.status);
    // The bad reference is not reflected at all (the page's only script is consent.js).
    CPPUNIT_ASSERT(hostile.body.find("&lt;script") == std::string::npos);
    CPPUNIT_ASSERT(hostile.body.find("<script>") == std::string::npos);
    // The same page in another language keeps the (checked) reference.
    CPPUNIT_ASSERT(thanks.body.find("href=\"/zh-tw/enquiry/thanks?ref=ENQ-7K3QD-M9XA2\"") !=
                   std::string::npos);
    CPPUNIT_ASSERT(hostile.body.find("href=\"/zh-tw/enquiry/thanks\"") != std::string::npos);
  }

  void NoStateCrossesRequests() {
    const std::string distinctive = "Quirinus Zzyzx-Marker";
    CPPUNIT_ASSERT_EQUAL(303, post(valid_body(token(), distinctive)).status);
    Response b = post("token=" + percent_encode(token()) + "&email=bad");
    CPPUNIT_ASSERT_EQUAL(422, b.status);
    CPPUNIT_ASSERT(b.body.find("Zzyzx") == std::string::npos);
    CPPUNIT_ASSERT(b.body.find("Analytical") == std::string::npos);
    for (const auto& header : b.headers) {
      CPPUNIT_ASSERT(header.second.find("Zzyzx") == std::string::npos);
    }
  }

  // Fresh forms come from a per-thread cache of rendered pages: each copy
  // must carry its own valid token and no slot marker.
  void CachedFreshFormsGetFreshTokens() {
    const std::string first = get("/en-us/enquiry").body;
    const std::string second = get("/en-us/enquiry").body;
    CPPUNIT_ASSERT(first.find('\x01') == std::string::npos);
    CPPUNIT_ASSERT(second.find('\x01') == std::string::npos);
    const std::string token_a = extract_token(first);
    const std::string token_b = extract_token(second);
    CPPUNIT_ASSERT(!token_a.empty() && !token_b.empty());
    CPPUNIT_ASSERT(token_a != token_b);
    g_now += 10;
    CPPUNIT_ASSERT_EQUAL(303, post(valid_body(token_a)).status);
    CPPUNIT_ASSERT_EQUAL(303, post(valid_body(token_b)).status);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, stored());
    // Another locale is another page, with that locale's token.
    const std::string chinese = get("/zh-tw/enquiry").body;
    CPPUNIT_ASSERT(chinese.find("lang=\"zh-Hant\"") != std::string::npos);
    CPPUNIT_ASSERT(extract_token(chinese) != token_b);
  }

  // A re-shown form keeps a token that verified: the visitor who corrects
  // a 422 at once is not refused as too fast, and the same form sent again
  // is still one submission. A token that did not verify is replaced.
  void ReshownFormKeepsAGenuineToken() {
    const std::string tok = token();
    Response invalid = post("token=" + percent_encode(tok) +
                            "&name=A&email=a%40example.com&category=general&message=Hi");
    CPPUNIT_ASSERT_EQUAL(422, invalid.status);
    CPPUNIT_ASSERT_EQUAL(tok, extract_token(invalid.body));
    CPPUNIT_ASSERT_EQUAL(303, post(valid_body(tok)).status);  // at once, no clock change
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, stored());
    const std::string other = token();
    Response foreign = post(valid_body(other), "https://evil.example");
    CPPUNIT_ASSERT_EQUAL(403, foreign.status);
    CPPUNIT_ASSERT_EQUAL(other, extract_token(foreign.body));
    const std::string forged = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    Response refused = post(valid_body(forged));
    CPPUNIT_ASSERT_EQUAL(403, refused.status);
    CPPUNIT_ASSERT(extract_token(refused.body) != forged && !extract_token(refused.body).empty());
  }

  void BadConfigFailsFast() {
    Config broken = config_;
    broken.key_directory = dir_->file("no-such-keys");
    CPPUNIT_ASSERT_THROW(make_application(broken, WriterMode::kDirect, &test_clock), Error);
    broken = config_;
    broken.data_directory = dir_->file("no-such-www");
    CPPUNIT_ASSERT_THROW(make_application(broken, WriterMode::kDirect, &test_clock), Error);
    // A category without a label in every catalog would show its bare key.
    broken = config_;
    broken.categories.push_back("sales");
    try {
      make_application(broken, WriterMode::kDirect, &test_clock);
      CPPUNIT_FAIL("a category without labels was accepted");
    } catch (const Error& e) {
      CPPUNIT_ASSERT_MESSAGE(
          e.what(), std::string(e.what()).find("'sales' has no label in") != std::string::npos);
      CPPUNIT_ASSERT_MESSAGE(e.what(),
                             std::string(e.what()).find("category_sales") != std::string::npos);
    }
  }

 private:
  std::unique_ptr<test::TempDir> dir_;
  Config config_;
  std::unique_ptr<Application> app_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(AppTest);

}  // namespace sealform::web
