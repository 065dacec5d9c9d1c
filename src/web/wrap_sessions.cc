// wrap_sessions.cc: replacing a worker's WrapSession when it is spent.
#include "web/wrap_sessions.h"

namespace sealform::web {

std::shared_ptr<const WrapSession> WrapSessions::for_next_wrap() {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto now = now_();
  if (!current_ || wraps_ >= kMaxWraps || now - started_ >= kMaxAge) {
    current_ = std::make_shared<const WrapSession>(recipient_);
    started_ = now;
    wraps_ = 0;
  }
  ++wraps_;
  return current_;
}

bool WrapSessions::drop_if_old() {
  std::shared_ptr<const WrapSession> old;  // wiped outside the lock, if last
  std::lock_guard<std::mutex> lock(mutex_);
  if (!current_ || now_() - started_ < kMaxAge) return false;
  old = std::move(current_);
  current_.reset();
  return true;
}

}  // namespace sealform::web
