// policy_view.h: the privacy policy and the cookie policy pages.
//
// The policy text is sealform's own (www/messages/<locale>.json, keys
// privacy_* and cookies_*); every fact in it is rendered from the running
// configuration and code, so page and behaviour cannot drift:
//   privacy: organisation, contact address, data location, policy version
//     and date from [site]; what is collected from core/fields.h's
//     kEnquiryFields (labels from the catalog, "encrypted" for exactly the
//     personal-text fields, maximum lengths from the same specs the
//     validator uses); the retention period from [retention]; the consent
//     proof's keeping period; the cookie lifetime from the cookie registry.
//   cookies: sealform's own cookies from cookie_registry.h, the analytics
//     cookies from [cookies] analytics_cookies, the visitor's current choice
//     (page_scope.h) and the two buttons to change it.
#ifndef SEALFORM_WEB_POLICY_VIEW_H_
#define SEALFORM_WEB_POLICY_VIEW_H_

#include <string_view>

#include "web/context.h"
#include "web/http.h"

namespace sealform::web {

Response privacy_page(const AppContext& ctx, std::string_view locale);
Response cookies_page(const AppContext& ctx, std::string_view locale);

}  // namespace sealform::web

#endif  // SEALFORM_WEB_POLICY_VIEW_H_
