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
// timeout, disk full, read-only file. The web tier answers 503.
class StorageUnavailable : public Error {
 public:
  explicit StorageUnavailable(const std::string& message) : Error(message) {}
};

}  // namespace sealform

#endif  // SEALFORM_CORE_ERROR_H_
