// cookie_registry.cc: lifetimes and lookup for the cookie registry.
#include "web/cookie_registry.h"

namespace sealform::web {

int lifetime_days(const CookieSpec& spec, const Config& config) {
  switch (spec.lifetime) {
    case CookieLifetime::kConsentDays:
      return config.consent_lifetime_days;
  }
  return 0;
}

std::int64_t max_age_seconds(const CookieSpec& spec, const Config& config) {
  return static_cast<std::int64_t>(lifetime_days(spec, config)) * 86400;
}

const CookieSpec* find_cookie(std::string_view name) {
  for (const CookieSpec& spec : kSealformCookies) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

}  // namespace sealform::web
