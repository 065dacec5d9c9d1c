// request_log.h: the log lines sealform-fcgi writes on stderr.
//
// One line per request: ISO-8601 UTC time, request id, method, route name
// (web::Response::route, never the raw URL), status and duration in ms:
//   2026-11-29T10:15:02Z 3f9a0c11b2de GET form 200 4ms
// No address, no header, no field value is ever logged. The program's own
// messages (worker replaced, reload, shutdown) are one line each, prefixed
// "sealform-fcgi:". Every line goes out in a single write(2) on fd 2, so
// lines from several threads and processes never interleave. Thread-safe.
#ifndef SEALFORM_FCGI_REQUEST_LOG_H_
#define SEALFORM_FCGI_REQUEST_LOG_H_

#include <chrono>
#include <string>

namespace sealform::fcgi {

// The request line without its newline. `method` comes from the client: it
// is logged only if it is a short token of letters, else as "-".
std::string format_request_line(std::chrono::system_clock::time_point when,
                                 const std::string& request_id, const std::string& method,
                                 const std::string& route, int status,
                                 std::chrono::steady_clock::duration elapsed);

// Writes format_request_line(now, ...) and a newline to stderr.
void log_request(const std::string& request_id, const std::string& method,
                 const std::string& route, int status,
                 std::chrono::steady_clock::duration elapsed);

// Writes "sealform-fcgi: <message>\n" to stderr. Async-signal-unsafe (it
// allocates): call it from normal code, not from a signal handler.
void log_message(const std::string& message);

}  // namespace sealform::fcgi

#endif  // SEALFORM_FCGI_REQUEST_LOG_H_
