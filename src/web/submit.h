// submit.h: POST /{locale}/enquiry, from the raw request to one answer.
//
// Order of checks (each refusal changes nothing):
//   Content-Length missing or not digits -> 400; over max_body_bytes -> 413
//   (the body is not read); media type not urlencoded -> 415; body shorter
//   than announced or malformed -> 400; a client (or the global counter)
//   already refused this window -> 429 + Retry-After (rate_memo.h), unless
//   the body is a replay of a stored form; Origin/Referer naming another
//   origin, or a token missing, forged, expired or too fresh -> 403 with
//   the form re-shown; honeypot filled -> the 303 (or 201) a success gets,
//   with the reference the token would have given, nothing stored; invalid
//   fields -> 422 with the form re-shown. Then the writer, in one
//   transaction: over the per-client or global limit -> 429 + Retry-After;
//   storage unavailable -> 503 + Retry-After, form re-shown; success -> 303
//   to the thanks page (201 JSON for JSON clients). A token seen before
//   gets the original 303/201 instead of the 429, the honeypot's answer,
//   the 422 or a new row (idempotent). The enquiry's reference is derived
//   from the token (reference_for in core/reference.h), so that its row
//   recognises a replay; a random one is used if another form's row took
//   it.
#ifndef SEALFORM_WEB_SUBMIT_H_
#define SEALFORM_WEB_SUBMIT_H_

#include <string>
#include <string_view>

#include "web/context.h"
#include "web/http.h"
#include "web/token.h"

namespace sealform::web {

Response handle_submit(AppContext& ctx, const Request& request, BodySource& body,
                       std::string_view locale);

// What makes a submission a replay: its token's issue time (8 bytes,
// big-endian) and nonce. Exposed for tests.
std::string idempotency_key(const TokenVerdict& token);

}  // namespace sealform::web

#endif  // SEALFORM_WEB_SUBMIT_H_
