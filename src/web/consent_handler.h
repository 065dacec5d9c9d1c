// consent_handler.h: POST {base}consent, the visitor's analytics choice.
//
// The banner's and the cookie policy's buttons post here: consent_token
// (a TokenSigner token of scope "consent", no minimum age: a visitor may
// choose within a second; named apart from the enquiry form's "token" so
// the two forms on one page never mix them up),
// choice=accept|reject, return=<the page's path>. Order of checks (each
// refusal stores and sets nothing):
//   Content-Length missing or bad -> 400; over max_consent_body_bytes() -> 413;
//   not urlencoded -> 415; body malformed -> 400; Origin/Referer naming
//   another origin -> 403; token missing, forged or expired, or the choice
//   missing, unknown or given twice -> 403; no analytics configured -> 404.
// Then a proof row is stored (consent_records: random id, choice, policy
// version, time), and only after it is durable the cookie is set and the
// visitor is sent back with 303 to the return path if it is a safe local
// path (return_path.h), else to the form page. A JSON client (consent.js)
// gets 200 {"choice": ...} instead of the redirect.
//
// On the enquiry form page the banner's buttons belong to the enquiry form
// (form_view.h), so that a choice made without JavaScript posts the form's
// fields along. Such a post (it has the form's "token") in which the
// visitor typed or chose anything is answered with the form again, never
// with the redirect, which would lose the text: 200 with the choice saved
// and a notice that the enquiry is not sent yet (no field errors: it was
// not sent); a refused token or origin 403, no analytics configured 404,
// storage unavailable 503 + Retry-After, each with the form, its text and
// a notice that the choice was not saved. Without the form, storage
// unavailable is a 503 page in the return path's language. The form's token is kept while it is
// still valid. The fields are only shown again, never stored or logged
// here. With nothing typed, the answers are the usual ones.
#ifndef SEALFORM_WEB_CONSENT_HANDLER_H_
#define SEALFORM_WEB_CONSENT_HANDLER_H_

#include <algorithm>
#include <cstdint>

#include "core/config.h"
#include "web/context.h"
#include "web/http.h"

namespace sealform::web {

inline constexpr std::int64_t kMaxConsentBodyBytes = 2048;
// The largest body read: a choice is small, but a re-shown form's banner
// posts the enquiry's fields along, up to the form's own limit.
inline std::int64_t max_consent_body_bytes(const Config& config) {
  return std::max(kMaxConsentBodyBytes, config.max_body_bytes);
}
// A banner may sit in an open tab for a long time; the token only guards
// against cross-site posts (with the Origin check), so it may live a day.
inline constexpr int kConsentTokenLifetimeSeconds = 86400;

Response handle_consent(AppContext& ctx, const Request& request, BodySource& body);

}  // namespace sealform::web

#endif  // SEALFORM_WEB_CONSENT_HANDLER_H_
