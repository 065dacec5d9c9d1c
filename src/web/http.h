// http.h: the request and response values the handlers work on.
//
// The FastCGI and CGI adapters (src/fcgi/) translate the web server's
// parameters (RFC 3875 meta-variables) into a Request and write a Response
// back; handlers are pure functions from one to the other, so they are
// tested with canned requests and no socket. The body is not part of the
// Request: it is read on demand through a BodySource, so a handler can
// refuse an oversized or unparsable request without reading it (413/400).
#ifndef SEALFORM_WEB_HTTP_H_
#define SEALFORM_WEB_HTTP_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sealform::web {

struct Request {
  std::string method;          // REQUEST_METHOD, as sent
  std::string path;            // decoded path (REQUEST_URI without query), e.g. "/en-us/enquiry"
  std::string query;           // raw QUERY_STRING
  std::string content_length;  // raw CONTENT_LENGTH, "" when absent
  std::string content_type;    // CONTENT_TYPE
  std::string remote_addr;     // REMOTE_ADDR; used only to derive a keyed rate-limit id
  bool https = false;          // HTTPS=on or REQUEST_SCHEME=https
  // Request headers the handlers use, by lower-case name: accept,
  // accept-language, origin, referer, cookie. Nothing else is kept.
  std::map<std::string, std::string> headers;
  std::string request_id;      // for the log line

  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

// Reads the request body. read() is called at most once, with the length
// the handler accepted from CONTENT_LENGTH; it returns the body, or nullopt
// when fewer bytes arrived than announced.
class BodySource {
 public:
  virtual ~BodySource() = default;
  virtual std::optional<std::string> read(std::size_t length) = 0;
};

// A body already in memory (tests, CGI with a buffered body).
class StringBody : public BodySource {
 public:
  explicit StringBody(std::string body) : body_(std::move(body)) {}
  std::optional<std::string> read(std::size_t length) override {
    if (body_.size() < length) return std::nullopt;
    return body_.substr(0, length);
  }

 private:
  std::string body_;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // in order; no Status header
  std::string body;
  std::string route = "-";  // route name for the log line, never the raw URL

  void set_header(const std::string& name, const std::string& value);
  std::string header(const std::string& name) const;  // "" when absent
};

// "200 OK", "303 See Other", ... for the Status line.
std::string status_line(int status);

}  // namespace sealform::web

#endif  // SEALFORM_WEB_HTTP_H_
