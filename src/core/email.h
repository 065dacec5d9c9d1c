// email.h: email address syntax (WHATWG HTML "valid e-mail address") with
// internationalised domains.
//
// The local part and domain follow the grammar a browser's <input
// type=email> applies, so client and server agree. A domain written in
// Unicode is converted to its ASCII (A-label) form with libidn2, UTS #46
// non-transitional processing (IDN2_NONTRANSITIONAL), the mapping a browser
// applies when a person types such an address (a full-width full stop
// U+FF0E or an ideographic full stop U+3002 becomes "."). The result is the
// stored form; it must be at most 254 octets. Thread-safe.
#ifndef SEALFORM_CORE_EMAIL_H_
#define SEALFORM_CORE_EMAIL_H_

#include <string>
#include <string_view>

namespace sealform {

struct EmailCheck {
  bool ok = false;
  std::string address;  // the stored form when ok: local@a-label.domain
  std::string error;    // a stable error code when !ok: "invalid_email" or "too_long"
};

// `input` must already be trimmed, well-formed UTF-8 without control characters.
EmailCheck check_email(std::string_view input);

// The form the blind index is computed over: the stored form, ASCII-lower-cased.
std::string email_index_form(std::string_view stored_address);

}  // namespace sealform

#endif  // SEALFORM_CORE_EMAIL_H_
