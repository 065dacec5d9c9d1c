// http.cc: response headers and status lines (see http.h).
#include "web/http.h"

#include <strings.h>

namespace sealform::web {

void Response::set_header(const std::string& name, const std::string& value) {
  for (auto& header : headers) {
    if (strcasecmp(header.first.c_str(), name.c_str()) == 0) {
      header.second = value;
      return;
    }
  }
  headers.emplace_back(name, value);
}

std::string Response::header(const std::string& name) const {
  for (const auto& header : headers) {
    if (strcasecmp(header.first.c_str(), name.c_str()) == 0) return header.second;
  }
  return "";
}

std::string status_line(int status) {
  switch (status) {
    case 200: return "200 OK";
    case 201: return "201 Created";
    case 303: return "303 See Other";
    case 400: return "400 Bad Request";
    case 403: return "403 Forbidden";
    case 404: return "404 Not Found";
    case 405: return "405 Method Not Allowed";
    case 413: return "413 Content Too Large";
    case 415: return "415 Unsupported Media Type";
    case 422: return "422 Unprocessable Content";
    case 429: return "429 Too Many Requests";
    case 500: return "500 Internal Server Error";
    case 503: return "503 Service Unavailable";
    default: return std::to_string(status) + " Status";
  }
}

}  // namespace sealform::web
