// validate.cc: the rules one posted enquiry must meet (validate.h).
//
// Every field the form defines (fields.h) goes through the same steps:
// duplicate check, UTF-8 check, clean-up (newline normalisation for the
// message, trimming), control-character check, then the rule of its kind.
// Only defined fields are looked at, so unknown fields, the anti-forgery
// token and the honeypot never reach the Enquiry.
#include "core/validate.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "core/email.h"
#include "core/fields.h"
#include "core/utf8.h"

namespace sealform {
namespace {

constexpr char kRequired[] = "required";
constexpr char kTooLong[] = "too_long";
constexpr char kInvalidEncoding[] = "invalid_encoding";
constexpr char kControlCharacters[] = "control_characters";
constexpr char kInvalidEmail[] = "invalid_email";
constexpr char kInvalidChoice[] = "invalid_choice";
constexpr char kDuplicateField[] = "duplicate_field";

// The value a checkbox posts when ticked.
constexpr std::string_view kCheckedValue = "yes";

// The posted values of the defined fields, by name; names posted more than
// once are in `duplicates`.
struct Posted {
  std::map<std::string_view, std::string_view> values;
  std::set<std::string_view> duplicates;
};

Posted collect(const FormFields& fields) {
  Posted posted;
  for (const auto& [name, value] : fields) {
    const FieldSpec* spec = find_field(name);
    if (spec == nullptr) continue;  // not ours: ignored, never stored
    if (!posted.values.emplace(spec->name, value).second) posted.duplicates.insert(spec->name);
  }
  return posted;
}

// A value after clean-up, or the error code that stopped it.
struct Cleaned {
  std::string value;
  const char* error = nullptr;
};

bool has_refused_control(std::string_view text, bool multiline) {
  const auto code_points = utf8::decode(text);
  if (!code_points) return true;  // unreachable: checked before
  return std::any_of(code_points->begin(), code_points->end(), [multiline](char32_t cp) {
    if (multiline && (cp == U'\t' || cp == U'\n')) return false;
    return utf8::is_control(cp);
  });
}

// Trimming comes before the control check so that white space at the ends
// (a stray CRLF pasted after a name) is dropped, while a CR or LF inside a
// single-line value, the stuff of header injection, is refused.
Cleaned clean(const FieldSpec& spec, std::string_view raw) {
  Cleaned out;
  if (!utf8::is_valid(raw)) {
    out.error = kInvalidEncoding;
    return out;
  }
  out.value = spec.multiline ? utf8::trim(utf8::normalise_newlines(raw)) : utf8::trim(raw);
  if (has_refused_control(out.value, spec.multiline)) out.error = kControlCharacters;
  return out;
}

// The Enquiry member a personal text field is stored in.
std::string* text_member(Enquiry& enquiry, std::string_view name) {
  if (name == "name") return &enquiry.name;
  if (name == "company") return &enquiry.company;
  if (name == "job_title") return &enquiry.job_title;
  if (name == "email") return &enquiry.email;
  if (name == "message") return &enquiry.message;
  return nullptr;
}

const char* check_text(const FieldSpec& spec, std::string& value) {
  if (value.empty()) return spec.required ? kRequired : nullptr;
  if (spec.name == "email") {
    // The email limit is in octets of the stored form, checked there.
    EmailCheck email = check_email(value);
    if (!email.ok) return email.error == kTooLong ? kTooLong : kInvalidEmail;
    value = std::move(email.address);
    return nullptr;
  }
  if (utf8::count_code_points(value) > spec.max_code_points) return kTooLong;
  return nullptr;
}

const char* check_choice(const std::string& value, const std::vector<std::string>& choices) {
  if (value.empty()) return kRequired;
  if (std::find(choices.begin(), choices.end(), value) == choices.end()) return kInvalidChoice;
  return nullptr;
}

// A required checkbox must be ticked; an optional one is ticked, or absent.
const char* check_flag(const FieldSpec& spec, const std::string& value) {
  if (value == kCheckedValue) return nullptr;
  if (spec.required) return kRequired;
  return value.empty() ? nullptr : kInvalidChoice;
}

// Applies the rule of the field's kind and stores the value on success.
const char* check_field(const FieldSpec& spec, std::string value,
                        const std::vector<std::string>& categories, Enquiry& enquiry) {
  switch (spec.kind) {
    case FieldKind::kPersonalText: {
      const char* error = check_text(spec, value);
      if (error == nullptr) *text_member(enquiry, spec.name) = std::move(value);
      return error;
    }
    case FieldKind::kChoice: {
      const char* error = check_choice(value, categories);
      if (error == nullptr) enquiry.category = std::move(value);
      return error;
    }
    case FieldKind::kFlag: {
      const char* error = check_flag(spec, value);
      const bool ticked = error == nullptr && value == kCheckedValue;
      if (spec.name == "age_confirm") enquiry.age_confirmed = ticked;
      if (spec.name == "retain") enquiry.retain = ticked;
      return error;
    }
  }
  return nullptr;
}

}  // namespace

ValidationResult validate_enquiry(const FormFields& fields,
                                  const std::vector<std::string>& categories) {
  ValidationResult result;
  const Posted posted = collect(fields);
  for (const FieldSpec& spec : kEnquiryFields) {
    const std::string name(spec.name);
    if (posted.duplicates.count(spec.name) != 0) {
      result.errors[name] = kDuplicateField;
      continue;
    }
    const auto it = posted.values.find(spec.name);
    Cleaned cleaned = clean(spec, it == posted.values.end() ? std::string_view() : it->second);
    const char* error = cleaned.error != nullptr
                            ? cleaned.error
                            : check_field(spec, std::move(cleaned.value), categories,
                                          result.enquiry);
    if (error != nullptr) result.errors[name] = error;
  }
  return result;
}

FieldCheck validate_field(const std::string& name, const std::string& value,
                          const std::vector<std::string>& categories) {
  FieldCheck check;
  const FieldSpec* spec = find_field(name);
  if (spec == nullptr) {
    check.error = "unknown_field";
    return check;
  }
  Cleaned cleaned = clean(*spec, value);
  if (cleaned.error != nullptr) {
    check.error = cleaned.error;
    return check;
  }
  Enquiry scratch;
  const char* error = check_field(*spec, cleaned.value, categories, scratch);
  if (error != nullptr) {
    check.error = error;
    return check;
  }
  // The value as validate_enquiry() would have stored it.
  if (std::string* member = text_member(scratch, spec->name)) {
    check.value = std::move(*member);
  } else if (spec->kind == FieldKind::kChoice) {
    check.value = std::move(scratch.category);
  } else {
    check.value = std::move(cleaned.value);
  }
  return check;
}

std::string first_value(const FormFields& fields, const std::string& name) {
  for (const auto& [field_name, value] : fields) {
    if (field_name == name) return value;
  }
  return std::string();
}

}  // namespace sealform
