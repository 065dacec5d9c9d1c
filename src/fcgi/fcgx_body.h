// fcgx_body.h: web::BodySource over a FastCGI request's stdin stream or
// over the process's stdin (CGI).
//
// The handler decides whether to read the body at all (only when
// CONTENT_LENGTH is valid and within the limit, PITFALLS 9); read() then
// takes exactly `length` bytes, or returns nullopt if the stream ends first.
// The stream must outlive the BodySource. Not thread-safe: one per request.
#ifndef SEALFORM_FCGI_FCGX_BODY_H_
#define SEALFORM_FCGI_FCGX_BODY_H_

#include <fcgiapp.h>

#include <cstdio>
#include <optional>
#include <string>

#include "web/http.h"

namespace sealform::fcgi {

// The FCGI_STDIN stream of an accepted FCGX_Request (request.in).
class FcgxBody : public web::BodySource {
 public:
  explicit FcgxBody(FCGX_Stream* in) : in_(in) {}
  std::optional<std::string> read(std::size_t length) override;
  // True once read() has taken the whole declared body.
  bool taken() const { return taken_; }

 private:
  FCGX_Stream* in_;
  bool taken_ = false;
};

// A stdio stream, for CGI: stdin, which carries exactly CONTENT_LENGTH
// bytes (RFC 3875 section 4.2).
class StdioBody : public web::BodySource {
 public:
  explicit StdioBody(std::FILE* in) : in_(in) {}
  std::optional<std::string> read(std::size_t length) override;

 private:
  std::FILE* in_;
};

}  // namespace sealform::fcgi

#endif  // SEALFORM_FCGI_FCGX_BODY_H_
