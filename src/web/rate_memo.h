// rate_memo.h: rate-limit keys a worker knows to be over their limit.
//
// The limits are enforced where submissions are stored: the writer checks
// and counts in one transaction (core/store.h, RateCounter). When it refuses
// a submission, the worker remembers the key until the end of its window,
// and further posts under that key get their 429 without anything sealed or
// queued for the writer; only a valid token is looked up, so that a form
// stored before still gets its own answer (submit.h). Counts only grow
// within a window, so the memo never refuses a post the database would
// accept. It holds at most
// kMaxEntries keys: when full it drops the expired ones, and if none has
// expired it starts over (the writer still enforces every limit).
// Thread-safe.
#ifndef SEALFORM_WEB_RATE_MEMO_H_
#define SEALFORM_WEB_RATE_MEMO_H_

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace sealform::web {

class RateLimitMemo {
 public:
  static constexpr std::size_t kMaxEntries = 10000;

  // `key` is over its limit until `window_end` (Unix seconds); `now` lets
  // a full memo drop what has expired.
  void remember(const std::string& key, std::int64_t window_end, std::int64_t now);

  // The end of the window in which `key` is known to be over its limit, if
  // that is later than `now`.
  std::optional<std::int64_t> limited_until(const std::string& key, std::int64_t now);

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, std::int64_t> window_end_;
};

}  // namespace sealform::web

#endif  // SEALFORM_WEB_RATE_MEMO_H_
