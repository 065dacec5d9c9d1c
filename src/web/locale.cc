// locale.cc: Accept-Language negotiation (see locale.h).
#include "web/locale.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <vector>

namespace sealform::web {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return "";
  const auto end = text.find_last_not_of(" \t");
  return std::string(text.substr(begin, end - begin + 1));
}

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

// q-value in thousandths, -1 if malformed (RFC 9110: 0, 0.x.., 1, 1.0..).
int parse_q(const std::string& text) {
  if (text.empty() || text.size() > 5) return -1;
  if (text[0] != '0' && text[0] != '1') return -1;
  int value = (text[0] - '0') * 1000;
  if (text.size() == 1) return value;
  if (text[1] != '.') return -1;
  int scale = 100;
  for (std::size_t i = 2; i < text.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return -1;
    value += (text[i] - '0') * scale;
    scale /= 10;
  }
  return value > 1000 ? -1 : value;
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
  if (accept_language.size() > 1024) accept_language = accept_language.substr(0, 1024);
  std::string best;
  int best_q = 0;
  std::size_t start = 0;
  while (start <= accept_language.size()) {
    std::size_t end = accept_language.find(',', start);
    if (end == std::string_view::npos) end = accept_language.size();
    std::string item = trim(accept_language.substr(start, end - start));
    start = end + 1;
    if (item.empty()) continue;
    int q = 1000;
    std::size_t semi = item.find(';');
    std::string range = lower(trim(item.substr(0, semi)));
    if (semi != std::string::npos) {
      std::string param = lower(trim(item.substr(semi + 1)));
      if (param.rfind("q=", 0) != 0) continue;
      q = parse_q(param.substr(2));
      if (q < 0) continue;
    }
    std::string locale = locale_for(range);
    // Strictly greater: among equal q-values the first listed wins.
    if (!locale.empty() && q > best_q) {
      best = locale;
      best_q = q;
    }
  }
  return best.empty() ? std::string(fallback) : best;
}

}  // namespace sealform::web
