// Tests that the three message catalogs are complete: every key present and
// non-empty in every locale, every {{t.key}} a template uses defined, every
// key the code builds (validation error codes, field and category labels,
// status pages, cookie purposes) defined, and placeholders the same in
// every language.
#include <cppunit/extensions/HelperMacros.h>

#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "core/fields.h"
#include "test_util.h"
#include "web/cookie_registry.h"
#include "web/locale.h"
#include "web/pages.h"

namespace sealform::web {
namespace {

const std::string kWww = std::string(SOURCEDIR) + "/www";

// The error codes validate.h documents.
const std::vector<std::string> kErrorCodes = {"required",           "too_long",
                                              "invalid_encoding",   "control_characters",
                                              "invalid_email",      "invalid_choice",
                                              "duplicate_field"};

// The statuses the web tier answers with an error page.
const std::vector<int> kErrorStatuses = {400, 403, 404, 405, 413, 415, 429, 500, 503};

std::set<std::string> placeholders(const std::string& text) {
  std::set<std::string> names;
  static const std::regex pattern("\\{([a-z_]+)\\}");
  for (std::sregex_iterator it(text.begin(), text.end(), pattern), end; it != end; ++it) {
    names.insert((*it)[1]);
  }
  return names;
}

// The default categories: the ones etc/sealform.conf.example ships.
std::vector<std::string> example_categories() {
  const std::string text = test::read_file(std::string(SOURCEDIR) + "/etc/sealform.conf.example");
  std::smatch match;
  std::vector<std::string> keys;
  if (!std::regex_search(text, match, std::regex("\\ncategories *= *([^\\n]*)"))) return keys;
  std::string list = match[1];
  static const std::regex key("[a-z0-9_-]+");
  for (std::sregex_iterator it(list.begin(), list.end(), key), end; it != end; ++it) {
    keys.push_back(it->str());
  }
  return keys;
}

}  // namespace

class CatalogTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(CatalogTest);
  CPPUNIT_TEST(EveryLocaleHasEveryKey);
  CPPUNIT_TEST(TemplatesUseOnlyKnownKeys);
  CPPUNIT_TEST(CodeKeysExist);
  CPPUNIT_TEST(PlaceholdersMatchEnglish);
  CPPUNIT_TEST(FormatFillsPlaceholders);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override { pages_ = Pages::load(kWww); }

  void EveryLocaleHasEveryKey() {
    std::set<std::string> all;
    for (std::string_view locale : kLocales) {
      CPPUNIT_ASSERT_MESSAGE(std::string(locale),
                             std::filesystem::exists(kWww + "/messages/" + std::string(locale) +
                                                     ".json"));
      for (const auto& entry : pages_->catalog(locale).entries()) all.insert(entry.first);
    }
    CPPUNIT_ASSERT(all.size() > 100);
    for (std::string_view locale : kLocales) {
      const Catalog& catalog = pages_->catalog(locale);
      for (const std::string& key : all) {
        const std::string where = std::string(locale) + ": " + key;
        CPPUNIT_ASSERT_MESSAGE(where + " missing", catalog.has(key));
        CPPUNIT_ASSERT_MESSAGE(where + " empty", !catalog.text(key).empty());
      }
    }
    // The Chinese catalogs are translations, not copies of the English.
    CPPUNIT_ASSERT(pages_->catalog("zh-cn").text("privacy_intro") !=
                   pages_->catalog("en-us").text("privacy_intro"));
    CPPUNIT_ASSERT(pages_->catalog("zh-tw").text("privacy_intro") !=
                   pages_->catalog("zh-cn").text("privacy_intro"));
  }

  void TemplatesUseOnlyKnownKeys() {
    static const std::regex use("\\{\\{\\{?\\s*t\\.([A-Za-z0-9_]+)");
    int uses = 0;
    for (const auto& [name, source] : pages_->template_sources()) {
      for (std::sregex_iterator it(source.begin(), source.end(), use), end; it != end; ++it) {
        ++uses;
        const std::string key = (*it)[1];
        for (std::string_view locale : kLocales) {
          CPPUNIT_ASSERT_MESSAGE(name + ".mustache uses t." + key + ", missing in " +
                                     std::string(locale),
                                 pages_->catalog(locale).has(key));
        }
      }
    }
    CPPUNIT_ASSERT(uses > 50);
  }

  void CodeKeysExist() {
    std::vector<std::string> keys = {"language_name", "language_nav_label", "list_separator",
                                     "banner_text", "banner_text_changed",
                                     "error_age_confirm_required", "privacy_title",
                                     "cookies_title", "thanks_title", "form_title",
                                     "not_found_title"};
    for (const std::string& code : kErrorCodes) keys.push_back("error_" + code);
    for (int status : kErrorStatuses) {
      keys.push_back("error_" + std::to_string(status) + "_heading");
      keys.push_back("error_" + std::to_string(status) + "_body");
    }
    for (const FieldSpec& spec : kEnquiryFields) {
      keys.push_back("field_" + std::string(spec.name));
      if (spec.kind == FieldKind::kFlag) keys.push_back("privacy_flag_" + std::string(spec.name));
    }
    const std::vector<std::string> categories = example_categories();
    CPPUNIT_ASSERT(categories.size() >= 3);
    for (const std::string& category : categories) keys.push_back("category_" + category);
    for (const CookieSpec& spec : kSealformCookies) keys.emplace_back(spec.purpose_key);
    for (const char* key : {"privacy_text_required", "privacy_text_optional", "privacy_choice",
                            "privacy_flag_required", "privacy_flag_optional",
                            "cookies_lifetime_days", "cookies_necessary", "cookies_optional",
                            "cookies_choice_accepted", "cookies_choice_rejected",
                            "cookies_choice_outdated", "cookies_choice_none",
                            "cookies_analytics_body", "cookies_own_body"}) {
      keys.emplace_back(key);
    }
    for (std::string_view locale : kLocales) {
      for (const std::string& key : keys) {
        CPPUNIT_ASSERT_MESSAGE(std::string(locale) + ": " + key, pages_->catalog(locale).has(key));
      }
    }
  }

  void PlaceholdersMatchEnglish() {
    const Catalog& english = pages_->catalog("en-us");
    for (const auto& [key, text] : english.entries()) {
      const std::set<std::string> expected = placeholders(text);
      for (std::string_view locale : {"zh-cn", "zh-tw"}) {
        CPPUNIT_ASSERT_MESSAGE(std::string(locale) + ": " + key,
                               expected == placeholders(pages_->catalog(locale).text(key)));
      }
    }
  }

  void FormatFillsPlaceholders() {
    const Catalog& english = pages_->catalog("en-us");
    CPPUNIT_ASSERT_EQUAL(std::string("42 days"),
                         english.format("cookies_lifetime_days", {{"days", "42"}}));
    Catalog odd(std::map<std::string, std::string>{{"k", "{a} and {b} and {unknown} and {"}});
    CPPUNIT_ASSERT_EQUAL(std::string("1 and <b> and {unknown} and {"),
                         odd.format("k", {{"a", "1"}, {"b", "<b>"}}));
  }

 private:
  std::shared_ptr<const Pages> pages_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(CatalogTest);

}  // namespace sealform::web
