// sealform-purge: the retention purge, for cron or a systemd timer.
//
//   sealform-purge [--config FILE] [--dry-run] [--now TIMESTAMP] [--json] [--quiet]
//
// Takes an exclusive, non-blocking flock on "<database>.purge.lock" so that
// two purges never run together, opens the enquiry database (never writing
// the hold database: it only counts held records, read-only), runs the
// engine in core/purge.h and prints the report (purge/report.h).
// Exit status (sysexits.h where one fits): 0 done, also when nothing was
// due; 1 runtime error; 2 usage or configuration error; 75 (EX_TEMPFAIL)
// another purge is running or the database stayed busy past its timeout.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "core/audit.h"
#include "core/config.h"
#include "core/db_connect.h"
#include "core/hold_store.h"
#include "core/keys.h"
#include "core/purge.h"
#include "core/retention.h"
#include "core/schema.h"
#include "core/sqlite_handle.h"
#include "purge/report.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitRuntime = 1;
constexpr int kExitUsage = 2;
constexpr int kExitTempFail = 75;  // EX_TEMPFAIL

constexpr const char* kUsage =
    "usage: sealform-purge [--config FILE] [--dry-run] [--now TIMESTAMP] [--json] [--quiet]\n"
    "  TIMESTAMP: Unix seconds, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC)\n";

struct Options {
  std::string config_path;
  bool dry_run = false;
  std::optional<std::int64_t> now;
  bool json = false;
  bool quiet = false;
};

class UsageError : public sealform::Error {
 public:
  explicit UsageError(const std::string& m) : Error(m) {}
};

Options parse_options(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw UsageError(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      std::exit(kExitOk);
    } else if (arg == "--config") {
      options.config_path = value();
    } else if (arg == "--dry-run") {
      options.dry_run = true;
    } else if (arg == "--now") {
      options.now = sealform::parse_timestamp(value());
      if (!options.now) throw UsageError("--now: not a Unix time or an ISO 8601 UTC timestamp");
    } else if (arg == "--json") {
      options.json = true;
    } else if (arg == "--quiet") {
      options.quiet = true;
    } else {
      throw UsageError("unknown argument '" + arg + "'");
    }
  }
  // Asking about a later date is what --now is for; acting on it would
  // erase records before they are due.
  if (options.now && !options.dry_run && *options.now > std::time(nullptr)) {
    throw UsageError(
        "--now: a time in the future needs --dry-run (a real run would erase "
        "records before they are due)");
  }
  return options;
}

// The flock on "<database>.purge.lock", held until the process ends. The
// file belongs to the database's owner, also when root runs the purge:
// one owned by root would keep the service's own purges out for good.
class PurgeLock {
 public:
  PurgeLock(const std::string& database, const struct stat& database_file)
      : path_(database + ".purge.lock") {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd_ < 0) {
      throw sealform::Error("cannot open lock file " + path_ + ": " + std::strerror(errno));
    }
    if (::geteuid() == 0 && ::fchown(fd_, database_file.st_uid, database_file.st_gid) != 0) {
      const int err = errno;
      ::close(fd_);
      throw sealform::Error("cannot give lock file " + path_ +
                            " to the database's owner: " + std::strerror(err));
    }
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno;
      if (err == EWOULDBLOCK) {
        throw sealform::StorageUnavailable(
            "another sealform-purge is running (lock file " + path_ + ")", true);
      }
      throw sealform::Error("cannot lock " + path_ + ": " + std::strerror(err));
    }
  }
  ~PurgeLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the lock
  }
  PurgeLock(const PurgeLock&) = delete;
  PurgeLock& operator=(const PurgeLock&) = delete;

 private:
  std::string path_;
  int fd_ = -1;
};

// A dry run must leave the file byte-identical: no migration, no writes
// (query_only), and no checkpoint when this connection closes last.
std::unique_ptr<sealform::sqlite::Connection> open_read_only(const sealform::Config& config) {
  auto db = std::make_unique<sealform::sqlite::Connection>(config.database);
  sqlite3_db_config(db->get(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  sqlite3_busy_timeout(db->get(), config.busy_timeout_ms);
  db->exec("PRAGMA query_only = ON", "query_only");
  if (!sealform::has_table(*db, "enquiries")) {
    throw sealform::Error("database " + config.database + " has no enquiries table");
  }
  if (sealform::schema::version_of(*db) > sealform::schema::latest_version()) {
    throw sealform::Error("database " + config.database + " is newer than this build");
  }
  return db;
}

int run(const Options& options, sealform::purge::Reporter& reporter, bool& begun) {
  using namespace sealform;
  const Config config = load_config(resolve_config_path(options.config_path));
  if (config.database.empty()) {
    throw ConfigError(config.source_path + ": storage.database is not set");
  }
  const std::int64_t now = options.now.value_or(static_cast<std::int64_t>(std::time(nullptr)));
  // sealform-fcgi makes the database, as its own user, when it first
  // starts; a purge (run as root, say) must not make it instead.
  struct stat database_file {};
  if (::stat(config.database.c_str(), &database_file) != 0) {
    throw Error("database " + config.database + ": " + std::strerror(errno) +
                " (sealform-fcgi creates it when it first starts)");
  }
  // A dry run only reads: it takes no lock, so it leaves no lock file
  // (owned by whoever ran it) and may run beside a real purge.
  std::optional<PurgeLock> lock;
  if (!options.dry_run) lock.emplace(config.database, database_file);

  std::unique_ptr<sqlite::Connection> db;
  std::unique_ptr<AuditTrail> audit;
  if (options.dry_run) {
    db = open_read_only(config);
  } else {
    db = open_enquiry_database(config);
    audit = std::make_unique<AuditTrail>(
        *db, derive_subkey(load_web_secret(web_secret_path(config.key_directory)), Subkey::kAudit));
  }
  reporter.begin({now, options.dry_run});
  begun = true;
  PurgeOptions purge = purge_options(config, now, options.dry_run);
  purge.recorded_at = static_cast<std::int64_t>(std::time(nullptr));
  purge.in_motion = references_in_motion(config.hold_database);
  const PurgeSummary summary = run_purge(
      *db, audit.get(), purge, [&](const ErasedRecord& record) { reporter.erased(record); });
  reporter.finish(summary, count_held_records(config.hold_database));
  if (summary.left_in_motion > 0) {
    std::cerr << "sealform-purge: warning: " << summary.left_in_motion
              << " due record(s) left alone: a hold or release was interrupted and the record "
                 "is between the enquiry and hold stores; any sealform-admin command (for "
                 "example `sealform-admin holds`) finishes the move, and the next run erases "
                 "what is still due\n";
  }
  if (!summary.checkpoint_complete) {
    std::cerr << "sealform-purge: warning: the WAL checkpoint could not finish (a reader was "
                 "active); the next run completes it\n";
  }
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  // Whatever this run creates (its lock file, a -wal or -shm file) sits
  // beside the web tier's data: owner-only, as sealform-fcgi makes it.
  umask(0077);
  Options options;
  try {
    options = parse_options(argc, argv);
  } catch (const UsageError& e) {
    std::cerr << "sealform-purge: " << e.what() << "\n" << kUsage;
    return kExitUsage;
  }
  std::unique_ptr<sealform::purge::Reporter> reporter =
      options.json ? sealform::purge::json_reporter(std::cout)
                   : sealform::purge::text_reporter(std::cout, options.quiet);
  bool begun = false;
  auto failed = [&](const std::exception& e, int code) {
    if (begun) reporter->fail(e.what());
    std::cout.flush();
    std::cerr << "sealform-purge: " << e.what() << "\n";
    return code;
  };
  try {
    return run(options, *reporter, begun);
  } catch (const sealform::ConfigError& e) {
    return failed(e, kExitUsage);
  } catch (const sealform::StorageUnavailable& e) {
    // Only contention is "try again later" (75, which the units treat as
    // success); a read-only file or a full disk is a failure to act on.
    return failed(e, e.busy() ? kExitTempFail : kExitRuntime);
  } catch (const std::exception& e) {
    return failed(e, kExitRuntime);
  }
}
