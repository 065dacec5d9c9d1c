// cookie_registry.h: every cookie sealform itself can set, in one list.
//
// The consent handler takes the consent cookie's name and lifetime from
// here, and the cookie policy page lists exactly these entries (plus the
// analytics cookies the operator declares in [cookies] analytics_cookies),
// so the page cannot promise fewer cookies than the code sets. A unit test
// checks that every Set-Cookie sealform sends names an entry of this list.
// Purposes are catalog keys, shown in the visitor's language.
#ifndef SEALFORM_WEB_COOKIE_REGISTRY_H_
#define SEALFORM_WEB_COOKIE_REGISTRY_H_

#include <array>
#include <cstdint>
#include <string_view>

#include "core/config.h"

namespace sealform::web {

// Where a cookie's lifetime comes from.
enum class CookieLifetime {
  kConsentDays,  // [cookies] consent_lifetime_days
};

struct CookieSpec {
  std::string_view name;
  std::string_view purpose_key;  // message catalog key
  CookieLifetime lifetime;
  bool strictly_necessary;       // set without asking (it records the answer itself)
};

inline constexpr std::string_view kConsentCookieName = "sealform_consent";

// sealform sets no other cookie: the form's anti-forgery token lives in a
// hidden field, so a visitor who never chooses gets no cookie at all.
inline constexpr std::array<CookieSpec, 1> kSealformCookies = {{
    {kConsentCookieName, "cookie_consent_purpose", CookieLifetime::kConsentDays, true},
}};

// The cookie's lifetime in days under `config`.
int lifetime_days(const CookieSpec& spec, const Config& config);

// Max-Age in seconds (RFC 6265 section 5.2.2) under `config`.
std::int64_t max_age_seconds(const CookieSpec& spec, const Config& config);

// The registry entry named `name`, or nullptr.
const CookieSpec* find_cookie(std::string_view name);

}  // namespace sealform::web

#endif  // SEALFORM_WEB_COOKIE_REGISTRY_H_
