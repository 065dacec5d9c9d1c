// email.cc: the WHATWG HTML "valid e-mail address" check, with Unicode
// domains converted to A-labels by libidn2.
//
// Grammar (HTML Living Standard, 4.10.5.1.5 "E-mail state"):
//   local  = 1*( ALPHA / DIGIT / "!#$%&'*+/=?^_`{|}~-" / "." )
//   domain = label *( "." label )
//   label  = let-dig [ [ ldh-str ] let-dig ]   ; at most 63 octets
// Quoted local parts, comments and IP-literal domains are not part of it,
// and a Unicode local part is not either. A domain with any non-ASCII
// character goes through UTS #46 (libidn2, non-transitional, NFC input)
// first, which maps full-width and ideographic full stops to "." and upper
// case to lower case; an ASCII domain is only lower-cased, so the stored
// form of a domain is always lower case whichever way it was typed.
#include "core/email.h"

#include <idn2.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace sealform {
namespace {

constexpr std::size_t kMaxAddressOctets = 254;  // RFC 5321 path limit less "<>"
constexpr std::size_t kMaxLabelOctets = 63;     // RFC 1035, 2.3.4
// Inputs beyond this are refused before libidn2 sees them: UTS #46 mapping
// can shrink a domain (full-width letters, ignored code points), but never
// a kilobyte down to a usable address.
constexpr std::size_t kMaxInputOctets = 1024;

constexpr char kInvalid[] = "invalid_email";
constexpr char kTooLong[] = "too_long";

bool is_ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_local_char(char c) {
  static constexpr std::string_view kSpecials = ".!#$%&'*+/=?^_`{|}~-";
  return is_ascii_alnum(c) || kSpecials.find(c) != std::string_view::npos;
}

bool is_valid_local_part(std::string_view local) {
  if (local.empty()) return false;
  for (char c : local) {
    if (!is_local_char(c)) return false;
  }
  return true;
}

bool is_valid_label(std::string_view label) {
  if (label.empty() || label.size() > kMaxLabelOctets) return false;
  if (!is_ascii_alnum(label.front()) || !is_ascii_alnum(label.back())) return false;
  for (char c : label) {
    if (!is_ascii_alnum(c) && c != '-') return false;
  }
  return true;
}

// `domain` is ASCII here; an empty label (leading, trailing or doubled dot)
// fails is_valid_label().
bool is_valid_domain(std::string_view domain) {
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = domain.find('.', start);
    const std::size_t end = dot == std::string_view::npos ? domain.size() : dot;
    if (!is_valid_label(domain.substr(start, end - start))) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool is_ascii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

struct IdnFree {
  void operator()(char* p) const { idn2_free(p); }
};

// The A-label form of a Unicode domain, or the error code to report.
struct DomainConversion {
  std::optional<std::string> ascii;
  const char* error = kInvalid;
};

DomainConversion to_ascii_domain(std::string_view domain) {
  DomainConversion result;
  if (is_ascii(domain)) {
    result.ascii = ascii_lower(domain);
    return result;
  }
  const std::string input(domain);  // libidn2 wants a NUL-terminated string
  if (input.find('\0') != std::string::npos) return result;
  char* raw = nullptr;
  const int rc = idn2_to_ascii_8z(input.c_str(), &raw, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
  std::unique_ptr<char, IdnFree> output(raw);
  if (rc != IDN2_OK || output == nullptr) {
    if (rc == IDN2_TOO_BIG_DOMAIN) result.error = kTooLong;
    return result;
  }
  result.ascii = ascii_lower(output.get());
  return result;
}

EmailCheck failure(const char* code) {
  EmailCheck check;
  check.error = code;
  return check;
}

}  // namespace

EmailCheck check_email(std::string_view input) {
  if (input.size() > kMaxInputOctets) return failure(kTooLong);
  const std::size_t at = input.find('@');
  if (at == std::string_view::npos) return failure(kInvalid);
  const std::string_view local = input.substr(0, at);
  if (!is_valid_local_part(local)) return failure(kInvalid);

  DomainConversion domain = to_ascii_domain(input.substr(at + 1));
  if (!domain.ascii) return failure(domain.error);

  std::string stored;
  stored.reserve(local.size() + 1 + domain.ascii->size());
  stored.append(local).append(1, '@').append(*domain.ascii);
  if (stored.size() > kMaxAddressOctets) return failure(kTooLong);
  // Checked after conversion: UTS #46 passes "[", "@" and spaces through, so
  // the grammar is what rejects them.
  if (!is_valid_domain(*domain.ascii)) return failure(kInvalid);

  EmailCheck check;
  check.ok = true;
  check.address = std::move(stored);
  return check;
}

std::string email_index_form(std::string_view stored_address) {
  return ascii_lower(stored_address);
}

}  // namespace sealform
