// app.cc: the router and the Application every worker builds once.
//
// Routes, under the configured base path (default "/"):
//   GET  /                         303 to /{locale}/enquiry (Accept-Language)
//   GET  /{locale}/enquiry         the form
//   POST /{locale}/enquiry         a submission (submit.cc)
//   GET  /{locale}/enquiry/thanks  the confirmation with its reference
//   GET  /{locale}/privacy         the privacy policy (policy_view.h)
//   GET  /{locale}/cookies         the cookie policy and consent controls
//   POST /consent                  the analytics choice (consent_handler.h)
//   GET  /healthz                  200 "ok" when the database is writable and its
//                                  file system has kHealthMinFreeBytes free
// HEAD is answered like GET (the adapter drops the body). A known path with
// another method gets 405 and Allow; anything else the 404 page.
#include "web/app.h"

#include <sys/statvfs.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "core/error.h"
#include "core/keys.h"
#include "core/reference.h"
#include "core/wal_checkpointer.h"
#include "web/consent_handler.h"
#include "web/context.h"
#include "web/form_view.h"
#include "web/locale.h"
#include "web/page_scope.h"
#include "web/policy_view.h"
#include "web/responses.h"
#include "web/return_path.h"
#include "web/submit.h"

namespace sealform::web {

std::int64_t system_clock_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

StorePool::Lease StorePool::take() {
  {
    std::unique_lock<std::mutex> lock(mutex_);
    returned_.wait(lock, [this] { return !idle_.empty() || open_ < max_connections_; });
    if (!idle_.empty()) {
      std::unique_ptr<EnquiryStore> store = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(store));
    }
    ++open_;
  }
  return open_counted();
}

StorePool::Lease StorePool::take_fresh() {
  std::unique_ptr<EnquiryStore> oldest;  // closed outside the lock
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (open_ >= max_connections_ && !idle_.empty()) {
      oldest = std::move(idle_.front());
      idle_.erase(idle_.begin());
    } else {
      ++open_;  // over the limit while every connection is out: briefly
    }
  }
  return open_counted();
}

StorePool::Lease StorePool::open_counted() {
  try {
    return Lease(this, use_ == Use::kLookups ? open_sqlite_lookup_store(config_)
                                             : open_sqlite_store(config_));
  } catch (...) {
    closed_one();
    throw;
  }
}

void StorePool::give_back(std::unique_ptr<EnquiryStore> store) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (open_ <= max_connections_) {
      idle_.push_back(std::move(store));
    } else {
      --open_;  // one more than the limit (take_fresh): this one goes
    }
  }
  store.reset();
  returned_.notify_one();
}

void StorePool::closed_one() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    --open_;
  }
  returned_.notify_one();
}

namespace {
std::atomic<std::uint64_t> next_context_id{1};

// /healthz says unavailable with less free space than this where the
// database lives: room for a batch and for the WAL to grow a little.
constexpr unsigned long long kHealthMinFreeBytes = 8ULL << 20;

// Every configured category needs a label in every language: a missing one
// would show its bare key on the form and the privacy page.
const std::shared_ptr<const Pages>& with_category_labels(const std::shared_ptr<const Pages>& pages,
                                                         const Config& config) {
  for (const std::string& category : config.categories) {
    for (std::string_view locale : kLocales) {
      if (!pages->catalog(locale).has("category_" + category)) {
        throw Error("form.categories: '" + category + "' has no label in " + config.data_directory +
                    "/messages/" + std::string(locale) + ".json (add \"category_" + category +
                    "\")");
      }
    }
  }
  return pages;
}
}  // namespace

AppContext::AppContext(const Config& cfg, SecretBytes web_secret)
    : id(next_context_id++),
      config(cfg),
      clock(&system_clock_seconds),
      pages(with_category_labels(Pages::load(cfg.data_directory), cfg)),
      seal_key(load_current_public_key(cfg.key_directory)),
      wrap_sessions(seal_key),
      index_key(derive_subkey(web_secret, Subkey::kBlindIndex)),
      rate_key(derive_subkey(web_secret, Subkey::kRateLimit)),
      reference_key(derive_subkey(web_secret, Subkey::kReference)),
      tokens(derive_subkey(web_secret, Subkey::kCsrf)),
      consent(derive_subkey(web_secret, Subkey::kConsent)),
      reads(config, StorePool::Use::kLookups),
      writes(config, StorePool::Use::kWrites) {}

namespace {

struct Route {
  enum Kind {
    kRoot,
    kForm,
    kThanks,
    kPrivacy,
    kCookies,
    kConsent,
    kHealth,
    kNotFound
  } kind = kNotFound;
  std::string locale;
  std::string page;  // the path after "/{locale}/" for a page route
};

Route match(const AppContext& ctx, const std::string& path) {
  Route route;
  const std::string& base = ctx.config.base_path;
  const std::string prefix = base.substr(0, base.size() - 1);  // without the trailing '/'
  if (path == base || path == prefix) {
    route.kind = Route::kRoot;
    return route;
  }
  if (path.compare(0, base.size(), base) != 0) return route;
  const std::string rest = path.substr(base.size());
  if (rest == "healthz") {
    route.kind = Route::kHealth;
    return route;
  }
  if (rest == "consent") {
    route.kind = Route::kConsent;
    return route;
  }
  const auto slash = rest.find('/');
  if (slash == std::string::npos) return route;
  const std::string locale = rest.substr(0, slash);
  const std::string page = rest.substr(slash + 1);
  if (!is_locale(locale)) return route;
  route.locale = locale;
  if (page == "enquiry") route.kind = Route::kForm;
  if (page == "enquiry/thanks") route.kind = Route::kThanks;
  if (page == "privacy") route.kind = Route::kPrivacy;
  if (page == "cookies") route.kind = Route::kCookies;
  if (route.kind != Route::kNotFound) route.page = page;
  return route;
}

// The locale for a 404: the path's first segment if it is one, else negotiated.
std::string locale_for_error(const AppContext& ctx, const Request& request) {
  const std::string& base = ctx.config.base_path;
  if (request.path.compare(0, base.size(), base) == 0) {
    std::string first = request.path.substr(base.size(), 5);
    if (is_locale(first)) return first;
  }
  return negotiate_locale(request.header("accept-language"), ctx.config.default_locale);
}

std::string query_param(const std::string& query, const std::string& name) {
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    const std::string item = query.substr(start, end - start);
    if (item.compare(0, name.size() + 1, name + "=") == 0) return item.substr(name.size() + 1);
    start = end + 1;
  }
  return "";
}

Response method_not_allowed(const AppContext& ctx, const std::string& locale, const char* allow,
                            bool json) {
  Response response = error_response(ctx, 405, locale, json);
  response.set_header("Allow", allow);
  return response;
}

class WebApplication : public Application {
 public:
  WebApplication(const Config& config, WriterMode mode, Clock clock)
      : ctx_(config, load_web_secret(web_secret_path(config.key_directory))) {
    ctx_.clock = clock;
    if (mode == WriterMode::kGroupCommit) {
      // The writer's stores hand checkpoints to a thread of their own; the
      // factory (kept by the writer, which outlives its stores) owns it.
      const std::string turn_path = config.database + ".writer-lock";
      auto checkpointer =
          std::make_shared<WalCheckpointer>(config.database, config.synchronous, turn_path);
      // synchronous=FULL syncs the WAL in every commit; the writer does that
      // itself, after the commit and before answering, so that the next
      // batch need not wait for the disk (intake_writer.h).
      const bool writer_syncs = config.synchronous == Synchronous::kFull;
      Config store_config = config;
      if (writer_syncs) store_config.synchronous = Synchronous::kNormal;
      StoreFactory open_store = [store_config, checkpointer] {
        return open_sqlite_store(store_config, checkpointer.get());
      };
      ctx_.writer = make_group_commit_writer(open_store, turn_path,
                                             writer_syncs ? config.database + "-wal" : "");
    } else {
      ctx_.writer = make_direct_writer([config] { return open_sqlite_store(config); });
    }
  }

  const Config& config() const override { return ctx_.config; }

  void expire_secrets() override { ctx_.wrap_sessions.drop_if_old(); }

  Response handle(const Request& request, BodySource& body) override {
    Response response;
    std::string locale = ctx_.config.default_locale;
    try {
      ScopedPage scope(page_view(request));
      response = route(request, body, &locale);
    } catch (const StorageUnavailable& e) {
      std::fprintf(stderr, "sealform: %s: storage unavailable: %s\n", request.request_id.c_str(),
                   e.what());
      response = error_response(ctx_, 503, locale, wants_json(request));
      response.set_header("Retry-After", std::to_string(kRetryAfterUnavailableSeconds));
      response.route = "unavailable";
    } catch (const std::exception& e) {
      // Messages from the core never carry field values.
      std::fprintf(stderr, "sealform: %s: internal error: %s\n", request.request_id.c_str(),
                   e.what());
      response = internal_error(locale, wants_json(request));
    }
    return response;
  }

 private:
  // The 500 page in the visitor's language; plain text if even that fails.
  Response internal_error(const std::string& locale, bool json) {
    Response response;
    try {
      response = error_response(ctx_, 500, locale, json);
    } catch (const std::exception&) {
      response = Response();
      response.status = 500;
      response.set_header("Content-Type", "text/plain; charset=utf-8");
      add_security_headers(response, true);
      response.body = "Internal error. Please try again later.\n";
    }
    response.route = "error";
    return response;
  }

  Response route(const Request& request, BodySource& body, std::string* locale) {
    const bool json = wants_json(request);
    const bool get = request.method == "GET" || request.method == "HEAD";
    Route route = match(ctx_, request.path);
    if (!route.locale.empty()) *locale = route.locale;
    Response response;
    switch (route.kind) {
      case Route::kRoot:
        if (!get) return named(method_not_allowed(ctx_, *locale, "GET, HEAD", json), "root");
        response = redirect(form_path(
            ctx_, negotiate_locale(request.header("accept-language"), ctx_.config.default_locale)));
        response.set_header("Vary", "Accept-Language");
        return named(std::move(response), "root");
      case Route::kForm:
        if (get) return named(form_page(ctx_, route.locale, 200, FormState()), "form");
        if (request.method == "POST") {
          return named(handle_submit(ctx_, request, body, route.locale), "submit");
        }
        return named(method_not_allowed(ctx_, *locale, "GET, HEAD, POST", json), "form");
      case Route::kThanks:
        if (!get) return named(method_not_allowed(ctx_, *locale, "GET, HEAD", json), "thanks");
        return named(thanks(route.locale, request), "thanks");
      case Route::kPrivacy:
        if (!get) return named(method_not_allowed(ctx_, *locale, "GET, HEAD", json), "privacy");
        return named(privacy_page(ctx_, route.locale), "privacy");
      case Route::kCookies:
        if (!get) return named(method_not_allowed(ctx_, *locale, "GET, HEAD", json), "cookies");
        return named(cookies_page(ctx_, route.locale), "cookies");
      case Route::kConsent:
        if (request.method != "POST") {
          *locale = locale_for_error(ctx_, request);
          return named(method_not_allowed(ctx_, *locale, "POST", json), "consent");
        }
        return named(handle_consent(ctx_, request, body), "consent");
      case Route::kHealth:
        if (!get) return named(method_not_allowed(ctx_, *locale, "GET, HEAD", json), "healthz");
        return named(health(), "healthz");
      case Route::kNotFound:
        break;
    }
    *locale = locale_for_error(ctx_, request);
    return named(error_response(ctx_, 404, *locale, json), "not_found");
  }

  // The layout's per-request view: consent from the Cookie header, the
  // page for language links, and the path the consent form returns to.
  PageView page_view(const Request& request) const {
    PageView view;
    view.consent = read_consent(ctx_.consent, request.header("cookie"), ctx_.config, ctx_.clock());
    view.page = match(ctx_, request.path).page;
    if (view.page == "enquiry/thanks") {
      if (auto reference = parse_reference(query_param(request.query, "ref"))) {
        view.page_query = "?ref=" + *reference;
      }
    }
    std::string here = request.path;
    if (!request.query.empty()) here += "?" + request.query;
    if (is_local_return_path(ctx_.config.base_path, here)) view.return_path = here;
    return view;
  }

  static Response named(Response response, const char* route) {
    response.route = route;
    return response;
  }

  Response thanks(const std::string& locale, const Request& request) {
    const Catalog& texts = ctx_.pages->catalog(locale);
    MustacheData data(MustacheData::type::object);
    if (auto reference = parse_reference(query_param(request.query, "ref"))) {
      data.set("reference", *reference);
    }
    return html_page(ctx_, 200, "thanks", locale, texts.text("thanks_title"), std::move(data),
                     true);
  }

  // Writable now: a pooled connection that fails may carry a past fault
  // (one opened while the file was read-only stays read-only; one that met
  // an I/O error may keep it), so it is closed and a fresh connection,
  // which sees the file as it is now, gets the last word.
  bool storage_writable() {
    for (int attempt = 0; attempt < 2; ++attempt) {
      try {
        auto store = attempt == 0 ? ctx_.writes.take() : ctx_.writes.take_fresh();
        if (store->writable()) return true;
        store.discard();
      } catch (const Error&) {
      }
    }
    return false;
  }

  // A nearly full disk still lets the health check's one-row write through
  // (into space the WAL already has) while a post's batch fails: below
  // kHealthMinFreeBytes free for unprivileged users where the database
  // lives, the check says unavailable before posts start failing. A
  // file system that cannot be asked is left to the write check.
  bool disk_has_room() const {
    std::string directory = std::filesystem::path(ctx_.config.database).parent_path().string();
    if (directory.empty()) directory = ".";
    struct statvfs fs {};
    if (statvfs(directory.c_str(), &fs) != 0) return true;
    return static_cast<unsigned long long>(fs.f_bavail) * fs.f_frsize >= kHealthMinFreeBytes;
  }

  Response health() {
    const bool writable = storage_writable() && disk_has_room();
    Response response;
    response.status = writable ? 200 : 503;
    response.set_header("Content-Type", "text/plain; charset=utf-8");
    add_security_headers(response, true);
    response.body = writable ? "ok\n" : "unavailable\n";
    return response;
  }

  AppContext ctx_;
};

}  // namespace

std::unique_ptr<Application> make_application(const Config& config, WriterMode mode, Clock clock) {
  return std::make_unique<WebApplication>(config, mode, clock);
}

}  // namespace sealform::web
