// fcgx_body.cc: reading a request body in bounded chunks (see fcgx_body.h).
#include "fcgi/fcgx_body.h"

#include <algorithm>

namespace sealform::fcgi {

namespace {

// FCGX_GetStr takes an int; reading in chunks keeps every call far below
// INT_MAX whatever length the caller accepted.
constexpr std::size_t kChunk = 64 * 1024;

}  // namespace

std::optional<std::string> FcgxBody::read(std::size_t length) {
  std::string body;
  body.resize(length);
  std::size_t done = 0;
  while (done < length) {
    const int want = static_cast<int>(std::min(kChunk, length - done));
    const int got = FCGX_GetStr(&body[done], want, in_);
    if (got <= 0) return std::nullopt;  // EOF (or a stream error) before `length`
    done += static_cast<std::size_t>(got);
  }
  taken_ = true;
  return body;
}

std::optional<std::string> StdioBody::read(std::size_t length) {
  std::string body;
  body.resize(length);
  std::size_t done = 0;
  while (done < length) {
    const std::size_t want = std::min(kChunk, length - done);
    const std::size_t got = std::fread(&body[done], 1, want, in_);
    if (got == 0) return std::nullopt;  // EOF or error before `length`
    done += got;
  }
  return body;
}

}  // namespace sealform::fcgi
