// consent_handler.cc: recording a consent choice (see consent_handler.h).
#include "web/consent_handler.h"

#include <cstdio>
#include <string>

#include "core/error.h"
#include "core/form_body.h"
#include "core/seal.h"
#include "core/validate.h"
#include "web/consent_cookie.h"
#include "web/form_post.h"
#include "web/form_view.h"
#include "web/locale.h"
#include "web/page_scope.h"
#include "web/responses.h"
#include "web/return_path.h"

namespace sealform::web {
namespace {

// The locale of a return path's first segment, else negotiated.
std::string locale_of(const AppContext& ctx, const Request& request, const std::string& path) {
  const std::string& base = ctx.config.base_path;
  if (path.compare(0, base.size(), base) == 0) {
    const std::string first = path.substr(base.size(), 5);
    if (is_locale(first)) return first;
  }
  return negotiate_locale(request.header("accept-language"), ctx.config.default_locale);
}

}  // namespace

Response handle_consent(AppContext& ctx, const Request& request, BodySource& body) {
  const bool json = wants_json(request);
  const Config& config = ctx.config;
  std::string locale = negotiate_locale(request.header("accept-language"), config.default_locale);

  std::int64_t length = 0;
  if (!parse_content_length(request.content_length, &length))
    return error_response(ctx, 400, locale, json);
  if (length > max_consent_body_bytes(config)) return error_response(ctx, 413, locale, json);
  if (!is_form_urlencoded(request.content_type)) return error_response(ctx, 415, locale, json);
  std::optional<std::string> raw = body.read(static_cast<std::size_t>(length));
  if (!raw) return error_response(ctx, 400, locale, json);
  FormParseResult parsed = parse_form_body(*raw);
  if (!parsed.ok) return error_response(ctx, 400, locale, json);
  const FormFields& fields = parsed.fields;

  const std::string wanted = count_of(fields, "return") == 1 ? first_value(fields, "return") : "";
  const bool local = is_local_return_path(config.base_path, wanted);
  locale = locale_of(ctx, request, local ? wanted : "");
  const std::string destination = local ? wanted : form_path(ctx, locale);

  // The banner of the enquiry form posts the form's fields along
  // (form_view.h): if the visitor typed anything, every answer shows the
  // form again with it, and with its token while that is still good (the
  // minimum fill time keeps counting from the form's first showing).
  const bool carries_form = !json && count_of(fields, "token") > 0 && anything_typed(fields);
  const auto form_again = [&](int status, const ConsentState& consent, const char* notice_key) {
    PageView view;
    view.consent = consent;
    view.page = "enquiry";
    view.return_path = form_path(ctx, locale);
    ScopedPage scope(std::move(view));
    FormState state;
    state.typed = fields;
    state.notice_key = notice_key;  // no field errors: the form was not sent
    state.token = genuine_form_token(ctx, fields, locale, ctx.clock());
    return form_page(ctx, locale, status, state);
  };

  const bool foreign = from_another_origin(config.origin, request);
  const std::int64_t now = ctx.clock();
  const TokenVerdict token =
      count_of(fields, "consent_token") == 1
          ? ctx.tokens.verify(first_value(fields, "consent_token"), kConsentTokenScope, now, 0,
                              kConsentTokenLifetimeSeconds)
          : TokenVerdict{};
  const ConsentChoice choice = count_of(fields, "choice") == 1
                                   ? parse_choice(first_value(fields, "choice"))
                                   : ConsentChoice::kNone;
  // The consent token is no proof of who posted: any page can fetch one.
  // So an "accept" must also show that it comes from the site's own pages;
  // a page elsewhere could otherwise post one for a visitor whose browser
  // sends neither Origin nor Referer (some privacy tools strip both), and
  // analytics would run without that visitor's explicit choice. A "reject"
  // needs no such proof: forging one harms no one.
  const bool unproven_accept =
      choice == ConsentChoice::kAccept && !from_this_origin(config.origin, request);
  if (foreign || unproven_accept || token.check != TokenCheck::kValid ||
      choice == ConsentChoice::kNone) {
    if (carries_form) return form_again(403, current_page().consent, "notice_consent_not_saved");
    return error_response(ctx, 403, locale, json);
  }
  if (config.analytics_script_url.empty()) {
    if (carries_form) return form_again(404, current_page().consent, "notice_consent_not_saved");
    return error_response(ctx, 404, locale, json);
  }

  ConsentCookie cookie;
  cookie.choice = choice;
  cookie.policy_version = config.policy_version;
  cookie.chosen_at = now;
  cookie.consent_id = random_bytes(kConsentIdBytes);
  // Proof first: a choice the operator cannot demonstrate is not recorded
  // in the cookie either (a storage failure becomes a 503, nothing set).
  try {
    ctx.writes.take()->record_consent(cookie.consent_id, std::string(choice_name(choice)),
                                      cookie.policy_version, now);
  } catch (const StorageUnavailable& e) {
    std::fprintf(stderr, "sealform: %s: storage unavailable: %s\n", request.request_id.c_str(),
                 e.what());
    Response response = carries_form
                            ? form_again(503, current_page().consent, "notice_consent_unavailable")
                            : error_response(ctx, 503, locale, json);
    response.set_header("Retry-After", std::to_string(kRetryAfterUnavailableSeconds));
    return response;
  }

  Response response;
  if (json) {
    response = json_response(200, {{"choice", std::string(choice_name(choice))}});
  } else if (carries_form) {
    response =
        form_again(200, ConsentState{choice, false, cookie.consent_id}, "notice_consent_saved");
  } else {
    response = redirect(destination);
  }
  response.set_header("Set-Cookie",
                      consent_set_cookie(ctx.consent.encode(cookie), config, request.https));
  return response;
}

}  // namespace sealform::web
