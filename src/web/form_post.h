// form_post.h: the checks every form POST makes before and after reading
// its body (the enquiry form, the consent form).
#ifndef SEALFORM_WEB_FORM_POST_H_
#define SEALFORM_WEB_FORM_POST_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "core/validate.h"
#include "web/context.h"
#include "web/http.h"

namespace sealform::web {

// CONTENT_LENGTH as RFC 9110 section 8.6 has it: 1*DIGIT. Leading zeros
// are allowed; the length check stops absurdly long values before any
// conversion. False for "", "-1", " 10", "0x10", ...
bool parse_content_length(const std::string& text, std::int64_t* out);

// True for application/x-www-form-urlencoded, with or without parameters.
bool is_form_urlencoded(const std::string& content_type);

// How many times `name` was posted.
int count_of(const FormFields& fields, const std::string& name);

// True if `header_value` (an Origin, or a Referer) names the configured
// origin: exactly it, or it followed by a path.
bool same_origin(std::string_view configured_origin, std::string_view header_value);

// True if the request's Origin, or without one its Referer, names another
// origin than the configured one. Neither header is allowed: privacy
// tools strip them.
bool from_another_origin(std::string_view configured_origin, const Request& request);

// True when the request shows that it comes from the site's own pages: an
// Origin that names the site, or without Origin, a Referer on the site.
bool from_this_origin(std::string_view configured_origin, const Request& request);

// The posted enquiry-form token if it is genuine and unexpired for
// `locale` (the minimum fill time aside), else "": a form shown again
// keeps it (submit.cc, consent_handler.cc).
std::string genuine_form_token(const AppContext& ctx, const FormFields& fields,
                               std::string_view locale, std::int64_t now);

}  // namespace sealform::web

#endif  // SEALFORM_WEB_FORM_POST_H_
