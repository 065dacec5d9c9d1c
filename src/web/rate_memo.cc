// rate_memo.cc: remembering over-limit keys until their window ends.
#include "web/rate_memo.h"

#include <iterator>

namespace sealform::web {

void RateLimitMemo::remember(const std::string& key, std::int64_t window_end, std::int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (window_end_.size() >= kMaxEntries && window_end_.count(key) == 0) {
    for (auto it = window_end_.begin(); it != window_end_.end();) {
      it = it->second <= now ? window_end_.erase(it) : std::next(it);
    }
    if (window_end_.size() >= kMaxEntries) window_end_.clear();
  }
  std::int64_t& end = window_end_[key];
  if (window_end > end) end = window_end;
}

std::optional<std::int64_t> RateLimitMemo::limited_until(const std::string& key, std::int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = window_end_.find(key);
  if (it == window_end_.end()) return std::nullopt;
  if (it->second <= now) {
    window_end_.erase(it);
    return std::nullopt;
  }
  return it->second;
}

}  // namespace sealform::web
