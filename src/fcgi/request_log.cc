// request_log.cc: one-line log records on stderr (see request_log.h).
#include "fcgi/request_log.h"

#include <unistd.h>

#include <cerrno>
#include <ctime>

namespace sealform::fcgi {

namespace {

constexpr std::size_t kMaxMethodLength = 16;

// Writes the whole line with one write(2) when the pipe allows (lines are
// far below PIPE_BUF, so a pipe never splits them); retries a short write.
void write_line(const std::string& line) {
  const char* data = line.data();
  std::size_t left = line.size();
  while (left > 0) {
    const ssize_t n = write(STDERR_FILENO, data, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // nowhere left to report a logging failure
    }
    data += n;
    left -= static_cast<std::size_t>(n);
  }
}

std::string safe_method(const std::string& method) {
  if (method.empty() || method.size() > kMaxMethodLength) return "-";
  for (char c : method) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return "-";
  }
  return method;
}

}  // namespace

std::string format_request_line(std::chrono::system_clock::time_point when,
                                const std::string& request_id, const std::string& method,
                                const std::string& route, int status,
                                std::chrono::steady_clock::duration elapsed) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char time_text[32];
  std::strftime(time_text, sizeof time_text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
  return std::string(time_text) + " " + request_id + " " + safe_method(method) + " " + route +
         " " + std::to_string(status) + " " + std::to_string(ms) + "ms";
}

void log_request(const std::string& request_id, const std::string& method,
                 const std::string& route, int status,
                 std::chrono::steady_clock::duration elapsed) {
  write_line(format_request_line(std::chrono::system_clock::now(), request_id, method, route,
                                 status, elapsed) +
             "\n");
}

void log_message(const std::string& message) { write_line("sealform-fcgi: " + message + "\n"); }

}  // namespace sealform::fcgi
