// Tests for the configuration reader: defaults, every kind of refusal, and
// that each message names the file, the line and the key.
#include "core/config.h"

#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "test_util.h"

namespace sealform {
namespace {

const char kMinimal[] =
    "[site]\n"
    "organisation = Example Ltd\n"
    "origin = https://www.example.com\n"
    "contact_email = privacy@example.com\n"
    "data_location = Frankfurt, Germany (EU)\n"
    "policy_version = 2026-11\n"
    "policy_date = 2026-11-29\n"
    "\n"
    "[storage]\n"
    "database = /var/lib/sealform/enquiries.db\n"
    "hold_database = /var/lib/sealform/holds.db\n"
    "\n"
    "[keys]\n"
    "directory = /etc/sealform/keys\n"
    "\n"
    "[form]\n"
    "categories = general, media, investor\n";

// The message ConfigError gives for `text`, or "" if it parses.
std::string error_for(const std::string& text) {
  try {
    parse_config(text, "test.conf");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

class ConfigTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ConfigTest);
  CPPUNIT_TEST(MinimalFileGetsDocumentedDefaults);
  CPPUNIT_TEST(EveryKeyCanBeSet);
  CPPUNIT_TEST(UnknownKeyNamesFileLineAndKey);
  CPPUNIT_TEST(UnknownSectionIsRefused);
  CPPUNIT_TEST(MissingRequiredKey);
  CPPUNIT_TEST(BadValues);
  CPPUNIT_TEST(TextsPerLocale);
  CPPUNIT_TEST(DuplicateKey);
  CPPUNIT_TEST(SyntaxErrorLine);
  CPPUNIT_TEST(LongLineRefused);
  CPPUNIT_TEST(CommentsAndCrlf);
  CPPUNIT_TEST(LoadFromFileAndMissingFile);
  CPPUNIT_TEST(ExampleConfigParses);
  CPPUNIT_TEST(ConfigPathResolution);
  CPPUNIT_TEST_SUITE_END();

 public:
  void MinimalFileGetsDocumentedDefaults() {
    Config c = parse_config(kMinimal, "test.conf");
    CPPUNIT_ASSERT_EQUAL(std::string("Example Ltd"), c.organisation);
    CPPUNIT_ASSERT_EQUAL(std::string("en-us"), c.default_locale);
    CPPUNIT_ASSERT_EQUAL(std::string("/"), c.base_path);
    CPPUNIT_ASSERT(c.synchronous == Synchronous::kFull);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{98304}, c.max_body_bytes);
    CPPUNIT_ASSERT_EQUAL(180, c.retention_days);
    CPPUNIT_ASSERT_EQUAL(180, c.consent_lifetime_days);
    CPPUNIT_ASSERT_EQUAL(std::string("website"), c.honeypot_field);
    CPPUNIT_ASSERT_EQUAL(std::size_t{3}, c.categories.size());
    CPPUNIT_ASSERT_EQUAL(std::string("media"), c.categories[1]);
    CPPUNIT_ASSERT(c.analytics_script_url.empty());
    CPPUNIT_ASSERT(c.analytics_origin().empty());
  }

  void EveryKeyCanBeSet() {
    std::string text =
        std::string(kMinimal) +
        "max_body_bytes = 65536\nmin_fill_seconds = 5\n"
        "token_lifetime_seconds = 3600\nhoneypot_field = homepage\n"
        "[rate_limit]\nper_client = 5\nper_client_window_seconds = 60\n"
        "global = 100\nglobal_window_seconds = 10\n"
        "[retention]\ndays_after_resolution = 30\nunresolved_warning_days = 60\n"
        "audit_days = 365\nconsent_record_days = 200\n"
        "[cookies]\nconsent_lifetime_days = 90\n"
        "analytics_script_url = https://stats.example.net/a.js\n"
        "analytics_cookies = _sa | visit counting | 1 year, _sb | session | 30 minutes\n"
        "[notify]\ncommand = /usr/local/bin/notify-new-enquiry\n"
        "[site]\ndefault_locale = zh-tw\nbase_path = /contact/\n"
        "[storage]\nsynchronous = normal\nbusy_timeout_ms = 250\n"
        "[web]\nstop_grace_seconds = 5\n";
    Config c = parse_config(text, "test.conf");
    CPPUNIT_ASSERT_EQUAL(std::int64_t{65536}, c.max_body_bytes);
    CPPUNIT_ASSERT_EQUAL(5, c.min_fill_seconds);
    CPPUNIT_ASSERT_EQUAL(3600, c.token_lifetime_seconds);
    CPPUNIT_ASSERT_EQUAL(std::string("homepage"), c.honeypot_field);
    CPPUNIT_ASSERT_EQUAL(5, c.per_client_limit);
    CPPUNIT_ASSERT_EQUAL(60, c.per_client_window_seconds);
    CPPUNIT_ASSERT_EQUAL(100, c.global_limit);
    CPPUNIT_ASSERT_EQUAL(10, c.global_window_seconds);
    CPPUNIT_ASSERT_EQUAL(30, c.retention_days);
    CPPUNIT_ASSERT_EQUAL(60, c.unresolved_warning_days);
    CPPUNIT_ASSERT_EQUAL(365, c.audit_retention_days);
    CPPUNIT_ASSERT_EQUAL(200, c.consent_record_days);
    CPPUNIT_ASSERT_EQUAL(90, c.consent_lifetime_days);
    CPPUNIT_ASSERT_EQUAL(std::string("https://stats.example.net"), c.analytics_origin());
    CPPUNIT_ASSERT_EQUAL(std::size_t{2}, c.analytics_cookies.size());
    CPPUNIT_ASSERT_EQUAL(std::string("_sb"), c.analytics_cookies[1].name);
    CPPUNIT_ASSERT_EQUAL(std::string("30 minutes"), c.analytics_cookies[1].lifetime);
    CPPUNIT_ASSERT_EQUAL(std::string("/usr/local/bin/notify-new-enquiry"), c.notify_command);
    CPPUNIT_ASSERT_EQUAL(std::string("zh-tw"), c.default_locale);
    CPPUNIT_ASSERT_EQUAL(std::string("/contact/"), c.base_path);
    CPPUNIT_ASSERT(c.synchronous == Synchronous::kNormal);
    CPPUNIT_ASSERT_EQUAL(250, c.busy_timeout_ms);
    CPPUNIT_ASSERT_EQUAL(5, c.stop_grace_seconds);
  }

  void UnknownKeyNamesFileLineAndKey() {
    std::string text = std::string(kMinimal) + "max_body_byte = 100\n";
    // kMinimal has 17 lines; the typo is on line 18.
    CPPUNIT_ASSERT_EQUAL(std::string("test.conf:18: form.max_body_byte: unknown key"),
                         error_for(text));
  }

  void UnknownSectionIsRefused() {
    std::string msg = error_for(std::string(kMinimal) + "[extra]\nkey = 1\n");
    CPPUNIT_ASSERT_EQUAL(std::string("test.conf:19: extra.key: unknown key"), msg);
  }

  void MissingRequiredKey() {
    std::string text = kMinimal;
    text.replace(text.find("contact_email"), std::string("contact_email").size(), "; contact_mail");
    std::string msg = error_for(text);
    CPPUNIT_ASSERT_MESSAGE(msg, msg.rfind("test.conf:", 0) == 0);
    CPPUNIT_ASSERT_MESSAGE(msg, msg.find("site.contact_email: missing") != std::string::npos);
  }

  void TextsPerLocale() {
    const Config c = parse_config(std::string(kMinimal) +
                                      "[site]\n"
                                      "organisation.zh-cn = 示例有限公司\n"
                                      "data_location.zh-tw = 德國法蘭克福\n"
                                      "data_location.en-us = Frankfurt am Main, Germany\n"
                                      "[cookies]\n"
                                      "analytics_cookies = _sa | visits | 1 year, _sb | session | 1 hour\n"
                                      "analytics_cookies.zh-cn = _sa | 访问 | 1 年, _sb | 会话 | 1 小时\n",
                                  "test.conf");
    CPPUNIT_ASSERT_EQUAL(std::string("示例有限公司"), c.organisation_in("zh-cn"));
    CPPUNIT_ASSERT_EQUAL(std::string("Example Ltd"), c.organisation_in("zh-tw"));
    CPPUNIT_ASSERT_EQUAL(std::string("Example Ltd"), c.organisation_in("en-us"));
    CPPUNIT_ASSERT_EQUAL(std::string("德國法蘭克福"), c.data_location_in("zh-tw"));
    CPPUNIT_ASSERT_EQUAL(std::string("Frankfurt am Main, Germany"), c.data_location_in("en-us"));
    CPPUNIT_ASSERT_EQUAL(std::string("Frankfurt, Germany (EU)"), c.data_location_in("zh-cn"));
    CPPUNIT_ASSERT_EQUAL(std::string("会话"), c.analytics_cookies_in("zh-cn")[1].purpose);
    CPPUNIT_ASSERT_EQUAL(std::string("session"), c.analytics_cookies_in("zh-tw")[1].purpose);
    // The unsuffixed keys stay what they were.
    CPPUNIT_ASSERT_EQUAL(std::string("Example Ltd"), c.organisation);
    CPPUNIT_ASSERT_EQUAL(std::string("visits"), c.analytics_cookies[0].purpose);

    struct Case {
      const char* lines;
      const char* want;
    } cases[] = {
        {"[site]\norganisation.fr-fr = Exemple SA\n",
         "test.conf:19: site.organisation.fr-fr: unknown key"},
        {"[site]\ndata_location.zh-cn =\n", "test.conf:19: site.data_location.zh-cn: must not be empty"},
        {"[site]\norganisation.zh-cn = A\norganisation.zh-cn = B\n",
         "test.conf:20: site.organisation.zh-cn: given twice (first on line 19)"},
        {"[cookies]\nanalytics_cookies = _sa | visits | 1 year\n"
         "analytics_cookies.zh-tw = _sb | 會話 | 1 小時\n",
         "test.conf:20: cookies.analytics_cookies.zh-tw: must list the same cookies in the same "
         "order as cookies.analytics_cookies (_sa)"},
        {"[cookies]\nanalytics_cookies.zh-tw = _sb | 會話 | 1 小時\n",
         "test.conf:19: cookies.analytics_cookies.zh-tw: must list the same cookies in the same "
         "order as cookies.analytics_cookies (none)"},
        {"[cookies]\nanalytics_cookies.zh-tw = _sb only\n",
         "test.conf:19: cookies.analytics_cookies.zh-tw: must be a comma-separated list"},
    };
    for (const Case& c2 : cases) {
      const std::string msg = error_for(std::string(kMinimal) + c2.lines);
      CPPUNIT_ASSERT_MESSAGE(msg, msg.rfind(c2.want, 0) == 0);
    }
  }

  void BadValues() {
    struct Case {
      const char* line;
      const char* key;
    } cases[] = {
        {"[form]\nmax_body_bytes = lots\n", "form.max_body_bytes"},
        {"[form]\nmax_body_bytes = -1\n", "form.max_body_bytes"},
        {"[form]\nmax_body_bytes = 99999999999999999999\n", "form.max_body_bytes"},
        {"[form]\nmin_fill_seconds = 1.5\n", "form.min_fill_seconds"},
        {"[form]\nhoneypot_field = email\n", "form.honeypot_field"},
        {"[form]\nhoneypot_field = we bsite\n", "form.honeypot_field"},
        {"[storage]\nsynchronous = sometimes\n", "storage.synchronous"},
        {"[site]\ndefault_locale = fr-fr\n", "site.default_locale"},
        {"[site]\nbase_path = contact\n", "site.base_path"},
        {"[site]\nbase_path = //evil/\n", "site.base_path"},
        {"[site]\nbase_path = /forms;Domain=example.net/\n", "site.base_path"},
        {"[site]\nbase_path = /a/../\n", "site.base_path"},
        {"[site]\nbase_path = /f\xc3\xbcr/\n", "site.base_path"},
        {"[retention]\ndays_after_resolution = \n", "retention.days_after_resolution"},
        {"[cookies]\nanalytics_script_url = javascript:alert(1)\n", "cookies.analytics_script_url"},
        {"[cookies]\nanalytics_cookies = _ga only\n", "cookies.analytics_cookies"},
        {"[cookies]\nanalytics_cookies = _ga | visits | 1 year,\n", "cookies.analytics_cookies"},
        {"[cookies]\nanalytics_cookies = _ga | visits | 1 year |\n", "cookies.analytics_cookies"},
        {"[cookies]\nconsent_lifetime_days = 1000\n", "cookies.consent_lifetime_days"},
        {"[web]\nstop_grace_seconds = 0\n", "web.stop_grace_seconds"},
        {"[retention]\nconsent_record_days = 100\n", "retention.consent_record_days"},
        {"[web]\nstop_grace_seconds = 3601\n", "web.stop_grace_seconds"},
    };
    for (const Case& c : cases) {
      std::string text = std::string(kMinimal) + c.line;
      std::string msg = error_for(text);
      std::string want = std::string("test.conf:19: ") + c.key + ": ";
      CPPUNIT_ASSERT_MESSAGE(std::string(c.key) + " -> " + msg, msg.rfind(want, 0) == 0);
    }
    // Keys given in kMinimal itself, with bad values.
    const auto with = [](const char* from, std::size_t length, const char* to) {
      std::string text = kMinimal;
      text.replace(text.find(from), length, to);
      return text;
    };
    for (const char* origin :
         {"https://www.example.com/path", "https://:", "http://[", "https://[::1", "https://[::1]x",
          "https://[::g]", "https://example.com:", "https://example.com:0",
          "https://example.com:65536", "https://example.com:8o", "https://-example.com",
          "https://example..com", "https://.example.com", "https://Example.com", "https://a:b:c",
          "https://[::1]:"}) {
      CPPUNIT_ASSERT_MESSAGE(origin, error_for(with("https://www.example.com", 23, origin))
                                             .rfind("test.conf:3: site.origin: ", 0) == 0);
    }
    for (const char* origin :
         {"http://127.0.0.1:8080", "https://[::1]", "https://[2001:db8::1]:443",
          "https://contact.example.co.uk", "http://localhost:1"}) {
      CPPUNIT_ASSERT_MESSAGE(
          origin,
          parse_config(with("https://www.example.com", 23, origin), "test.conf").origin == origin);
    }
    for (const char* date : {"29/11/2026", "2026-02-31", "2026-02-29", "2026-04-31", "2026-13-01",
                             "2026-00-10", "2026-01-00"}) {
      CPPUNIT_ASSERT_MESSAGE(
          date,
          error_for(with("2026-11-29", 10, date)).rfind("test.conf:7: site.policy_date: ", 0) == 0);
    }
    CPPUNIT_ASSERT_EQUAL(
        std::string("2028-02-29"),
        parse_config(with("2026-11-29", 10, "2028-02-29"), "test.conf").policy_date);
    // Lists: no empty item, at the end or anywhere, and not an empty list.
    for (const char* list : {"general, media,", "general,, media", ",general", "", " "}) {
      CPPUNIT_ASSERT_MESSAGE(list, error_for(with("general, media, investor", 24, list))
                                           .rfind("test.conf:17: form.categories: ", 0) == 0);
    }
    std::string bad_category = kMinimal;
    bad_category.replace(bad_category.find("general, media"), 14, "General, media");
    CPPUNIT_ASSERT(error_for(bad_category).rfind("test.conf:17: form.categories: ", 0) == 0);
    std::string twice = kMinimal;
    twice.replace(twice.find("general, media"), 14, "media, media");
    CPPUNIT_ASSERT(error_for(twice).rfind("test.conf:17: form.categories: ", 0) == 0);
    std::string same_db = kMinimal;
    same_db.replace(same_db.find("holds.db"), 8, "enquiries.db");
    CPPUNIT_ASSERT(error_for(same_db).find("storage.hold_database") != std::string::npos);
  }

  void DuplicateKey() {
    std::string msg = error_for(std::string(kMinimal) + "categories = a\n");
    CPPUNIT_ASSERT_EQUAL(
        std::string("test.conf:18: form.categories: given twice (first on line 17)"), msg);
  }

  void SyntaxErrorLine() {
    std::string msg = error_for(std::string(kMinimal) + "this line has no equals sign\n");
    CPPUNIT_ASSERT_MESSAGE(msg, msg.rfind("test.conf:18: ", 0) == 0);
  }

  void LongLineRefused() {
    std::string msg =
        error_for(std::string(kMinimal) + "[notify]\ncommand = /" + std::string(300, 'x') + "\n");
    CPPUNIT_ASSERT_MESSAGE(msg, msg.rfind("test.conf:19: line too long", 0) == 0);
  }

  void CommentsAndCrlf() {
    std::string text = "; a comment\r\n# another\r\n" + std::string(kMinimal);
    std::string crlf;
    for (char c : text) {
      if (c == '\n' && (crlf.empty() || crlf.back() != '\r')) crlf += '\r';
      crlf += c;
    }
    crlf += "[form]\r\n  min_fill_seconds = 4 ; inline comment\r\n";
    Config c = parse_config(crlf, "crlf.conf");
    CPPUNIT_ASSERT_EQUAL(std::string("https://www.example.com"), c.origin);
    CPPUNIT_ASSERT_EQUAL(4, c.min_fill_seconds);
  }

  void LoadFromFileAndMissingFile() {
    test::TempDir dir;
    test::write_file(dir.file("s.conf"), kMinimal, 0640);
    Config c = load_config(dir.file("s.conf"));
    CPPUNIT_ASSERT_EQUAL(dir.file("s.conf"), c.source_path);
    try {
      load_config(dir.file("absent.conf"));
      CPPUNIT_FAIL("a missing file must be an error");
    } catch (const ConfigError& e) {
      CPPUNIT_ASSERT(std::string(e.what()).find("absent.conf") != std::string::npos);
    }
  }

  void ExampleConfigParses() {
    // The documented example must always be a valid configuration.
    Config c = load_config(std::string(SOURCEDIR) + "/etc/sealform.conf.example");
    CPPUNIT_ASSERT(!c.categories.empty());
    CPPUNIT_ASSERT_EQUAL(180, c.retention_days);
  }

  void ConfigPathResolution() {
    CPPUNIT_ASSERT_EQUAL(std::string("/x.conf"), resolve_config_path("/x.conf"));
    setenv("SEALFORM_CONFIG", "/from/env.conf", 1);
    CPPUNIT_ASSERT_EQUAL(std::string("/from/env.conf"), resolve_config_path(""));
    CPPUNIT_ASSERT_EQUAL(std::string("/x.conf"), resolve_config_path("/x.conf"));
    unsetenv("SEALFORM_CONFIG");
    CPPUNIT_ASSERT(resolve_config_path("").find("sealform/sealform.conf") != std::string::npos);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConfigTest);

}  // namespace sealform
