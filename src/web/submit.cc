// submit.cc: taking one enquiry (see submit.h for the order of checks).
#include "web/submit.h"

#include <cstdio>
#include <string>
#include <memory>
#include <tuple>
#include <utility>

#include "core/db_connect.h"
#include "core/email.h"
#include "core/error.h"
#include "core/form_body.h"
#include "core/reference.h"
#include "core/seal.h"
#include "core/validate.h"
#include "web/client_key.h"
#include "web/form_post.h"
#include "web/form_view.h"
#include "web/notify.h"
#include "web/responses.h"

namespace sealform::web {
namespace {

constexpr int kMaxReferenceAttempts = 3;
const std::string kGlobalRateKey = "global";

Response too_many(const AppContext& ctx, std::string_view locale, bool json,
                  std::int64_t retry_after) {
  Response response = error_response(ctx, 429, locale, json);
  response.set_header("Retry-After", std::to_string(retry_after < 1 ? 1 : retry_after));
  return response;
}

// The answer to a stored submission, and the same answer to its replays
// (and to a honeypot hit, which must not look any different).
Response accepted(const AppContext& ctx, std::string_view locale, bool json,
                  const std::string& reference) {
  if (json) return json_response(201, {{"reference", reference}});
  return redirect(form_path(ctx, locale) + "/thanks?ref=" + reference);
}

// The form shown again with what was typed. `keep_token`, a token that
// verified, stays in it: a visitor who corrects a 422 at once is not
// refused as too fast, and one who sends again after a 503 whose
// submission was in fact stored gets the replay's answer, not a second
// row. "" gives a fresh token (one that did not verify).
Response reshow(const AppContext& ctx, std::string_view locale, int status, bool json,
                const FormFields& typed, const std::string& notice_key, const char* reason,
                const std::string& keep_token = "") {
  if (json) return json_response(status, {{"error", reason}});
  FormState state;
  state.typed = typed;
  state.notice_key = notice_key;
  state.token = keep_token;
  return form_page(ctx, locale, status, state);
}


const char* token_reason(TokenCheck check) {
  switch (check) {
    case TokenCheck::kMissing:
      return "token_missing";
    case TokenCheck::kForged:
      return "token_invalid";
    case TokenCheck::kExpired:
      return "token_expired";
    case TokenCheck::kTooFast:
      return "too_fast";
    case TokenCheck::kValid:
      break;
  }
  return "token_invalid";
}

// The record, and the session and epoch that sealed it (to move past before
// it is stored).
std::tuple<EnquiryRecord, std::shared_ptr<SealingSession>, std::uint32_t> seal_enquiry(
    AppContext& ctx, const Enquiry& enquiry, std::string reference, std::string_view locale,
    std::int64_t now) {
  EnquiryRecord record;
  record.reference = std::move(reference);
  record.created_at = now;
  record.category = enquiry.category;
  record.locale = std::string(locale);
  record.age_confirmed = enquiry.age_confirmed;
  record.retain = enquiry.retain;
  if (enquiry.retain) record.retain_changed_at = now;
  record.policy_version = ctx.config.policy_version;
  record.email_index = blind_index(ctx.index_key, enquiry.email);
  WrapSessions::Sealed sealed = ctx.wrap_sessions.seal(record.reference,
                                                       {{"name", enquiry.name},
                                                        {"company", enquiry.company},
                                                        {"job_title", enquiry.job_title},
                                                        {"email", enquiry.email},
                                                        {"message", enquiry.message}});
  record.sealed = std::move(sealed.record);
  return {std::move(record), std::move(sealed.session), sealed.epoch};
}

}  // namespace

// The issue time goes first, so that keys in the idempotency table arrive
// in about ascending order and each insert lands at the right edge of its
// index instead of on a random page.
std::string idempotency_key(const TokenVerdict& token) {
  std::string key(8, '\0');
  auto issued = static_cast<std::uint64_t>(token.issued_at);
  for (int i = 7; i >= 0; --i, issued >>= 8)
    key[static_cast<std::size_t>(i)] = static_cast<char>(issued & 0xff);
  return key + token.nonce;
}

namespace {

// The reference a form was stored under, if `fields` carry a valid token of
// a form stored before; nullopt otherwise, also when the store cannot say.
// A replay found by a lookup (not by the writer) may have been committed by
// some worker's writer in the moment between its commit and its sync of
// the WAL (with synchronous=FULL the sync runs on a second thread, and the
// first submission is answered only after it). Its answer must not come
// before the data is durable either: one fdatasync(2) of the WAL covers
// every commit before it, from any process. Throws StorageUnavailable.
std::optional<std::string> durable(const AppContext& ctx, std::optional<std::string> reference) {
  if (!reference || ctx.config.synchronous < Synchronous::kFull) return reference;
  // No WAL: a checkpoint has copied every commit into the database file
  // and synced it.
  const std::string failure = sync_file(ctx.config.database + "-wal", true);
  if (!failure.empty()) throw StorageUnavailable(failure);
  return reference;
}

std::optional<std::string> replayed(AppContext& ctx, const FormFields& fields,
                                    std::string_view locale, std::int64_t now) {
  if (count_of(fields, "token") != 1) return std::nullopt;
  const TokenVerdict token =
      ctx.tokens.verify(first_value(fields, "token"), locale, now, ctx.config.min_fill_seconds,
                        ctx.config.token_lifetime_seconds);
  if (token.check != TokenCheck::kValid) return std::nullopt;
  const std::string key = idempotency_key(token);
  try {
    return durable(ctx,
                   ctx.reads.take()->find_idempotent(key, reference_for(ctx.reference_key, key)));
  } catch (const StorageUnavailable&) {
    return std::nullopt;
  }
}

}  // namespace

Response handle_submit(AppContext& ctx, const Request& request, BodySource& body,
                       std::string_view locale) {
  const bool json = wants_json(request);
  const Config& config = ctx.config;

  std::int64_t length = 0;
  if (!parse_content_length(request.content_length, &length)) {
    return error_response(ctx, 400, locale, json);
  }
  if (length > config.max_body_bytes) return error_response(ctx, 413, locale, json);
  if (!is_form_urlencoded(request.content_type)) return error_response(ctx, 415, locale, json);

  const std::int64_t now = ctx.clock();
  const std::string client = client_key(ctx.rate_key, request.remote_addr);
  const std::int64_t client_window = now - now % config.per_client_window_seconds;
  const std::int64_t global_window = now - now % config.global_window_seconds;
  const std::vector<RateCounter> counters = {
      {client, client_window, config.per_client_limit},
      {kGlobalRateKey, global_window, config.global_limit},
  };
  const auto window_end = [&config](std::size_t counter, std::int64_t start) {
    return start + (counter == 0 ? config.per_client_window_seconds : config.global_window_seconds);
  };
  // The writer enforces the limits; a key it refused this window is
  // answered here, without sealing or queueing anything (rate_memo.h).
  std::optional<std::int64_t> limited_until;
  for (const RateCounter& counter : counters) {
    if ((limited_until = ctx.rate_memo.limited_until(counter.key, now))) break;
  }

  std::optional<std::string> raw = body.read(static_cast<std::size_t>(length));
  if (!raw) return error_response(ctx, 400, locale, json);
  FormParseResult parsed = parse_form_body(*raw);
  if (!parsed.ok) return error_response(ctx, 400, locale, json);
  const FormFields& fields = parsed.fields;

  // A replay is not a new submission: the form stored before still gets
  // its answer, as the writer would give it (it looks for a replay before
  // counting anything).
  if (limited_until) {
    if (!from_another_origin(config.origin, request)) {
      if (auto reference = replayed(ctx, fields, locale, now)) {
        return accepted(ctx, locale, json, *reference);
      }
    }
    return too_many(ctx, locale, json, *limited_until - now);
  }

  if (from_another_origin(config.origin, request)) {
    return reshow(ctx, locale, 403, json, fields, "notice_forbidden", "foreign_origin",
                  genuine_form_token(ctx, fields, locale, now));
  }

  const int token_count = count_of(fields, "token");
  TokenVerdict token =
      token_count == 1
          ? ctx.tokens.verify(first_value(fields, "token"), locale, now, config.min_fill_seconds,
                              config.token_lifetime_seconds)
          : TokenVerdict{token_count == 0 ? TokenCheck::kMissing : TokenCheck::kForged, "", 0};
  if (token.check != TokenCheck::kValid) {
    return reshow(ctx, locale, 403, json, fields, "notice_forbidden", token_reason(token.check));
  }
  try {
    // A token used before (a double click, a browser retry, the back button)
    // gets the first submission's answer. A valid submission learns that
    // from the writer, in the transaction that would store it; the paths
    // that store nothing look it up here.
    const std::string key = idempotency_key(token);
    const std::string derived_reference = reference_for(ctx.reference_key, key);
    const auto earlier = [&ctx, &key, &derived_reference] {
      return durable(ctx, ctx.reads.take()->find_idempotent(key, derived_reference));
    };
    if (!first_value(fields, config.honeypot_field).empty()) {
      if (auto reference = earlier()) return accepted(ctx, locale, json, *reference);
      const std::uint64_t hits = ++ctx.honeypot_hits;
      std::fprintf(stderr, "sealform: honeypot filled; not stored (%llu in this worker)\n",
                   static_cast<unsigned long long>(hits));
      // The reference a stored form would have had: posted again, it gets
      // the same answer, as a real replay does.
      return accepted(ctx, locale, json, derived_reference);
    }

    ValidationResult result = validate_enquiry(fields, config.categories);
    if (!result.ok()) {
      if (auto reference = earlier()) return accepted(ctx, locale, json, *reference);
      if (json) {
        nlohmann::json errors = nlohmann::json::object();
        for (const auto& [field, code] : result.errors) errors[field] = code;
        return json_response(422, {{"errors", errors}});
      }
      FormState state;
      state.typed = fields;
      state.errors = result.errors;
      state.token = first_value(fields, "token");  // verified above
      return form_page(ctx, locale, 422, state);
    }

    // The first try uses the reference derived from the token, which lets
    // the reference's row recognise a replay. Should another form's
    // reference be the same (about one in 2^50 per pair of forms), the
    // next tries use random references and the idempotency table.
    for (int attempt = 0; attempt < kMaxReferenceAttempts; ++attempt) {
      const bool derived = attempt == 0;
      Submission submission;
      PendingInsert& item = submission.insert;
      std::tie(item.record, submission.sealed_by, submission.epoch) = seal_enquiry(
          ctx, result.enquiry, derived ? derived_reference : new_reference(), locale, now);
      item.idempotency_key = key;
      item.idempotency_expires_at = token.issued_at + config.token_lifetime_seconds + 60;
      item.reference_from_key = derived;
      item.rate_counters = counters;
      BatchItemResult stored = ctx.writer->submit(std::move(submission));
      if (stored.ok && stored.outcome.over_limit) {
        const std::size_t which = *stored.outcome.over_limit;
        const std::int64_t until = window_end(which, counters.at(which).window_start);
        ctx.rate_memo.remember(counters[which].key, until, now);
        return too_many(ctx, locale, json, until - now);
      }
      if (stored.ok) {
        if (!stored.outcome.replayed) {
          notify_new_enquiry(config.notify_command, stored.outcome.reference,
                             result.enquiry.category);
        }
        return accepted(ctx, locale, json, stored.outcome.reference);
      }
      // Only a reference collision is worth another try with a new one.
      if (stored.error.find("duplicate reference") == std::string::npos) break;
    }
  } catch (const StorageUnavailable& e) {
    std::fprintf(stderr, "sealform: storage unavailable: %s\n", e.what());
    Response response = reshow(ctx, locale, 503, json, fields, "notice_unavailable", "unavailable",
                               first_value(fields, "token"));
    response.set_header("Retry-After", std::to_string(kRetryAfterUnavailableSeconds));
    return response;
  }
  std::fprintf(stderr, "sealform: enquiry could not be stored\n");
  Response response = reshow(ctx, locale, 503, json, fields, "notice_unavailable", "unavailable",
                             first_value(fields, "token"));
  response.set_header("Retry-After", std::to_string(kRetryAfterUnavailableSeconds));
  return response;
}

}  // namespace sealform::web
