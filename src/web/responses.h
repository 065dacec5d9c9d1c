// responses.h: building complete responses: headers every answer carries,
// HTML pages, JSON bodies, redirects and error pages.
#ifndef SEALFORM_WEB_RESPONSES_H_
#define SEALFORM_WEB_RESPONSES_H_

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "web/context.h"
#include "web/http.h"

namespace sealform::web {

// The Content-Security-Policy: everything from this origin only, no
// framing, forms post here, no <base>. With an analytics origin (only after
// the visitor accepted analytics cookies) scripts, connections and images
// may also come from exactly that origin.
std::string content_security_policy(const std::string& analytics_origin);

// Content-Security-Policy, X-Content-Type-Options, Referrer-Policy,
// X-Frame-Options, Permissions-Policy; Cache-Control: no-store when the page
// carries a token or personal data.
void add_security_headers(Response& response, bool no_store);

// Renders `page` in `locale` inside the layout. The layout's request-
// dependent parts (consent banner, analytics script, language links) come
// from current_page() (page_scope.h); a page with the banner is no-store,
// since the banner carries a token. `banner_form_owner`, when not empty, is
// the id of a form on the page whose fields the banner's buttons post along
// (the enquiry form: without JavaScript, a consent choice is a page load
// and would otherwise lose what the visitor typed); the banner then
// follows the page's content (pages.cc), so that the form's own button
// stays its default one.
Response html_page(const AppContext& ctx, int status, std::string_view page,
                   std::string_view locale, const std::string& title, MustacheData page_data,
                   bool no_store, std::string_view banner_form_owner = {});

Response json_response(int status, const nlohmann::json& body);

Response redirect(const std::string& location);

// A page for `status` with its heading and message from the catalog
// ("error_<status>_heading", "error_<status>_body"); JSON when asked for.
Response error_response(const AppContext& ctx, int status, std::string_view locale,
                        bool wants_json);

// True if the client asked for JSON: Accept names application/json with a
// q-value above 0 and above that of text/html (a browser, or */*, gets HTML).
bool wants_json(const Request& request);

// Paths under the configured base path.
std::string form_path(const AppContext& ctx, std::string_view locale);
// "{base}{locale}/{page}", e.g. page "privacy".
std::string page_path(const AppContext& ctx, std::string_view locale, std::string_view page);
// "{base}consent", where the consent forms post.
std::string consent_path(const AppContext& ctx);

// The token scope of consent forms (TokenSigner's "locale"): a consent
// token cannot be used to post an enquiry, nor an enquiry token here.
inline constexpr std::string_view kConsentTokenScope = "consent";
// Retry-After on a 503 for storage that is unavailable.
inline constexpr int kRetryAfterUnavailableSeconds = 30;

}  // namespace sealform::web

#endif  // SEALFORM_WEB_RESPONSES_H_
