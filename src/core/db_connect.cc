// db_connect.cc: connection settings shared by the purge and the hold store.
#include "core/db_connect.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.h"
#include "core/schema.h"
#include "core/unique_fd.h"

namespace sealform {
namespace {

// truncate_wal(): attempts while readers hold old snapshots; each waits for
// the busy timeout first, then this pause.
constexpr int kCheckpointAttempts = 5;
constexpr useconds_t kCheckpointPauseUs = 100000;

const char* synchronous_statement(Synchronous level) {
  switch (level) {
    case Synchronous::kOff:
      return "PRAGMA synchronous = OFF";
    case Synchronous::kNormal:
      return "PRAGMA synchronous = NORMAL";
    case Synchronous::kFull:
      return "PRAGMA synchronous = FULL";
    case Synchronous::kExtra:
      return "PRAGMA synchronous = EXTRA";
  }
  return "PRAGMA synchronous = FULL";
}

}  // namespace

void configure_connection(sqlite::Connection& db, Synchronous synchronous, int busy_timeout_ms) {
  const int rc = sqlite3_busy_timeout(db.get(), busy_timeout_ms);
  if (rc != SQLITE_OK) sqlite::throw_error(db.get(), rc, db.path(), "busy_timeout");
  // A new file frees pages in small steps (sealform-purge runs
  // incremental_vacuum). The mode is stored in the file's header, so it
  // must be chosen before the first page is written, and turning WAL on
  // writes it.
  if (db.query_int64("PRAGMA page_count") == 0) {
    db.exec("PRAGMA auto_vacuum = INCREMENTAL", "auto_vacuum");
  }
  const std::string mode = db.query_text("PRAGMA journal_mode = WAL");
  if (mode != "wal") {
    throw Error("database " + db.path() + ": cannot use WAL journal mode (got " + mode + ")");
  }
  db.exec(synchronous_statement(synchronous), "synchronous");
  db.exec("PRAGMA secure_delete = ON", "secure_delete");
  db.exec("PRAGMA foreign_keys = ON", "foreign_keys");
}

std::unique_ptr<sqlite::Connection> open_enquiry_database(const Config& config) {
  if (config.database.empty()) throw ConfigError("storage.database is not set");
  auto db = std::make_unique<sqlite::Connection>(config.database);
  configure_connection(*db, config.synchronous, config.busy_timeout_ms);
  schema::migrate(*db);
  return db;
}

// PRAGMA wal_checkpoint(TRUNCATE) answers (busy, log frames, checkpointed
// frames); busy = 0 means every frame was copied and the WAL truncated.
bool truncate_wal(sqlite::Connection& db) {
  for (int attempt = 0; attempt < kCheckpointAttempts; ++attempt) {
    try {
      sqlite::StatementScope run(db.cached("PRAGMA wal_checkpoint(TRUNCATE)"));
      if (run->step() && run->column_int64(0) == 0) return true;
    } catch (const StorageUnavailable&) {
      // busy past the timeout: try again after the pause
    }
    usleep(kCheckpointPauseUs);
  }
  return false;
}

bool has_table(sqlite::Connection& db, const std::string& name) {
  sqlite::StatementScope select(
      db.cached("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?1"));
  select->bind_text(1, name);
  return select->step();
}

std::string sync_file(const std::string& path, bool missing_ok) {
  const UniqueFd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!file.valid()) {
    if (missing_ok && errno == ENOENT) return "";
    return "cannot open " + path + " to sync it: " + std::strerror(errno);
  }
  if (::fdatasync(file.get()) != 0) return "cannot sync " + path + ": " + std::strerror(errno);
  return "";
}

}  // namespace sealform
