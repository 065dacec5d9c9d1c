// hold_store.cc: the legal-hold store on its own SQLite file (hold_store.h).
//
// Two files cannot share one atomic transaction: SQLite commits across
// ATTACHed databases are not atomic in WAL mode. A move is therefore two
// commits with a marker row (table `moves` in the hold database) that says
// which way the record is going, so that reconcile() knows which copy wins:
//
//   hold (move in):   lock the enquiry db (BEGIN IMMEDIATE) and read the record;
//                     hold db: copy + hold row + marker "in", COMMIT;
//                     [crash hook "hold-write"]
//                     enquiry db: DELETE the record + audit row, keep the
//                     form token's key of a derived reference in the
//                     idempotency table, COMMIT;
//                     hold db: DELETE the marker.
//   release (out):    lock the enquiry db; refuse if it has another record
//                     under the reference; hold db: remove the hold row(s);
//                     if none remains, marker "out" with a random token, COMMIT;
//                     enquiry db: INSERT the record + audit row naming the
//                     token, COMMIT;  [crash hook "release-write"]
//                     hold db: DELETE the copy and the marker.
//
// reconcile(), for each marker: "in" -> the hold copy wins: delete the
// enquiry copy if present. "out" -> the enquiry copy wins: if the record is
// not in the enquiry db and no audit row names the token, the insert never
// committed, so insert it now; if an audit row names the token, the insert
// committed and the record was erased since (a purge may run at once after
// a release), so it must not come back. Then the hold copy goes.
//
// Lock order is always enquiry db, then hold db, so two admins cannot
// deadlock; the enquiry db's write lock is held across the hold db's
// commit, so nobody changes the record between the copy and the delete.
#include "core/hold_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <functional>

#include "core/audit.h"
#include "core/db_connect.h"
#include "core/hold_records.h"
#include "core/keys.h"
#include "core/schema.h"
#include "core/seal.h"
#include "core/sqlite_handle.h"

namespace sealform {
namespace {

constexpr const char* kHoldSchema = R"sql(
CREATE TABLE held_records (
  reference TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  resolved_at INTEGER,
  category TEXT NOT NULL,
  locale TEXT NOT NULL,
  age_confirmed INTEGER NOT NULL,
  retain INTEGER NOT NULL,
  retain_changed_at INTEGER,
  policy_version TEXT NOT NULL,
  key_id TEXT NOT NULL,
  wrapped_key BLOB NOT NULL,
  email_index BLOB NOT NULL,
  name_ct BLOB NOT NULL,
  company_ct BLOB NOT NULL,
  job_title_ct BLOB NOT NULL,
  email_ct BLOB NOT NULL,
  message_ct BLOB NOT NULL,
  held_at INTEGER NOT NULL
);
CREATE INDEX held_records_email_index ON held_records(email_index);
CREATE TABLE holds (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  reference TEXT NOT NULL,
  reason TEXT NOT NULL,
  placed_at INTEGER NOT NULL,
  placed_by TEXT NOT NULL
);
CREATE INDEX holds_reference ON holds(reference);
CREATE TABLE moves (
  reference TEXT PRIMARY KEY,
  direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
  token TEXT NOT NULL,
  started_at INTEGER NOT NULL
);
)sql";
constexpr int kHoldSchemaVersion = 1;

constexpr const char* kHoldColumns = "id, reference, reason, placed_at, placed_by";

void crash_hook(const char* point) {
  const char* wanted = std::getenv(kCrashHookVariable);
  if (wanted != nullptr && std::strcmp(wanted, point) == 0) _exit(9);
}

std::string hex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 0x0f];
  }
  return out;
}

void migrate_hold_database(sqlite::Connection& db) {
  if (db.query_int64("PRAGMA user_version") >= kHoldSchemaVersion) return;
  sqlite::Transaction transaction(db);
  const std::int64_t version = db.query_int64("PRAGMA user_version");
  if (version > kHoldSchemaVersion) {
    throw Error("hold database " + db.path() + " has schema version " + std::to_string(version) +
                ", newer than this build knows");
  }
  if (version == kHoldSchemaVersion) return;  // another process migrated meanwhile
  db.exec(kHoldSchema, "create the hold schema");
  db.exec("PRAGMA user_version = " + std::to_string(kHoldSchemaVersion), "set user_version");
  transaction.commit();
}

LegalHold read_hold(sqlite::Statement& row) {
  LegalHold hold;
  hold.id = row.column_int64(0);
  hold.reference = row.column_text(1);
  hold.reason = row.column_text(2);
  hold.placed_at = row.column_int64(3);
  hold.placed_by = row.column_text(4);
  return hold;
}

class SqliteHoldStore : public HoldStore {
 public:
  SqliteHoldStore(const Config& config, SecretBytes audit_key)
      : enquiries_(open_enquiry_database(config)),
        holds_db_(config.hold_database),
        audit_(*enquiries_, std::move(audit_key)),
        held_(holds_db_, "held_records"),
        live_(*enquiries_, "enquiries"),
        token_lifetime_seconds_(config.token_lifetime_seconds) {
    configure_connection(holds_db_, config.synchronous, config.busy_timeout_ms);
    migrate_hold_database(holds_db_);
  }

  std::optional<EnquiryRecord> find(const std::string& reference) override {
    return held_.find(reference);
  }

  std::vector<std::string> find_by_email_index(const std::string& email_index) override {
    return held_.find_by_email_index(email_index);
  }

  std::vector<LegalHold> holds_for(const std::string& reference) override {
    sqlite::StatementScope select(holds_db_.cached(
        std::string("SELECT ") + kHoldColumns + " FROM holds WHERE reference = ?1 ORDER BY id"));
    select->bind_text(1, reference);
    std::vector<LegalHold> holds;
    while (select->step()) holds.push_back(read_hold(*select));
    return holds;
  }

  std::vector<LegalHold> all_holds() override {
    sqlite::StatementScope select(holds_db_.cached(
        std::string("SELECT ") + kHoldColumns + " FROM holds ORDER BY reference, id"));
    std::vector<LegalHold> holds;
    while (select->step()) holds.push_back(read_hold(*select));
    return holds;
  }

  LegalHold place_hold(const std::string& reference, const std::string& reason,
                       const std::string& actor, std::int64_t at) override {
    sqlite::Transaction enquiry_tx(*enquiries_);
    sqlite::Transaction hold_tx(holds_db_);
    refuse_if_moving(reference);
    const bool already_held = held_.find(reference).has_value();
    std::optional<EnquiryRecord> record;
    if (!already_held) {
      record = live_.find(reference);
      if (!record) throw HoldNotFound("no enquiry " + reference + " in either store");
      held_.insert(*record, at);
      insert_move(reference, "in", random_token(), at);
    }
    LegalHold hold = insert_hold(reference, reason, actor, at);
    hold_tx.commit();
    if (already_held) {
      audit_.append(at, actor, "hold", reference, "hold " + std::to_string(hold.id) + " added");
      enquiry_tx.commit();
      return hold;
    }
    crash_hook("hold-write");
    remove_live_copy(reference, at);
    audit_.append(at, actor, "hold", reference,
                  "hold " + std::to_string(hold.id) + "; moved to the hold store");
    enquiry_tx.commit();
    clear_moves(reference);
    // The enquiry store's copy was zeroed in its pages (secure_delete); its
    // old page images leave the WAL and reach the database file here, so
    // that the record is in one store only, bytes included. A busy reader
    // delays that to the next checkpoint (the purge takes one every run).
    truncate_wal(*enquiries_);
    return hold;
  }

  std::vector<std::string> withdraw_retain(const std::string& email_index, const std::string& actor,
                                           std::int64_t at) override {
    sqlite::Transaction enquiry_tx(*enquiries_);
    sqlite::Transaction hold_tx(holds_db_);
    std::vector<std::string> changed;
    {
      sqlite::StatementScope select(holds_db_.cached(
          "SELECT reference FROM held_records WHERE email_index = ?1 AND retain != 0 "
          "ORDER BY reference"));
      select->bind_blob(1, email_index);
      while (select->step()) changed.push_back(select->column_text(0));
    }
    for (const std::string& reference : changed) {
      sqlite::StatementScope update(holds_db_.cached(
          "UPDATE held_records SET retain = 0, retain_changed_at = ?2 WHERE reference = ?1"));
      update->bind_text(1, reference);
      update->bind_int64(2, at);
      update->run();
    }
    hold_tx.commit();
    for (const std::string& reference : changed) {
      audit_.append(at, actor, "withdraw", reference, "retain opt-in cleared (under legal hold)");
    }
    enquiry_tx.commit();
    return changed;
  }

  ReleaseOutcome release(const std::string& reference,
                         const std::optional<std::int64_t>& hold_id, const std::string& actor,
                         std::int64_t at) override {
    sqlite::Transaction enquiry_tx(*enquiries_);
    sqlite::Transaction hold_tx(holds_db_);
    refuse_if_moving(reference);
    const std::optional<EnquiryRecord> record = held_.find(reference);
    if (!record) throw HoldNotFound("enquiry " + reference + " is not held");
    ReleaseOutcome outcome;
    outcome.released = delete_holds(reference, hold_id);
    if (outcome.released == 0) {
      throw HoldNotFound("enquiry " + reference + " has no hold " +
                         std::to_string(hold_id.value_or(0)));
    }
    outcome.remaining = static_cast<int>(holds_for(reference).size());
    std::string detail = std::to_string(outcome.released) + " hold(s) released";
    if (outcome.remaining > 0) {
      hold_tx.commit();
      audit_.append(at, actor, "release", reference,
                    detail + "; " + std::to_string(outcome.remaining) + " remain");
      enquiry_tx.commit();
      return outcome;
    }
    // Another enquiry under this reference in the enquiry store would be
    // kept and the held one lost: refuse, with both kept (the transactions
    // roll back, and the holds stay).
    if (live_.find(reference)) {
      throw Error("enquiry " + reference +
                  " is also in the enquiry store; not released, the held copy and its holds "
                  "are kept");
    }
    const std::string token = random_token();
    insert_move(reference, "out", token, at);
    hold_tx.commit();
    live_.insert(*record, std::nullopt);
    audit_.append(at, actor, "release", reference,
                  detail + "; moved back to the enquiry store; move " + token);
    enquiry_tx.commit();
    crash_hook("release-write");
    finish_move_out(reference);
    // The hold copy's pages are zeroed (secure_delete); the write-ahead log
    // still has their old images until a checkpoint, so take one now: a
    // released record may be erased next and must leave nothing here. A
    // busy reader delays it to the next checkpoint, and the caller is told.
    outcome.hold_wal_truncated = truncate_wal(holds_db_);
    outcome.moved_back = true;
    return outcome;
  }

  int reconcile() override {
    struct Move {
      std::string reference, direction, token;
      std::int64_t started_at;
    };
    std::vector<Move> moves;
    {
      sqlite::StatementScope select(holds_db_.cached(
          "SELECT reference, direction, token, started_at FROM moves ORDER BY reference"));
      while (select->step()) {
        moves.push_back({select->column_text(0), select->column_text(1), select->column_text(2),
                         select->column_int64(3)});
      }
    }
    for (const Move& move : moves) {
      sqlite::Transaction enquiry_tx(*enquiries_);
      const std::optional<EnquiryRecord> held_copy = held_.find(move.reference);
      const bool live = live_.find(move.reference).has_value();
      const std::string detail = "move " + move.token + " completed after an interruption";
      if (move.direction == "in") {
        // The hold copy wins; without one (never expected) keep the live copy.
        if (held_copy && live) {
          remove_live_copy(move.reference, move.started_at);
          audit_.append(move.started_at, "reconcile", "hold", move.reference, detail);
        }
        enquiry_tx.commit();
        clear_moves(move.reference);
        continue;
      }
      if (held_copy && !live && !audit_names(move.reference, move.token, move.started_at)) {
        live_.insert(*held_copy, std::nullopt);
        audit_.append(move.started_at, "reconcile", "release", move.reference, detail);
      }
      enquiry_tx.commit();
      finish_move_out(move.reference);
    }
    return static_cast<int>(moves.size());
  }

 private:
  static std::string random_token() { return hex(random_bytes(8)); }

  // Deletes the enquiry store's copy of a record that the hold store now
  // holds. A reference derived from the form's token (schema version 4)
  // has that token's key in its row and nowhere else, so the key moves to
  // the idempotency table, for as long as the token could still be posted:
  // a replay of the form while the record is held, or after its release,
  // is then answered with the reference and stores nothing. (Without it, a
  // replay would store a second enquiry under the held one's reference.)
  void remove_live_copy(const std::string& reference, std::int64_t at) {
    std::string key;
    {
      sqlite::StatementScope select(
          enquiries_->cached("SELECT idempotency_key FROM enquiries "
                             "WHERE reference = ?1 AND idempotency_key IS NOT NULL"));
      select->bind_text(1, reference);
      if (select->step()) key = select->column_blob(0);
    }
    if (!key.empty()) {
      sqlite::StatementScope keep(enquiries_->cached(schema::kKeepTokenKey));
      keep->bind_blob(1, key);
      keep->bind_text(2, reference);
      // The token was issued before `at`; the intake's own rows use the
      // token's issue time plus the same lifetime and minute.
      keep->bind_int64(3, at + token_lifetime_seconds_ + 60);
      keep->run();
    }
    live_.erase(reference);
  }

  void refuse_if_moving(const std::string& reference) {
    sqlite::StatementScope select(holds_db_.cached("SELECT 1 FROM moves WHERE reference = ?1"));
    select->bind_text(1, reference);
    if (select->step()) {
      throw StorageUnavailable(
          "enquiry " + reference + " is being moved by another command; try again", true);
    }
  }

  void insert_move(const std::string& reference, const char* direction, const std::string& token,
                   std::int64_t at) {
    sqlite::StatementScope insert(holds_db_.cached(
        "INSERT INTO moves (reference, direction, token, started_at) VALUES (?1, ?2, ?3, ?4)"));
    insert->bind_text(1, reference);
    insert->bind_text(2, direction);
    insert->bind_text(3, token);
    insert->bind_int64(4, at);
    insert->run();
  }

  void clear_moves(const std::string& reference) {
    sqlite::Transaction hold_tx(holds_db_);
    sqlite::StatementScope remove(holds_db_.cached("DELETE FROM moves WHERE reference = ?1"));
    remove->bind_text(1, reference);
    remove->run();
    hold_tx.commit();
  }

  // The record is back in the enquiry database (or was erased there after
  // coming back): the hold copy and the marker go in one commit.
  void finish_move_out(const std::string& reference) {
    sqlite::Transaction hold_tx(holds_db_);
    if (holds_for(reference).empty()) held_.erase(reference);
    sqlite::StatementScope remove(holds_db_.cached("DELETE FROM moves WHERE reference = ?1"));
    remove->bind_text(1, reference);
    remove->run();
    hold_tx.commit();
  }

  LegalHold insert_hold(const std::string& reference, const std::string& reason,
                        const std::string& actor, std::int64_t at) {
    sqlite::StatementScope insert(holds_db_.cached(
        "INSERT INTO holds (reference, reason, placed_at, placed_by) VALUES (?1, ?2, ?3, ?4)"));
    insert->bind_text(1, reference);
    insert->bind_text(2, reason);
    insert->bind_int64(3, at);
    insert->bind_text(4, actor);
    insert->run();
    return LegalHold{sqlite3_last_insert_rowid(holds_db_.get()), reference, reason, at, actor};
  }

  int delete_holds(const std::string& reference, const std::optional<std::int64_t>& hold_id) {
    sqlite::StatementScope remove(
        hold_id ? holds_db_.cached("DELETE FROM holds WHERE reference = ?1 AND id = ?2")
                : holds_db_.cached("DELETE FROM holds WHERE reference = ?1"));
    remove->bind_text(1, reference);
    if (hold_id) remove->bind_int64(2, *hold_id);
    remove->run();
    return sqlite3_changes(holds_db_.get());
  }

  // True if an audit row of `reference` since `since` names `token`: the
  // release's insert into the enquiry database committed.
  bool audit_names(const std::string& reference, const std::string& token, std::int64_t since) {
    for (const AuditEntry& entry : audit_.list(since - 1)) {
      if (entry.reference == reference && entry.detail.find("move " + token) != std::string::npos) {
        return true;
      }
    }
    return false;
  }

  std::unique_ptr<sqlite::Connection> enquiries_;
  sqlite::Connection holds_db_;
  AuditTrail audit_;
  RecordTable held_;
  RecordTable live_;
  const int token_lifetime_seconds_;
};

}  // namespace

namespace {

// The hold store is created by whoever first places a hold: usually
// sealform-admin run as root. It holds sealed records like the live store,
// so it is made like one: owner-only, and (when made by root) owned by the
// live database's owner, so that sealform-purge, run as that user, can
// open it. SQLite then opens the empty file as an empty database, and gives
// its -wal and -shm files the same mode and owner.
void create_hold_file(const Config& config) {
  const int fd =
      ::open(config.hold_database.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return;
    throw StorageUnavailable("cannot create " + config.hold_database + ": " + std::strerror(errno));
  }
  struct stat live {};
  const bool failed = ::geteuid() == 0 && ::stat(config.database.c_str(), &live) == 0 &&
                      ::fchown(fd, live.st_uid, live.st_gid) != 0;
  const int saved = errno;
  ::close(fd);
  if (failed) {
    throw StorageUnavailable("cannot give " + config.hold_database + " the owner of " +
                             config.database + ": " + std::strerror(saved));
  }
}

}  // namespace

std::unique_ptr<HoldStore> open_hold_store(const Config& config) {
  if (config.hold_database.empty()) throw ConfigError("storage.hold_database is not set");
  if (config.hold_database == config.database) {
    throw ConfigError("storage.hold_database must be a different file from storage.database");
  }
  create_hold_file(config);
  SecretBytes audit_key =
      derive_subkey(load_web_secret(web_secret_path(config.key_directory)), Subkey::kAudit);
  auto store = std::make_unique<SqliteHoldStore>(config, std::move(audit_key));
  store->reconcile();
  return store;
}

namespace {

// Runs `sql` on `hold_database` read-only, calling `row` for each result
// row, if the file exists and has `table`; writes nothing, and never
// checkpoints the other side's WAL.
void read_hold_database(const std::string& hold_database, const char* table, const std::string& sql,
                        const std::function<void(sqlite3_stmt*)>& row) {
  struct stat info {};
  if (hold_database.empty() || ::stat(hold_database.c_str(), &info) != 0) return;
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(hold_database.c_str(), &raw,
                                 SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
  sqlite::DbHandle db(raw);
  if (rc != SQLITE_OK) sqlite::throw_error(raw, rc, hold_database, "open read-only");
  sqlite3_db_config(raw, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  const auto run = [&](const std::string& query, const std::function<void(sqlite3_stmt*)>& each) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(raw, query.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      sqlite::throw_error(raw, sqlite3_errcode(raw), hold_database, "read the hold store");
    }
    sqlite::StmtHandle statement(stmt);
    int step;
    while ((step = sqlite3_step(stmt)) == SQLITE_ROW) each(stmt);
    if (step != SQLITE_DONE) sqlite::throw_error(raw, step, hold_database, "read the hold store");
  };
  bool has_table = false;
  run(std::string("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '") + table + "'",
      [&](sqlite3_stmt*) { has_table = true; });
  if (has_table) run(sql, row);  // a file created but never migrated has none
}

}  // namespace

std::int64_t count_held_records(const std::string& hold_database) {
  std::int64_t count = 0;
  read_hold_database(hold_database, "held_records", "SELECT count(*) FROM held_records",
                     [&](sqlite3_stmt* stmt) { count = sqlite3_column_int64(stmt, 0); });
  return count;
}

std::set<std::string> references_in_motion(const std::string& hold_database) {
  std::set<std::string> references;
  read_hold_database(
      hold_database, "moves", "SELECT reference FROM moves", [&](sqlite3_stmt* stmt) {
        references.insert(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
      });
  return references;
}

}  // namespace sealform
