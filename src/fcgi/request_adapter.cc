// request_adapter.cc: meta-variables to web::Request, web::Response to a CGI
// response (see request_adapter.h).
#include "fcgi/request_adapter.h"

#include <openssl/rand.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <utility>

namespace sealform::fcgi {

namespace {

// The request headers the handlers use (RFC 3875 section 4.1.18 names them
// HTTP_*), with the lower-case names web::Request keeps them under. Nothing
// else is copied: in particular not HTTP_PROXY (httpoxy, PITFALLS 14).
constexpr std::pair<const char*, const char*> kHeaders[] = {
    {"HTTP_ACCEPT", "accept"}, {"HTTP_ACCEPT_LANGUAGE", "accept-language"},
    {"HTTP_ORIGIN", "origin"}, {"HTTP_REFERER", "referer"},
    {"HTTP_COOKIE", "cookie"},
};

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string hex(const unsigned char* bytes, std::size_t n) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 0x0f];
  }
  return out;
}

// Removes CR and LF so a value cannot end its header line early.
std::string one_line(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c != '\r' && c != '\n') out += c;
  }
  return out;
}

}  // namespace

std::string decode_path(const std::string& request_uri) {
  const std::string raw = request_uri.substr(0, request_uri.find('?'));
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '%') {
      out += raw[i];
      continue;
    }
    if (i + 2 >= raw.size()) return raw;  // truncated escape
    const int high = hex_value(raw[i + 1]);
    const int low = hex_value(raw[i + 2]);
    if (high < 0 || low < 0) return raw;
    const char decoded = static_cast<char>(high * 16 + low);
    if (decoded == '\0' || decoded == '/') return raw;
    out += decoded;
    i += 2;
  }
  return out;
}

std::string new_request_id() {
  // The id only tells log lines apart, so the generator is asked once per
  // thread (threads start after a worker forks, so no two processes share
  // a prefix), not once per request.
  thread_local const std::uint32_t prefix = [] {
    unsigned char bytes[3];
    if (RAND_bytes(bytes, sizeof bytes) == 1) {
      return static_cast<std::uint32_t>(bytes[0] << 16 | bytes[1] << 8 | bytes[2]);
    }
    static std::atomic<std::uint32_t> threads{0};
    return (static_cast<std::uint32_t>(getpid()) << 8 | ++threads) & 0xffffffU;
  }();
  thread_local std::uint32_t counter = 0;
  const std::uint32_t n = ++counter & 0xffffffU;
  const unsigned char bytes[6] = {
      static_cast<unsigned char>(prefix >> 16), static_cast<unsigned char>(prefix >> 8),
      static_cast<unsigned char>(prefix),       static_cast<unsigned char>(n >> 16),
      static_cast<unsigned char>(n >> 8),       static_cast<unsigned char>(n)};
  return hex(bytes, sizeof bytes);
}

web::Request build_request(const ParamLookup& param) {
  auto get = [&param](const char* name) { return param(name).value_or(std::string()); };
  web::Request request;
  request.method = get("REQUEST_METHOD");
  // REQUEST_URI is not an RFC 3875 variable, but nginx, Apache and lighttpd
  // all send it and it is the path the visitor asked for. Without it, the
  // path is SCRIPT_NAME + PATH_INFO (already decoded by the server).
  if (std::optional<std::string> uri = param("REQUEST_URI")) {
    request.path = decode_path(*uri);
  } else {
    request.path = get("SCRIPT_NAME") + get("PATH_INFO");
  }
  request.query = get("QUERY_STRING");
  request.content_length = get("CONTENT_LENGTH");  // raw: the app validates it
  request.content_type = get("CONTENT_TYPE");
  request.remote_addr = get("REMOTE_ADDR");
  request.https = get("HTTPS") == "on" || get("REQUEST_SCHEME") == "https";
  for (const auto& [variable, header] : kHeaders) {
    if (std::optional<std::string> value = param(variable)) request.headers[header] = *value;
  }
  request.request_id = new_request_id();
  return request;
}

web::Request build_request(const std::map<std::string, std::string>& params) {
  return build_request([&params](const std::string& name) -> std::optional<std::string> {
    auto it = params.find(name);
    if (it == params.end()) return std::nullopt;
    return it->second;
  });
}

std::string serialize_response(const web::Response& response, const std::string& method) {
  std::string out = "Status: " + web::status_line(response.status) + "\r\n";
  for (const auto& [name, value] : response.headers) {
    out += one_line(name) + ": " + one_line(value) + "\r\n";
  }
  out += "\r\n";
  if (method != "HEAD") out += response.body;
  return out;
}

}  // namespace sealform::fcgi
