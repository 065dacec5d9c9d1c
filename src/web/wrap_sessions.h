// wrap_sessions.h: a worker's current WrapSession for its seal key.
//
// A WrapSession (core/seal.h) is one ephemeral X25519 agreement from which
// the wrap keys of many enquiries are derived, so a worker pays the two
// scalar multiplications once per session instead of once per enquiry. A
// session serves at most kMaxWraps data keys and at most kMaxAge; after that
// the next enquiry gets a new session, and the old one is wiped when the
// last thread using it lets go; drop_if_old() lets go of it when no
// enquiry comes. The secret that could unwrap an enquiry's data key
// therefore stays in a worker's memory for about a minute at most, not for
// the worker's lifetime. Thread-safe.
#ifndef SEALFORM_WEB_WRAP_SESSIONS_H_
#define SEALFORM_WEB_WRAP_SESSIONS_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

#include "core/keys.h"
#include "core/seal.h"

namespace sealform::web {

class WrapSessions {
 public:
  static constexpr std::uint64_t kMaxWraps = 4096;
  static constexpr std::chrono::seconds kMaxAge{60};

  using Now = std::function<std::chrono::steady_clock::time_point()>;
  explicit WrapSessions(SealPublicKey recipient, Now now = &std::chrono::steady_clock::now)
      : recipient_(std::move(recipient)), now_(std::move(now)) {}

  // The session for the next data key (a new one when the current one is
  // spent or too old). Counts the wrap.
  std::shared_ptr<const WrapSession> for_next_wrap();

  // Lets go of the current session once it is older than kMaxAge, so that
  // on a quiet site its secret is wiped without waiting for the next
  // enquiry (the worker calls this every second). True if it did.
  bool drop_if_old();

 private:
  const SealPublicKey recipient_;
  const Now now_;
  std::mutex mutex_;
  std::shared_ptr<const WrapSession> current_;
  std::chrono::steady_clock::time_point started_;
  std::uint64_t wraps_ = 0;
};

}  // namespace sealform::web

#endif  // SEALFORM_WEB_WRAP_SESSIONS_H_
