// fields.h: the enquiry form's fields, in one list.
//
// The validator, the form template, the privacy policy ("what we collect")
// and the storage layer all read this list, so the page that tells a visitor
// what is collected cannot drift from what the code accepts and stores.
// Field names are a public contract: site templates and scripts post them.
#ifndef SEALFORM_CORE_FIELDS_H_
#define SEALFORM_CORE_FIELDS_H_

#include <array>
#include <cstddef>
#include <string_view>

namespace sealform {

enum class FieldKind {
  kPersonalText,   // encrypted at rest
  kChoice,         // a configured key, stored in plaintext metadata
  kFlag,           // a checkbox, stored as metadata
};

struct FieldSpec {
  std::string_view name;       // form field name
  FieldKind kind;
  bool required;
  std::size_t max_code_points; // 0 for choices and flags
  bool multiline;              // tabs and newlines allowed (message only)
};

inline constexpr std::array<FieldSpec, 8> kEnquiryFields = {{
    {"name", FieldKind::kPersonalText, true, 100, false},
    {"company", FieldKind::kPersonalText, false, 200, false},
    {"job_title", FieldKind::kPersonalText, false, 100, false},
    {"email", FieldKind::kPersonalText, true, 254, false},
    {"category", FieldKind::kChoice, true, 0, false},
    {"message", FieldKind::kPersonalText, true, 5000, true},
    {"age_confirm", FieldKind::kFlag, true, 0, false},
    {"retain", FieldKind::kFlag, false, 0, false},
}};

// The personal (encrypted) fields, in storage order.
inline constexpr std::array<std::string_view, 5> kPersonalFields = {
    "name", "company", "job_title", "email", "message"};

// The anti-forgery token field; not part of the enquiry.
inline constexpr std::string_view kTokenField = "token";

// Returns the spec for `name`, or nullptr if the form does not define it.
const FieldSpec* find_field(std::string_view name);

}  // namespace sealform

#endif  // SEALFORM_CORE_FIELDS_H_
