// error.h: the one exception type the core throws for runtime failures.
//
// Messages name files, keys, modes and codes; they never carry a personal
// field value (a name, an email, a message). Callers catch sealform::Error at
// one boundary per request or per command and turn it into one answer.
#ifndef SEALFORM_CORE_ERROR_H_
#define SEALFORM_CORE_ERROR_H_

#include <stdexcept>
#include <string>

namespace sealform {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// A storage failure a client may retry: database locked past the busy
// timeout, disk full, read-only file. The web tier answers 503. `busy`
// tells contention that passes by itself (another writer holds the lock)
// from a fault a person must clear (disk full, read-only file, I/O error):
// a cron job may treat the first as "try again tomorrow", not the second.
class StorageUnavailable : public Error {
 public:
  explicit StorageUnavailable(const std::string& message, bool busy = false)
      : Error(message), busy_(busy) {}
  bool busy() const { return busy_; }

 private:
  bool busy_;
};

}  // namespace sealform

#endif  // SEALFORM_CORE_ERROR_H_
