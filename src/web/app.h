// app.h: the web application: everything a worker needs to answer requests.
//
// An Application is built once per worker process, before it accepts any
// request: it reads the configuration, the web secret and the current seal
// public key (never a private key), loads the templates and message
// catalogs, and opens the enquiry database. A bad config or an unreadable
// key throws sealform::Error with one clear line; the caller prints it and
// exits 1. After construction handle() is thread-safe: worker threads call
// it concurrently; storage writes go through one group-commit writer.
// Reloading (SIGHUP) means building a new Application in a new worker.
#ifndef SEALFORM_WEB_APP_H_
#define SEALFORM_WEB_APP_H_

#include <cstdint>
#include <memory>
#include <string>

#include "core/config.h"
#include "web/http.h"

namespace sealform::web {

class Application {
 public:
  virtual ~Application() = default;

  // Answers one request. Never throws: any failure becomes one complete
  // error response (5xx only for the server's own faults).
  virtual Response handle(const Request& request, BodySource& body) = 0;

  virtual const Config& config() const = 0;

  // Wipes secrets kept only for a while (a sealing session no batch has
  // retired, see wrap_sessions.h) once they are too old, also when no
  // request comes. A long-running worker calls it every second or so.
  virtual void expire_secrets() = 0;
};

enum class WriterMode {
  kGroupCommit,  // long-running worker: a writer thread batches commits
  kDirect,       // one request (CGI): write in the calling thread
};

// Seconds since the Unix epoch; tests pass a controllable clock.
using Clock = std::int64_t (*)();
std::int64_t system_clock_seconds();

std::unique_ptr<Application> make_application(const Config& config, WriterMode mode,
                                              Clock clock = &system_clock_seconds);

}  // namespace sealform::web

#endif  // SEALFORM_WEB_APP_H_
