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

}  // namespace sealform::web
