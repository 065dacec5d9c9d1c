// form_post.h: the checks every form POST makes before and after reading
// its body (the enquiry form, the consent form).
#ifndef SEALFORM_WEB_FORM_POST_H_
#define SEALFORM_WEB_FORM_POST_H_

#include <cstdint>
#include <string>

#include "core/validate.h"

namespace sealform::web {

// CONTENT_LENGTH as RFC 9110 section 8.6 has it: 1*DIGIT. Leading zeros
// are allowed; the length check stops absurdly long values before any
// conversion. False for "", "-1", " 10", "0x10", ...
bool parse_content_length(const std::string& text, std::int64_t* out);

// True for application/x-www-form-urlencoded, with or without parameters.
bool is_form_urlencoded(const std::string& content_type);

// How many times `name` was posted.
int count_of(const FormFields& fields, const std::string& name);

}  // namespace sealform::web

#endif  // SEALFORM_WEB_FORM_POST_H_
