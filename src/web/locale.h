// locale.h: the three locales sealform serves and Accept-Language negotiation.
//
// Locales in URLs: en-us, zh-cn, zh-tw. negotiate_locale() follows RFC 9110
// section 12.5.4 with q-values: zh-CN, zh-SG, zh-Hans(-*) -> zh-cn; zh-TW,
// zh-HK, zh-MO, zh-Hant(-*) -> zh-tw; bare "zh" -> zh-cn; en(-*) -> en-us;
// anything else is skipped; nothing acceptable -> the fallback.
#ifndef SEALFORM_WEB_LOCALE_H_
#define SEALFORM_WEB_LOCALE_H_

#include <array>
#include <string>
#include <string_view>

namespace sealform::web {

inline constexpr std::array<std::string_view, 3> kLocales = {"en-us", "zh-cn", "zh-tw"};

bool is_locale(std::string_view text);

// The BCP 47 tag for <html lang> and Content-Language: en, zh-Hans, zh-Hant.
std::string html_lang(std::string_view locale);

std::string negotiate_locale(std::string_view accept_language, std::string_view fallback);

}  // namespace sealform::web

#endif  // SEALFORM_WEB_LOCALE_H_
