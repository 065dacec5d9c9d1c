// consent_handler.h: POST {base}consent, the visitor's analytics choice.
//
// The banner's and the cookie policy's buttons post here: consent_token
// (a TokenSigner token of scope "consent", no minimum age: a visitor may
// choose within a second; named apart from the enquiry form's "token" so
// the two forms on one page never mix them up),
// choice=accept|reject, return=<the page's path>. Order of checks (each
// refusal stores and sets nothing):
//   Content-Length missing or bad -> 400; over kMaxConsentBodyBytes -> 413;
//   not urlencoded -> 415; body malformed -> 400; Origin/Referer naming
//   another origin -> 403; token missing, forged or expired, or the choice
//   missing, unknown or given twice -> 403; no analytics configured -> 404.
// Then a proof row is stored (consent_records: random id, choice, policy
// version, time), and only after it is durable the cookie is set and the
// visitor is sent back with 303 to the return path if it is a safe local
// path (return_path.h), else to the form page. A JSON client (consent.js)
// gets 200 {"choice": ...} instead of the redirect.
#ifndef SEALFORM_WEB_CONSENT_HANDLER_H_
#define SEALFORM_WEB_CONSENT_HANDLER_H_

#include <cstdint>

#include "web/context.h"
#include "web/http.h"

namespace sealform::web {

inline constexpr std::int64_t kMaxConsentBodyBytes = 2048;
// A banner may sit in an open tab for a long time; the token only guards
// against cross-site posts (with the Origin check), so it may live a day.
inline constexpr int kConsentTokenLifetimeSeconds = 86400;

Response handle_consent(AppContext& ctx, const Request& request, BodySource& body);

}  // namespace sealform::web

#endif  // SEALFORM_WEB_CONSENT_HANDLER_H_
