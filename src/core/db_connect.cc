// db_connect.cc: connection settings shared by the purge and the hold store.
#include "core/db_connect.h"

#include "core/error.h"
#include "core/schema.h"

namespace sealform {
namespace {

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

bool has_table(sqlite::Connection& db, const std::string& name) {
  sqlite::StatementScope select(
      db.cached("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?1"));
  select->bind_text(1, name);
  return select->step();
}

}  // namespace sealform
