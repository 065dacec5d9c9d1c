// responses.cc: complete responses with the headers every answer carries.
#include "web/responses.h"

#include "web/accept_header.h"
#include "web/form_cache.h"
#include "web/locale.h"
#include "web/page_scope.h"

namespace sealform::web {
namespace {

using kainjow::mustache::list;

// The language switcher and the <link rel="alternate"> list: every locale,
// named in its own language, each pointing at the same page.
list language_links(const AppContext& ctx, std::string_view locale, const PageView& view) {
  list links;
  for (std::string_view other : kLocales) {
    MustacheData link(MustacheData::type::object);
    const std::string path = view.page.empty() ? form_path(ctx, other)
                                               : page_path(ctx, other, view.page) + view.page_query;
    link.set("href", path);
    link.set("absolute_href", ctx.config.origin + path);
    link.set("hreflang", html_lang(other));
    link.set("name", ctx.pages->catalog(other).text("language_name"));
    link.set("current", other == locale);
    links.push_back(link);
  }
  return links;
}

}  // namespace

std::string content_security_policy(const std::string& analytics_origin) {
  std::string policy = "default-src 'self'; ";
  if (!analytics_origin.empty()) {
    policy += "script-src 'self' " + analytics_origin + "; connect-src 'self' " + analytics_origin +
              "; img-src 'self' " + analytics_origin + "; ";
  }
  return policy + "frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
}

void add_security_headers(Response& response, bool no_store) {
  response.set_header("Content-Security-Policy", content_security_policy(""));
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("Referrer-Policy", "same-origin");
  response.set_header("X-Frame-Options", "DENY");
  response.set_header("Permissions-Policy",
                      "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
                      "interest-cohort=()");
  if (no_store) response.set_header("Cache-Control", "no-store");
}

std::string form_path(const AppContext& ctx, std::string_view locale) {
  return page_path(ctx, locale, "enquiry");
}

std::string page_path(const AppContext& ctx, std::string_view locale, std::string_view page) {
  return ctx.config.base_path + std::string(locale) + "/" + std::string(page);
}

std::string consent_path(const AppContext& ctx) { return ctx.config.base_path + "consent"; }

Response html_page(const AppContext& ctx, int status, std::string_view page,
                   std::string_view locale, const std::string& title, MustacheData page_data,
                   bool no_store, std::string_view banner_form_owner) {
  const PageView& view = current_page();
  const bool analytics = !ctx.config.analytics_script_url.empty();
  const bool banner = analytics && !view.consent.chosen();
  // Never on the thanks page, whatever the choice, nor on another page
  // (an error) answered at its address: the address carries the enquiry's
  // reference, which a third-party script could read and tie to its own
  // cookie.
  const bool at_thanks_address = page == "thanks" || view.page == "enquiry/thanks";
  const bool load_analytics = analytics && view.consent.accepted() && !at_thanks_address;
  MustacheData layout(MustacheData::type::object);
  layout.set("lang", html_lang(locale));
  layout.set("locale", std::string(locale));
  layout.set("title", title);
  layout.set("organisation", ctx.config.organisation_in(locale));
  layout.set("static", ctx.config.base_path + "static/");
  layout.set("asset_query", ctx.pages->asset_query());
  layout.set("languages", language_links(ctx, locale, view));
  layout.set("privacy_href", page_path(ctx, locale, "privacy"));
  layout.set("cookies_href", page_path(ctx, locale, "cookies"));
  layout.set("preferences_href", page_path(ctx, locale, "cookies") + "#preferences");
  if (banner) {
    layout.set("banner", true);
    layout.set("consent_action", consent_path(ctx));
    layout.set("consent_token", rendering_cached_page()
                                    ? std::string(kConsentTokenSlot)
                                    : ctx.tokens.issue(ctx.clock(), kConsentTokenScope));
    layout.set("return_path", view.return_path);
    if (!banner_form_owner.empty()) layout.set("banner_form_owner", std::string(banner_form_owner));
    layout.set("banner_text", ctx.pages->catalog(locale).text(
                                  view.consent.outdated ? "banner_text_changed" : "banner_text"));
  }
  if (load_analytics) layout.set("analytics_src", ctx.config.analytics_script_url);
  page_data.set("form_href", form_path(ctx, locale));
  Response response;
  response.status = status;
  response.set_header("Content-Type", "text/html; charset=utf-8");
  response.set_header("Content-Language", html_lang(locale));
  response.set_header("Vary", "Cookie");
  add_security_headers(response, no_store || banner);
  if (load_analytics) {
    response.set_header("Content-Security-Policy",
                        content_security_policy(ctx.config.analytics_origin()));
  }
  response.body = ctx.pages->render(page, locale, std::move(page_data), std::move(layout));
  return response;
}

Response json_response(int status, const nlohmann::json& body) {
  Response response;
  response.status = status;
  response.set_header("Content-Type", "application/json; charset=utf-8");
  add_security_headers(response, true);
  response.body = body.dump() + "\n";
  return response;
}

Response redirect(const std::string& location) {
  Response response;
  response.status = 303;
  response.set_header("Location", location);
  response.set_header("Content-Type", "text/plain; charset=utf-8");
  add_security_headers(response, true);
  response.body = "See " + location + "\n";
  return response;
}

bool wants_json(const Request& request) {
  const std::vector<WeightedRange> accepted = parse_weighted(request.header("accept"));
  const int json = weight_of(accepted, "application/json");
  return json > 0 && json > weight_of(accepted, "text/html");
}

Response error_response(const AppContext& ctx, int status, std::string_view locale, bool json) {
  const std::string code = std::to_string(status);
  const Catalog& texts = ctx.pages->catalog(locale);
  // An error's form (JSON or HTML) follows Accept, and its language, at
  // an address without a locale, Accept-Language: a cache must know.
  if (json) {
    Response response =
        json_response(status, {{"error", texts.text("error_" + code + "_heading")}});
    response.set_header("Vary", "Accept, Accept-Language");
    return response;
  }
  // Error pages hold no request data: rendered once per thread and variant.
  Response page = cached_page(ctx, "error-" + code, locale, [&] {
    if (status == 404) {
      return html_page(ctx, 404, "not_found", locale, texts.text("not_found_title"),
                       MustacheData(MustacheData::type::object), false);
    }
    MustacheData data(MustacheData::type::object);
    data.set("heading", texts.text("error_" + code + "_heading"));
    data.set("message", texts.text("error_" + code + "_body"));
    return html_page(ctx, status, "error", locale, texts.text("error_" + code + "_heading"),
                     std::move(data), true);
  });
  page.set_header("Vary", "Cookie, Accept, Accept-Language");
  return page;
}

}  // namespace sealform::web
