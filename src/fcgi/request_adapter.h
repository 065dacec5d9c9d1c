// request_adapter.h: RFC 3875 meta-variables in, a web::Request out; a
// web::Response in, a CGI response (RFC 3875 section 6) out.
//
// This is the pure half of the FastCGI/CGI adapter: it knows nothing of
// libfcgi, so the unit tests feed it canned environments. The caller passes
// a lookup function over the web server's parameters; every value is copied
// into the Request before build_request() returns, so the parameters may be
// freed right after (libfcgi frees them at the next accept or finish).
// Only the variables listed in build_request() are read: never the whole
// environment, never HTTP_PROXY (httpoxy). All functions are thread-safe.
#ifndef SEALFORM_FCGI_REQUEST_ADAPTER_H_
#define SEALFORM_FCGI_REQUEST_ADAPTER_H_

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "web/http.h"

namespace sealform::fcgi {

// Returns the value of one meta-variable, or nullopt when it is not set.
using ParamLookup = std::function<std::optional<std::string>(const std::string&)>;

// Builds the Request from the meta-variables (see request_adapter.cc for the
// mapping) and gives it a fresh request id.
web::Request build_request(const ParamLookup& param);
web::Request build_request(const std::map<std::string, std::string>& params);

// The path part of a REQUEST_URI (up to '?'), percent-decoded. A path whose
// encoding is invalid, or that encodes a NUL byte or a '/' (which RFC 3986
// section 2.2 makes data, not a separator), is returned undecoded: it still
// contains '%', so it matches no route and is answered 404.
std::string decode_path(const std::string& request_uri);

// A short hex id (12 digits) for the log line: a random prefix drawn once
// per thread (the process id if the generator fails), then a counter.
std::string new_request_id();

// The whole CGI response: "Status: 303 See Other\r\n", the headers, an empty
// line and the body. For a HEAD request the body is left out. CR and LF are
// removed from header names and values so no header can be split.
std::string serialize_response(const web::Response& response, const std::string& method);

}  // namespace sealform::fcgi

#endif  // SEALFORM_FCGI_REQUEST_ADAPTER_H_
