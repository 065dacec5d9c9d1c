// form_cache.cc: the per-thread cache of fresh forms (see form_cache.h).
#include "web/form_cache.h"

#include <map>

#include "web/consent_cookie.h"
#include "web/page_scope.h"
#include "web/responses.h"

namespace sealform::web {
namespace {

// Variants per context are few (pages x 3 locales x 4 consent states x a
// return path and a thanks page's ?ref=); more than this means unusual
// return paths or references: start over.
constexpr std::size_t kMaxCachedPages = 256;

thread_local bool g_rendering = false;

struct ThreadCache {
  std::uint64_t context_id = 0;
  std::map<std::string, Response> pages;
};

void fill_slot(std::string& body, std::string_view slot, const std::string& value) {
  for (std::size_t at = body.find(slot); at != std::string::npos; at = body.find(slot, at)) {
    body.replace(at, slot.size(), value);
    at += value.size();
  }
}

}  // namespace

bool rendering_cached_page() { return g_rendering; }

Response cached_page(const AppContext& ctx, std::string_view name, std::string_view locale,
                     const std::function<Response()>& render) {
  thread_local ThreadCache cache;
  if (cache.context_id != ctx.id || cache.pages.size() >= kMaxCachedPages) {
    cache.pages.clear();
    cache.context_id = ctx.id;
  }
  const PageView& view = current_page();
  const std::string key =
      std::string(name) + '|' + std::string(locale) + '|' + (view.consent.chosen() ? 'c' : '-') +
      (view.consent.accepted() ? 'a' : '-') + (view.consent.outdated ? 'o' : '-') + '|' +
      view.page + '|' + view.page_query + '|' + view.return_path;
  auto cached = cache.pages.find(key);
  if (cached == cache.pages.end()) {
    g_rendering = true;
    Response rendered;
    try {
      rendered = render();
    } catch (...) {
      g_rendering = false;
      throw;
    }
    g_rendering = false;
    cached = cache.pages.emplace(key, std::move(rendered)).first;
  }
  Response response = cached->second;
  const std::int64_t now = ctx.clock();
  if (response.body.find(kFormTokenSlot) != std::string::npos) {
    fill_slot(response.body, kFormTokenSlot, ctx.tokens.issue(now, locale));
  }
  if (response.body.find(kConsentTokenSlot) != std::string::npos) {
    fill_slot(response.body, kConsentTokenSlot, ctx.tokens.issue(now, kConsentTokenScope));
  }
  return response;
}

}  // namespace sealform::web
