// context.h: what every handler reads: configuration, keys, pages, storage.
//
// Built once per Application (per worker, per reload); immutable after that
// except for the writer's queue, the read-connection pool, the wrap
// sessions, the rate-limit memo and counters, which are thread-safe.
// Internal to src/web/.
#ifndef SEALFORM_WEB_CONTEXT_H_
#define SEALFORM_WEB_CONTEXT_H_

#include <atomic>
#include <condition_variable>
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

// Connections besides the writer's, reused across requests. A pool for
// lookups opens at most kMaxLookupConnections at a time, each with a small
// page cache (a lookup reads a few pages in microseconds and never waits
// for a lock, so a few serve every thread of a worker; take() waits for
// one when all are out). A pool for writes (a consent proof row, the
// health probe), which may wait for the write lock, opens one per
// concurrent user, so a waiting write never holds up a lookup. A
// connection in use when an exception leaves is closed, not reused: it may
// keep the fault (SQLite opens a file it cannot write read-only, and that
// connection stays so after the file is writable again).
class StorePool {
 public:
  enum class Use { kLookups, kWrites };
  static constexpr std::size_t kMaxLookupConnections = 4;

  StorePool(const Config& config, Use use)
      : config_(config),
        use_(use),
        max_connections_(use == Use::kLookups ? kMaxLookupConnections : SIZE_MAX) {}

  class Lease {
   public:
    Lease(StorePool* pool, std::unique_ptr<EnquiryStore> store)
        : pool_(pool), store_(std::move(store)), exceptions_(std::uncaught_exceptions()) {}
    ~Lease() {
      if (!store_) return;
      if (std::uncaught_exceptions() == exceptions_) {
        pool_->give_back(std::move(store_));
      } else {
        discard();
      }
    }
    // Closes the connection instead of returning it to the pool.
    void discard() {
      if (!store_) return;
      store_.reset();
      pool_->closed_one();
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    EnquiryStore* operator->() { return store_.get(); }

   private:
    StorePool* pool_;
    std::unique_ptr<EnquiryStore> store_;
    int exceptions_;  // in flight when leased: more at the end means one left
  };

  Lease take();
  // A new connection, never one from the pool (it sees the file as it is
  // now); the oldest idle one makes room for it if all are open.
  Lease take_fresh();
  // How many connections wait in the pool, and how many are open.
  std::size_t idle() {
    std::lock_guard<std::mutex> lock(mutex_);
    return idle_.size();
  }
  std::size_t open() {
    std::lock_guard<std::mutex> lock(mutex_);
    return open_;
  }

 private:
  void give_back(std::unique_ptr<EnquiryStore> store);
  void closed_one();
  // A new connection, counted in open_ already by the caller.
  Lease open_counted();
  const Config& config_;
  const Use use_;
  const std::size_t max_connections_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::size_t open_ = 0;  // leased and idle together
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
  StorePool reads;   // lookups: replays
  StorePool writes;  // consent proof rows, the health probe
  std::atomic<std::uint64_t> honeypot_hits{0};
};

}  // namespace sealform::web

#endif  // SEALFORM_WEB_CONTEXT_H_
