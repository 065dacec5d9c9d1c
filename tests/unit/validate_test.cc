// Tests for validate.h: every rule of validate_enquiry(), table-driven. Each
// case changes one field of an otherwise valid form and states the error
// code that field must get ("" for none) and, when it passes, the value that
// must be stored. All data is synthetic; failure messages name the case only.
#include <cppunit/extensions/HelperMacros.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/fields.h"
#include "core/validate.h"

namespace sealform {
namespace {

const std::vector<std::string> kCategories = {"general", "media", "investor"};

constexpr char kOk[] = "";

// 张伟, 陳大文, 中 (one CJK code point, three octets), 😀 (four octets).
const std::string kZhangWei = "\xE5\xBC\xA0\xE4\xBC\x9F";
const std::string kChanTaiMan = "\xE9\x99\xB3\xE5\xA4\xA7\xE6\x96\x87";
const std::string kZhong = "\xE4\xB8\xAD";
const std::string kGrin = "\xF0\x9F\x98\x80";
const std::string kIdeographicSpace = "\xE3\x80\x80";

std::string repeat(const std::string& unit, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += unit;
  return out;
}

FormFields base_form() {
  return {{"name", "Ada Lovelace"},
          {"email", "ada@example.com"},
          {"category", "general"},
          {"message", "Hello"},
          {"age_confirm", "yes"}};
}

// The base form with `field` set to `value` (added if the base lacks it).
FormFields with(const std::string& field, const std::string& value) {
  FormFields form = base_form();
  for (auto& [name, old_value] : form) {
    if (name == field) {
      old_value = value;
      return form;
    }
  }
  form.emplace_back(field, value);
  return form;
}

FormFields without(const std::string& field) {
  FormFields form;
  for (const auto& pair : base_form()) {
    if (pair.first != field) form.push_back(pair);
  }
  return form;
}

// What the Enquiry holds for `field`, flags as "true"/"false".
std::string stored(const Enquiry& e, const std::string& field) {
  if (field == "name") return e.name;
  if (field == "company") return e.company;
  if (field == "job_title") return e.job_title;
  if (field == "email") return e.email;
  if (field == "category") return e.category;
  if (field == "message") return e.message;
  if (field == "age_confirm") return e.age_confirmed ? "true" : "false";
  if (field == "retain") return e.retain ? "true" : "false";
  return "?";
}

struct FieldCase {
  std::string label;
  std::string field;
  std::optional<std::string> value;  // nullopt: the field is not posted
  const char* error;                 // kOk when the form must pass
  std::optional<std::string> expected = std::nullopt;  // stored value; default: value
};

void run_cases(const std::vector<FieldCase>& cases) {
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const FieldCase& c = cases[i];
    const std::string where = "case " + std::to_string(i) + " (" + c.field + "): " + c.label;
    const FormFields form = c.value ? with(c.field, *c.value) : without(c.field);
    const ValidationResult r = validate_enquiry(form, kCategories);
    if (c.error == std::string(kOk)) {
      CPPUNIT_ASSERT_MESSAGE(where + " should pass", r.ok());
      const std::string expected = c.expected ? *c.expected : c.value.value_or("");
      CPPUNIT_ASSERT_MESSAGE(where + " stored value", stored(r.enquiry, c.field) == expected);
    } else {
      CPPUNIT_ASSERT_MESSAGE(where + " should fail", !r.ok());
      CPPUNIT_ASSERT_EQUAL_MESSAGE(where + " errors only on this field", std::size_t{1},
                                   r.errors.size());
      const auto it = r.errors.find(c.field);
      CPPUNIT_ASSERT_MESSAGE(where + " error on this field", it != r.errors.end());
      CPPUNIT_ASSERT_EQUAL_MESSAGE(where + " error code", std::string(c.error), it->second);
    }
  }
}

}  // namespace

class ValidateTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ValidateTest);
  CPPUNIT_TEST(BaseFormPasses);
  CPPUNIT_TEST(Names);
  CPPUNIT_TEST(ControlCharacters);
  CPPUNIT_TEST(InvalidEncoding);
  CPPUNIT_TEST(OptionalTexts);
  CPPUNIT_TEST(Emails);
  CPPUNIT_TEST(Messages);
  CPPUNIT_TEST(Category);
  CPPUNIT_TEST(AgeConfirmAndRetain);
  CPPUNIT_TEST(DuplicateFields);
  CPPUNIT_TEST(UnknownFieldsIgnored);
  CPPUNIT_TEST(EmptyFormReportsEveryRequiredField);
  CPPUNIT_TEST(ErrorCodesAreStable);
  CPPUNIT_TEST(FirstValue);
  CPPUNIT_TEST(FindField);
  CPPUNIT_TEST_SUITE_END();

 public:
  void BaseFormPasses() {
    FormFields form = base_form();
    form.emplace_back("company", "Analytical Engines Ltd");
    form.emplace_back("job_title", "Programmer");
    form.emplace_back("retain", "yes");
    const ValidationResult r = validate_enquiry(form, kCategories);
    CPPUNIT_ASSERT(r.ok());
    CPPUNIT_ASSERT(r.enquiry.name == "Ada Lovelace");
    CPPUNIT_ASSERT(r.enquiry.company == "Analytical Engines Ltd");
    CPPUNIT_ASSERT(r.enquiry.job_title == "Programmer");
    CPPUNIT_ASSERT(r.enquiry.email == "ada@example.com");
    CPPUNIT_ASSERT(r.enquiry.category == "general");
    CPPUNIT_ASSERT(r.enquiry.message == "Hello");
    CPPUNIT_ASSERT(r.enquiry.age_confirmed);
    CPPUNIT_ASSERT(r.enquiry.retain);
  }

  void Names() {
    run_cases({
        {"english", "name", "Ada Lovelace", kOk},
        {"simplified chinese", "name", kZhangWei, kOk},
        {"traditional chinese", "name", kChanTaiMan, kOk},
        {"emoji", "name", kGrin, kOk},
        {"emoji ZWJ sequence", "name", "Ada \xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB", kOk},
        {"accents", "name", "Jos\xC3\xA9 N\xC3\xBA\xC3\xB1\x65z", kOk},
        {"apostrophe and hyphen", "name", "O'Brien-Smith", kOk},
        {"one code point", "name", "A", kOk},
        {"100 ascii", "name", std::string(100, 'a'), kOk},
        {"100 CJK (300 octets)", "name", repeat(kZhong, 100), kOk},
        {"100 emoji (400 octets)", "name", repeat(kGrin, 100), kOk},
        {"101 ascii", "name", std::string(101, 'a'), "too_long"},
        {"101 CJK", "name", repeat(kZhong, 101), "too_long"},
        {"101 emoji", "name", repeat(kGrin, 101), "too_long"},
        {"100 plus trimmed spaces", "name", "  " + std::string(100, 'a') + "  ", kOk,
         std::string(100, 'a')},
        {"spaces trimmed", "name", "  Ada  ", kOk, "Ada"},
        {"leading and trailing CRLF trimmed", "name", "\r\nAda\r\n", kOk, "Ada"},
        {"trailing tab trimmed", "name", "Ada\t", kOk, "Ada"},
        {"ideographic spaces trimmed", "name", kIdeographicSpace + kZhangWei + kIdeographicSpace,
         kOk, kZhangWei},
        {"no-break and em spaces trimmed", "name", "\xC2\xA0\xE2\x80\x83" "Ada\xEF\xBB\xBF", kOk,
         "Ada"},
        {"inner space kept", "name", " Ada  Lovelace ", kOk, "Ada  Lovelace"},
        {"missing", "name", std::nullopt, "required"},
        {"empty", "name", "", "required"},
        {"spaces only", "name", "   ", "required"},
        {"ideographic space only", "name", kIdeographicSpace, "required"},
        {"newlines only", "name", "\r\n\r\n", "required"},
    });
  }

  void ControlCharacters() {
    run_cases({
        {"NUL inside", "name", std::string("Ada\0Lovelace", 12), "control_characters"},
        {"NUL at end", "name", std::string("Ada\0", 4), "control_characters"},
        {"header injection CRLF", "name", "Ada\r\nBcc: x@y.z", "control_characters"},
        {"LF inside", "name", "Ada\nLovelace", "control_characters"},
        {"CR inside", "name", "Ada\rLovelace", "control_characters"},
        {"tab inside single-line", "name", "Ada\tLovelace", "control_characters"},
        {"ESC", "name", "Ada\x1B[31m", "control_characters"},
        {"BEL", "name", "Ada\x07", "control_characters"},
        {"DEL", "name", "Ada\x7F", "control_characters"},
        {"C1 U+0080", "name", "Ada\xC2\x80x", "control_characters"},
        {"C1 CSI U+009B", "name", "Ada\xC2\x9Bx", "control_characters"},
        {"NEL inside", "name", "Ada\xC2\x85Lovelace", "control_characters"},
        {"company CRLF inside", "company", "Acme\r\nX-Header: 1", "control_characters"},
        {"job title LF inside", "job_title", "CEO\nX", "control_characters"},
        {"category with LF inside", "category", "gen\neral", "control_characters"},
    });
  }

  void InvalidEncoding() {
    run_cases({
        {"overlong NUL C0 80", "name", "Ada\xC0\x80", "invalid_encoding"},
        {"overlong E0 80 80", "name", "\xE0\x80\x80", "invalid_encoding"},
        {"overlong F0 80 80 80", "name", "\xF0\x80\x80\x80", "invalid_encoding"},
        {"overlong slash", "name", "\xC0\xAF", "invalid_encoding"},
        {"lone surrogate", "name", "Ada\xED\xA0\x80", "invalid_encoding"},
        {"truncated", "name", "Ada\xE5\xBC", "invalid_encoding"},
        {"F5 byte", "name", "\xF5\x80\x80\x80", "invalid_encoding"},
        {"above U+10FFFF", "name", "\xF4\x90\x80\x80", "invalid_encoding"},
        {"latin-1", "name", "Jos\xE9", "invalid_encoding"},
        {"invalid email bytes", "email", "ada@ex\xFF" "ample.com", "invalid_encoding"},
        {"invalid message bytes", "message", "Hello \xC3", "invalid_encoding"},
        {"invalid company bytes", "company", "\x80", "invalid_encoding"},
        {"invalid category bytes", "category", "general\xFE", "invalid_encoding"},
        {"encoding checked before control", "name", std::string("\0\xC0\x80", 3),
         "invalid_encoding"},
    });
  }

  void OptionalTexts() {
    run_cases({
        {"company absent", "company", std::nullopt, kOk, ""},
        {"company empty", "company", "", kOk},
        {"company spaces only", "company", "  ", kOk, ""},
        {"company chinese", "company", kChanTaiMan + "\xE6\x9C\x89\xE9\x99\x90\xE5\x85\xAC\xE5\x8F\xB8",
         kOk},
        {"company 200 CJK", "company", repeat(kZhong, 200), kOk},
        {"company 201", "company", std::string(201, 'c'), "too_long"},
        {"company trimmed", "company", "\tAcme\r\n", kOk, "Acme"},
        {"job title absent", "job_title", std::nullopt, kOk, ""},
        {"job title 100", "job_title", std::string(100, 'j'), kOk},
        {"job title 101", "job_title", std::string(101, 'j'), "too_long"},
        {"job title 101 CJK", "job_title", repeat(kZhong, 101), "too_long"},
    });
  }

  void Emails() {
    run_cases({
        {"plain", "email", "ada@example.com", kOk},
        {"trimmed", "email", " ada@example.com\r\n", kOk, "ada@example.com"},
        {"ideographic space trimmed", "email", kIdeographicSpace + "ada@example.com", kOk,
         "ada@example.com"},
        {"domain lower-cased", "email", "Ada@EXAMPLE.com", kOk, "Ada@example.com"},
        {"unicode domain to A-label", "email",
         "user@\xE4\xBE\x8B\xE5\xAD\x90.\xE5\xB9\xBF\xE5\x91\x8A", kOk,
         "user@xn--fsqu00a.xn--4rr70v"},
        {"missing", "email", std::nullopt, "required"},
        {"empty", "email", "", "required"},
        {"not an address", "email", "not-an-email", "invalid_email"},
        {"quoted local", "email", "\"ada\"@example.com", "invalid_email"},
        {"IP literal", "email", "ada@[127.0.0.1]", "invalid_email"},
        {"unicode local part", "email", kZhangWei + "@example.com", "invalid_email"},
        {"header injection CRLF", "email", "a\r\nBcc: x@y.z", "control_characters"},
        {"header injection LF after address", "email", "ada@example.com\nBcc: x@y.z",
         "control_characters"},
        {"header injection CR", "email", "ada@example.com\rBcc: x@y.z", "control_characters"},
        {"NUL inside", "email", std::string("ada@exa\0mple.com", 16), "control_characters"},
        {"254 octets", "email", std::string(242, 'a') + "@example.com", kOk},
        {"255 octets", "email", std::string(243, 'a') + "@example.com", "too_long"},
    });
  }

  void Messages() {
    const std::string just_fits = std::string(4998, 'a') + "\r\nb";  // 5000 after CRLF -> LF
    run_cases({
        {"plain", "message", "Hello", kOk},
        {"CRLF to LF", "message", "Line 1\r\nLine 2\r\n\r\nLine 4", kOk,
         "Line 1\nLine 2\n\nLine 4"},
        {"lone CR to LF", "message", "Line 1\rLine 2", kOk, "Line 1\nLine 2"},
        {"LF kept", "message", "Line 1\nLine 2", kOk},
        {"tabs kept", "message", "Item\tQty\n\tindented", kOk},
        {"ends trimmed", "message", "\r\n\r\n  Hello\r\n\t\r\n", kOk, "Hello"},
        {"chinese", "message", kZhangWei + "\r\n" + kChanTaiMan, kOk, kZhangWei + "\n" + kChanTaiMan},
        {"emoji", "message", "Thanks " + kGrin, kOk},
        {"5000 chinese", "message", repeat(kZhong, 5000), kOk},
        {"5001 chinese", "message", repeat(kZhong, 5001), "too_long"},
        {"5000 ascii", "message", std::string(5000, 'm'), kOk},
        {"5001 ascii", "message", std::string(5001, 'm'), "too_long"},
        {"counted after CRLF normalisation", "message", just_fits, kOk,
         std::string(4998, 'a') + "\nb"},
        {"missing", "message", std::nullopt, "required"},
        {"empty", "message", "", "required"},
        {"white space only", "message", "\r\n\t \xE3\x80\x80\n", "required"},
        {"NUL", "message", std::string("Hel\0lo", 6), "control_characters"},
        {"vertical tab inside", "message", "a\x0B" "b", "control_characters"},
        {"form feed inside", "message", "a\x0C" "b", "control_characters"},
        {"ESC", "message", "a\x1B" "b", "control_characters"},
        {"DEL", "message", "a\x7F" "b", "control_characters"},
        {"C1 NEL inside", "message", "a\xC2\x85" "b", "control_characters"},
        {"backspace", "message", "a\x08" "b", "control_characters"},
    });
  }

  void Category() {
    run_cases({
        {"general", "category", "general", kOk},
        {"investor", "category", "investor", kOk},
        {"trimmed", "category", " media\r\n", kOk, "media"},
        {"missing", "category", std::nullopt, "required"},
        {"empty", "category", "", "required"},
        {"unknown", "category", "sales", "invalid_choice"},
        {"case matters", "category", "General", "invalid_choice"},
        {"prefix", "category", "gen", "invalid_choice"},
        {"label not key", "category", "General enquiry", "invalid_choice"},
    });
    const ValidationResult none = validate_enquiry(base_form(), {});
    CPPUNIT_ASSERT(none.errors.count("category") == 1);
    CPPUNIT_ASSERT(none.errors.at("category") == "invalid_choice");
  }

  void AgeConfirmAndRetain() {
    run_cases({
        {"age yes", "age_confirm", "yes", kOk, "true"},
        {"age trimmed", "age_confirm", " yes ", kOk, "true"},
        {"age missing", "age_confirm", std::nullopt, "required"},
        {"age empty", "age_confirm", "", "required"},
        {"age no", "age_confirm", "no", "required"},
        {"age on", "age_confirm", "on", "required"},
        {"age upper case", "age_confirm", "YES", "required"},
        {"age 1", "age_confirm", "1", "required"},
        {"retain missing", "retain", std::nullopt, kOk, "false"},
        {"retain empty", "retain", "", kOk, "false"},
        {"retain yes", "retain", "yes", kOk, "true"},
        {"retain no", "retain", "no", "invalid_choice"},
        {"retain on", "retain", "on", "invalid_choice"},
        {"retain 1", "retain", "1", "invalid_choice"},
        {"retain upper case", "retain", "YES", "invalid_choice"},
    });
  }

  void DuplicateFields() {
    const std::vector<std::string> fields = {"name",    "company",     "job_title", "email",
                                             "category", "message", "age_confirm", "retain"};
    for (const std::string& field : fields) {
      FormFields form = base_form();
      form.emplace_back(field, field == "email" ? "ada@example.com" : "yes");
      form.emplace_back(field, field == "email" ? "ada@example.com" : "yes");
      const ValidationResult r = validate_enquiry(form, kCategories);
      CPPUNIT_ASSERT_MESSAGE(field, !r.ok());
      CPPUNIT_ASSERT_MESSAGE(field, r.errors.count(field) == 1);
      CPPUNIT_ASSERT_MESSAGE(field, r.errors.at(field) == "duplicate_field");
    }
    // Same value twice is still a duplicate; other fields are unaffected.
    FormFields form = base_form();
    form.emplace_back("name", "Ada Lovelace");
    const ValidationResult r = validate_enquiry(form, kCategories);
    CPPUNIT_ASSERT_EQUAL(std::size_t{1}, r.errors.size());
    CPPUNIT_ASSERT(r.errors.at("name") == "duplicate_field");
    // Duplicate checked before encoding: a duplicate with bad bytes says duplicate.
    FormFields bad = base_form();
    bad.emplace_back("message", "\xFF");
    CPPUNIT_ASSERT(validate_enquiry(bad, kCategories).errors.at("message") == "duplicate_field");
  }

  void UnknownFieldsIgnored() {
    const std::string marker = "UNKNOWN-FIELD-MARKER";
    FormFields form = base_form();
    form.emplace_back("token", marker);
    form.emplace_back("token", marker);    // not the validator's business, even twice
    form.emplace_back("website", marker);  // a honeypot name
    form.emplace_back("ip", marker);
    form.emplace_back("user_agent", marker);
    form.emplace_back("Name", marker);     // field names are case-sensitive
    form.emplace_back("extra", "\xFF\x00\r\n");
    form.emplace_back("", marker);
    const ValidationResult r = validate_enquiry(form, kCategories);
    CPPUNIT_ASSERT(r.ok());
    const Enquiry& e = r.enquiry;
    for (const std::string* value :
         {&e.name, &e.company, &e.job_title, &e.email, &e.category, &e.message}) {
      CPPUNIT_ASSERT(value->find(marker) == std::string::npos);
    }
    CPPUNIT_ASSERT(e.name == "Ada Lovelace");
  }

  void EmptyFormReportsEveryRequiredField() {
    const ValidationResult r = validate_enquiry({}, kCategories);
    CPPUNIT_ASSERT(!r.ok());
    const std::map<std::string, std::string> expected = {{"name", "required"},
                                                         {"email", "required"},
                                                         {"category", "required"},
                                                         {"message", "required"},
                                                         {"age_confirm", "required"}};
    CPPUNIT_ASSERT(r.errors == expected);
  }

  void ErrorCodesAreStable() {
    const std::set<std::string> known = {"required",         "too_long",
                                         "invalid_encoding", "control_characters",
                                         "invalid_email",    "invalid_choice",
                                         "duplicate_field"};
    const std::vector<FormFields> forms = {
        {},
        {{"name", std::string(101, 'x')}, {"email", "x"}, {"category", "x"}, {"retain", "x"}},
        {{"name", "\xC0\x80"}, {"email", "a\nb"}, {"message", "a"}, {"message", "b"}},
    };
    for (const FormFields& form : forms) {
      for (const auto& [field, code] : validate_enquiry(form, kCategories).errors) {
        CPPUNIT_ASSERT_MESSAGE(field, known.count(code) == 1);
        CPPUNIT_ASSERT_MESSAGE(field, find_field(field) != nullptr);
      }
    }
  }

  void FirstValue() {
    const FormFields form = {{"name", "first"}, {"email", "e"}, {"name", "second"}};
    CPPUNIT_ASSERT(first_value(form, "name") == "first");
    CPPUNIT_ASSERT(first_value(form, "email") == "e");
    CPPUNIT_ASSERT(first_value(form, "company").empty());
    CPPUNIT_ASSERT(first_value({}, "name").empty());
  }

  void FindField() {
    for (const FieldSpec& spec : kEnquiryFields) {
      const FieldSpec* found = find_field(spec.name);
      CPPUNIT_ASSERT(found != nullptr);
      CPPUNIT_ASSERT(found->name == spec.name);
    }
    CPPUNIT_ASSERT(find_field("token") == nullptr);
    CPPUNIT_ASSERT(find_field("Name") == nullptr);
    CPPUNIT_ASSERT(find_field("") == nullptr);
    CPPUNIT_ASSERT(find_field("ip") == nullptr);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ValidateTest);

}  // namespace sealform
