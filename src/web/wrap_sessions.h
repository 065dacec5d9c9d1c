// wrap_sessions.h: a worker's sealing sessions for its seal key, and the
// rule that keeps the web tier from ever holding a secret that opens a
// stored enquiry.
//
// A WrapSession (core/seal.h) is one ephemeral X25519 agreement from which
// the wrap keys of many enquiries are derived, so that they share its two
// scalar multiplications. Its chain key could unwrap the data key of every
// enquiry sealed under it. DESIGN.md's promise 3 (the web tier can encrypt,
// not decrypt what is stored) therefore rests on one rule: a session moves
// past an epoch (a one-way step of its chain key, the old one wiped) before
// any enquiry sealed in that epoch is committed. The writer does so for
// each batch before it stores the batch (intake_writer.h), so a copy of the
// worker's memory opens no stored enquiry: only ones still in flight, whose
// plaintext that memory holds anyway.
//
// The step is one-way forwards only: the chain key in such a copy also
// derives the wrap keys of the enquiries its session seals afterwards. So
// a session seals for kMaxAge at most (or kMaxWrapEpochs steps), and the
// copy opens, besides those in flight, only what the worker seals in that
// tenth of a second. A new agreement every kMaxAge costs a worker under
// load about 1 ms of CPU a second. A session that no enquiry follows is wiped
// by drop_if_old(), which the worker calls every second. Thread-safe.
#ifndef SEALFORM_WEB_WRAP_SESSIONS_H_
#define SEALFORM_WEB_WRAP_SESSIONS_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>

#include "core/keys.h"
#include "core/seal.h"

namespace sealform::web {

// One WrapSession: seals, steps past an epoch, and is retired when spent.
class SealingSession {
 public:
  explicit SealingSession(const SealPublicKey& recipient) { session_.emplace(recipient); }
  SealingSession(const SealingSession&) = delete;
  SealingSession& operator=(const SealingSession&) = delete;

  // Seals every (field name, plaintext) under a fresh data key wrapped by
  // this session, and says in which epoch; std::nullopt if the session
  // has been retired.
  std::optional<std::pair<SealedRecord, std::uint32_t>> seal(
      std::string_view reference, const std::map<std::string, std::string>& plaintexts) const;
  // Steps the chain key past `epoch` (if it is not already), once the seals
  // in progress are done; retires the session when its steps run out.
  void move_past(std::uint32_t epoch);
  // True when nothing sealed in `epoch` can be unwrapped from this session.
  bool past(std::uint32_t epoch) const;
  // Wipes the session's secret once the seals in progress are done; later
  // seals get std::nullopt. Idempotent.
  void retire();
  bool retired() const { return retired_.load(std::memory_order_acquire); }

 private:
  mutable std::shared_mutex mutex_;  // shared: sealing; exclusive: stepping, retiring
  std::optional<WrapSession> session_;
  std::atomic<bool> retired_{false};
};

class WrapSessions {
 public:
  static constexpr std::chrono::milliseconds kMaxAge{100};

  using Now = std::function<std::chrono::steady_clock::time_point()>;
  explicit WrapSessions(SealPublicKey recipient, Now now = &std::chrono::steady_clock::now)
      : recipient_(std::move(recipient)), now_(std::move(now)) {}

  struct Sealed {
    SealedRecord record;
    std::shared_ptr<SealingSession> session;  // to move past `epoch` before
    std::uint32_t epoch = 0;                  // `record` is stored
  };
  // Seals with the current session, or a new one when the current one is
  // retired or kMaxAge old.
  Sealed seal(std::string_view reference, const std::map<std::string, std::string>& plaintexts);

  // Retires the current session once it is kMaxAge old, so that on a quiet
  // site its secret is wiped without waiting for the next enquiry (the
  // worker calls this every second). True if it did.
  bool drop_if_old();

 private:
  std::shared_ptr<SealingSession> usable_session();

  const SealPublicKey recipient_;
  const Now now_;
  std::mutex making_mutex_;  // held while one thread makes the next session
  std::mutex mutex_;         // guards current_ and started_
  std::shared_ptr<SealingSession> current_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace sealform::web

#endif  // SEALFORM_WEB_WRAP_SESSIONS_H_
