// form_cache.h: fresh forms and error pages from a per-thread page cache.
//
// A fresh form (no typed values, no errors, no notice) differs between
// requests only in its two tokens: the form's anti-forgery token and, while
// the consent banner shows, the consent form's token. Rendering it through
// the templates for every GET costs most of the request, so the page is
// rendered once per thread and variant (locale; banner shown, outdated or
// not; analytics accepted; page and return path) with fixed slot markers where the
// tokens go, and each request copies it and puts fresh tokens in the slots.
// Error pages (404, 405, 413, 429, ...) are static the same way and share
// the cache. The cache belongs to one AppContext (a reload builds a new one)
// and holds a few pages per locale; it never holds personal data.
#ifndef SEALFORM_WEB_FORM_CACHE_H_
#define SEALFORM_WEB_FORM_CACHE_H_

#include <functional>
#include <string>
#include <string_view>

#include "web/context.h"
#include "web/http.h"

namespace sealform::web {

// Markers the templates receive instead of tokens while a cacheable page is
// rendered. They contain no character the HTML escaper changes.
inline constexpr std::string_view kFormTokenSlot = "\x01sealform-form-token\x01";
inline constexpr std::string_view kConsentTokenSlot = "\x01sealform-consent-token\x01";

// True while a page for the cache is being rendered: html_page() then puts
// kConsentTokenSlot where the consent token goes.
bool rendering_cached_page();

// The page `name` for `locale`: from the cache, or rendered by `render`
// (called with slot rendering on) and cached, then given fresh tokens.
// Only for pages without personal data: fresh forms and error pages.
Response cached_page(const AppContext& ctx, std::string_view name, std::string_view locale,
                     const std::function<Response()>& render);

}  // namespace sealform::web

#endif  // SEALFORM_WEB_FORM_CACHE_H_
