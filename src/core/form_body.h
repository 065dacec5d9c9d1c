// form_body.h: parsing an application/x-www-form-urlencoded request body.
//
// parse_form_body() checks the raw body first (at most kMaxFormFields
// fields, each "name=value"; no raw ';'; every '%' followed by two hex
// digits), then decodes it with cgicc
// through an in-memory cgicc::CgiInput. The query string is never consulted:
// a POST's fields come from its body alone. Malformed input is a ParseResult
// with ok == false and a reason, never an exception or a crash.
#ifndef SEALFORM_CORE_FORM_BODY_H_
#define SEALFORM_CORE_FORM_BODY_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "core/validate.h"

namespace sealform {

inline constexpr std::size_t kMaxFormFields = 64;

struct FormParseResult {
  bool ok = false;
  FormFields fields;   // in body order; duplicates kept (the validator rejects them)
  std::string error;   // when !ok: "too_many_fields", "bad_percent_encoding", "malformed"
};

FormParseResult parse_form_body(std::string_view body);

}  // namespace sealform

#endif  // SEALFORM_CORE_FORM_BODY_H_
