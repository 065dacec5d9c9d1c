// wrap_sessions.cc: sealing with a shared session, stepping it past an epoch,
// retiring and replacing it.
#include "web/wrap_sessions.h"

namespace sealform::web {

std::optional<std::pair<SealedRecord, std::uint32_t>> SealingSession::seal(
    std::string_view reference, const std::map<std::string, std::string>& plaintexts) const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  if (!session_) return std::nullopt;
  return std::make_pair(seal_record(*session_, reference, plaintexts), session_->epoch());
}

void SealingSession::move_past(std::uint32_t epoch) {
  if (retired()) return;
  std::unique_lock<std::shared_mutex> lock(mutex_);
  if (!session_ || session_->epoch() > epoch) return;
  if (!session_->advance()) {
    session_.reset();
    retired_.store(true, std::memory_order_release);
  }
}

bool SealingSession::past(std::uint32_t epoch) const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  return !session_ || session_->epoch() > epoch;
}

void SealingSession::retire() {
  if (retired()) return;
  std::unique_lock<std::shared_mutex> lock(mutex_);
  session_.reset();  // ~WrapSession wipes the agreement's secret
  retired_.store(true, std::memory_order_release);
}

std::shared_ptr<SealingSession> WrapSessions::usable_session() {
  const auto usable = [this] {
    return current_ && !current_->retired() && now_() - started_ < kMaxAge;
  };
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (usable()) return current_;
  }
  // A new agreement costs two scalar multiplications. One thread makes it
  // while the others that need it wait (rather than each making one to
  // throw away); threads with a usable session are not held up.
  std::lock_guard<std::mutex> making(making_mutex_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (usable()) return current_;  // made while this thread waited
  }
  auto fresh = std::make_shared<SealingSession>(recipient_);
  std::shared_ptr<SealingSession> replaced;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    replaced = std::move(current_);
    current_ = fresh;
    started_ = now_();
  }
  // Retiring waits for the seals in progress: outside the lock.
  if (replaced) replaced->retire();
  return fresh;
}

WrapSessions::Sealed WrapSessions::seal(std::string_view reference,
                                        const std::map<std::string, std::string>& plaintexts) {
  for (;;) {
    std::shared_ptr<SealingSession> session = usable_session();
    // The writer may retire it between the two calls: then take the next.
    if (auto sealed = session->seal(reference, plaintexts)) {
      return Sealed{std::move(sealed->first), std::move(session), sealed->second};
    }
  }
}

bool WrapSessions::drop_if_old() {
  std::shared_ptr<SealingSession> old;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!current_ || now_() - started_ < kMaxAge) return false;
    old = std::move(current_);
  }
  const bool live = !old->retired();
  old->retire();
  return live;
}

}  // namespace sealform::web
