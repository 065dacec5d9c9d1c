// context.h: what every handler reads: configuration, keys, pages, storage.
//
// Built once per Application (per worker, per reload); immutable after that
// except for the writer's queue, the read-connection pool, the wrap
// sessions, the rate-limit memo and counters, which are thread-safe.
// Internal to src/web/.
#ifndef SEALFORM_WEB_CONTEXT_H_
#define SEALFORM_WEB_CONTEXT_H_

#include <atomic>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <vector>

#include "core/config.h"
#include "core/keys.h"
#include "core/store.h"
#include "web/app.h"
#include "web/consent_cookie.h"
#include "web/intake_writer.h"
#include "web/pages.h"
#include "web/rate_memo.h"
#include "web/token.h"
#include "web/wrap_sessions.h"

namespace sealform::web {

// Read connections, one per concurrent user, reused across requests.
// A connection in use when an exception leaves is closed, not reused: it
// may keep the fault (SQLite opens a file it cannot write read-only, and
// that connection stays so after the file is writable again).
class StorePool {
 public:
  explicit StorePool(const Config& config) : config_(config) {}

  class Lease {
   public:
    Lease(StorePool* pool, std::unique_ptr<EnquiryStore> store)
        : pool_(pool), store_(std::move(store)), exceptions_(std::uncaught_exceptions()) {}
    ~Lease() {
      if (store_ && std::uncaught_exceptions() == exceptions_) pool_->give_back(std::move(store_));
    }
    // Closes the connection instead of returning it to the pool.
    void discard() { store_.reset(); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    EnquiryStore* operator->() { return store_.get(); }

   private:
    StorePool* pool_;
    std::unique_ptr<EnquiryStore> store_;
    int exceptions_;  // in flight when leased: more at the end means one left
  };

  Lease take();
  // A new connection, never one from the pool (it sees the file as it is now).
  Lease take_fresh();
  // How many connections wait in the pool.
  std::size_t idle() {
    std::lock_guard<std::mutex> lock(mutex_);
    return idle_.size();
  }

 private:
  void give_back(std::unique_ptr<EnquiryStore> store);
  const Config& config_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<EnquiryStore>> idle_;
};

struct AppContext {
  AppContext(const Config& cfg, SecretBytes web_secret);

  const std::uint64_t id;  // unique per context in this process (caches key on it)
  Config config;
  Clock clock;
  std::shared_ptr<const Pages> pages;
  SealPublicKey seal_key;
  WrapSessions wrap_sessions;  // for seal_key
  HmacKey index_key;           // the blind index's
  HmacKey rate_key;            // the rate limit's client keys
  HmacKey reference_key;       // references derived from form tokens
  RateLimitMemo rate_memo;
  TokenSigner tokens;
  ConsentSigner consent;  // the consent cookie's MAC (Subkey::kConsent)
  std::unique_ptr<IntakeWriter> writer;
  StorePool reads;
  std::atomic<std::uint64_t> honeypot_hits{0};
};

}  // namespace sealform::web

#endif  // SEALFORM_WEB_CONTEXT_H_
