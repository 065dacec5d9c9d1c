// locale.cc: Accept-Language negotiation (see locale.h).
#include "web/locale.h"

#include <algorithm>

#include "web/accept_header.h"

namespace sealform::web {
namespace {

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.size() >= prefix.size() && text.compare(0, prefix.size(), prefix) == 0 &&
         (text.size() == prefix.size() || text[prefix.size()] == '-');
}

// The locale a language range maps to, or "" if none.
std::string locale_for(const std::string& range) {
  if (starts_with(range, "zh-hant") || starts_with(range, "zh-tw") || starts_with(range, "zh-hk") ||
      starts_with(range, "zh-mo")) {
    return "zh-tw";
  }
  if (starts_with(range, "zh-hans") || starts_with(range, "zh-cn") || starts_with(range, "zh-sg") ||
      range == "zh") {
    return "zh-cn";
  }
  if (starts_with(range, "en")) return "en-us";
  return "";
}

}  // namespace

bool is_locale(std::string_view text) {
  return std::find(kLocales.begin(), kLocales.end(), text) != kLocales.end();
}

std::string html_lang(std::string_view locale) {
  if (locale == "zh-cn") return "zh-Hans";
  if (locale == "zh-tw") return "zh-Hant";
  return "en";
}

std::string negotiate_locale(std::string_view accept_language, std::string_view fallback) {
  std::string best;
  int best_q = 0;
  for (const WeightedRange& weighted : parse_weighted(accept_language)) {
    const std::string locale = locale_for(weighted.range);
    // Strictly greater: among equal q-values the first listed wins.
    if (!locale.empty() && weighted.q > best_q) {
      best = locale;
      best_q = weighted.q;
    }
  }
  return best.empty() ? std::string(fallback) : best;
}

}  // namespace sealform::web
