// sqlite_records.cc: RecordStore on SQLite (records.h).
//
// One connection, WAL, the configured busy timeout, secure_delete on (so a
// deleted row's bytes are overwritten with zeros in its page, and freed
// pages are zeroed). Every change is one BEGIN IMMEDIATE transaction that
// also appends its audit row. After an erasure the WAL is checkpointed in
// TRUNCATE mode, which copies the zeroed pages into the database file and
// cuts the WAL to zero bytes, so older page images that still held the
// ciphertext are gone from both files.
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "core/db_connect.h"
#include "core/enquiry_row.h"
#include "core/error.h"
#include "core/fields.h"
#include "core/records.h"
#include "core/schema.h"
#include "core/sqlite_handle.h"

namespace sealform {
namespace {

// The row id, then enquiry_row.h's columns.
const std::string kColumns = std::string("SELECT id, ") + kEnquiryColumns + " FROM enquiries ";

constexpr const char* kSetResolved = "UPDATE enquiries SET resolved_at = ?2 WHERE reference = ?1";
constexpr const char* kSetEmail =
    "UPDATE enquiries SET email_ct = ?2, email_index = ?3 WHERE reference = ?1";
constexpr const char* kDeleteEnquiry =
    "DELETE FROM enquiries WHERE reference = ?1 RETURNING idempotency_key, created_at";
// Rows naming the reference whose token has expired; a live one (kept when
// the record went to the hold store) stays, as erase() explains.
constexpr const char* kDeleteIdempotency =
    "DELETE FROM idempotency WHERE reference = ?1 AND expires_at <= ?2";
constexpr const char* kWithdrawTargets =
    "SELECT reference FROM enquiries WHERE email_index = ?1 AND retain != 0 ORDER BY id";
constexpr const char* kWithdraw =
    "UPDATE enquiries SET retain = 0, retain_changed_at = ?2 WHERE reference = ?1";
constexpr const char* kKeyUsage = "SELECT key_id, count(*) FROM enquiries GROUP BY key_id";
constexpr const char* kRewrap =
    "UPDATE enquiries SET key_id = ?3, wrapped_key = ?4 WHERE reference = ?1 AND wrapped_key = ?2";

// The column of a personal field, from the fixed list (never from input).
std::string field_column(const std::string& field) {
  for (std::string_view known : kPersonalFields) {
    if (known == field) return std::string(known) + "_ct";
  }
  throw Error("no stored personal field named '" + field + "'");
}

EnquiryRecord read_record(sqlite::StatementScope& row) { return read_enquiry_row(*row, 1); }

class SqliteRecords : public RecordStore {
 public:
  SqliteRecords(const std::string& path, Synchronous synchronous, int busy_timeout_ms,
                int token_lifetime_seconds, SecretBytes audit_key)
      : db_(path),
        trail_(setup(db_, synchronous, busy_timeout_ms), std::move(audit_key)),
        token_lifetime_seconds_(token_lifetime_seconds) {}

  std::vector<EnquiryRecord> list(const ListFilter& filter) override {
    std::string sql = kColumns + "WHERE created_at >= ?1";
    if (filter.status == StatusFilter::kOpen) sql += " AND resolved_at IS NULL";
    if (filter.status == StatusFilter::kResolved) sql += " AND resolved_at IS NOT NULL";
    if (filter.category) sql += " AND category = ?2";
    sql += " ORDER BY created_at, id";
    sqlite::StatementScope select(db_.cached(sql));
    select->bind_int64(1, filter.since.value_or(std::numeric_limits<std::int64_t>::min()));
    if (filter.category) select->bind_text(2, *filter.category);
    std::vector<EnquiryRecord> records;
    while (select->step()) records.push_back(read_record(select));
    return records;
  }

  std::optional<EnquiryRecord> find(const std::string& reference) override {
    sqlite::StatementScope select(db_.cached(kColumns + "WHERE reference = ?1"));
    select->bind_text(1, reference);
    if (!select->step()) return std::nullopt;
    return read_record(select);
  }

  std::vector<std::string> find_by_email_index(const std::string& email_index) override {
    sqlite::StatementScope select(db_.cached(
        "SELECT reference FROM enquiries WHERE email_index = ?1 ORDER BY created_at, id"));
    select->bind_blob(1, email_index);
    std::vector<std::string> references;
    while (select->step()) references.push_back(select->column_text(0));
    return references;
  }

  bool set_resolved(const std::string& reference, std::optional<std::int64_t> resolved_at,
                    const AuditNote& note) override {
    sqlite::Transaction transaction(db_);
    {
      sqlite::StatementScope update(db_.cached(kSetResolved));
      update->bind_text(1, reference);
      update->bind_optional_int64(2, resolved_at);
      update->run();
    }
    if (sqlite3_changes(db_.get()) == 0) return false;
    append(reference, note);
    transaction.commit();
    return true;
  }

  bool replace_field(const std::string& reference, const std::string& field,
                     const std::string& blob, const std::string& email_index,
                     const AuditNote& note) override {
    const std::string column = field_column(field);
    sqlite::Transaction transaction(db_);
    if (field == "email") {
      sqlite::StatementScope update(db_.cached(kSetEmail));
      update->bind_text(1, reference);
      update->bind_blob(2, blob);
      update->bind_blob(3, email_index);
      update->run();
    } else {
      sqlite::StatementScope update(
          db_.cached("UPDATE enquiries SET " + column + " = ?2 WHERE reference = ?1"));
      update->bind_text(1, reference);
      update->bind_blob(2, blob);
      update->run();
    }
    if (sqlite3_changes(db_.get()) == 0) return false;
    append(reference, note);
    transaction.commit();
    // The old ciphertext is overwritten in its page; the old page image
    // leaves the WAL here (or at the next checkpoint, if a reader is busy).
    truncate_wal(db_);
    return true;
  }

  EraseOutcome erase(const std::string& reference, const AuditNote& note) override {
    EraseOutcome outcome;
    {
      sqlite::Transaction transaction(db_);
      std::string token_key;
      std::int64_t created_at = 0;
      {
        sqlite::StatementScope remove(db_.cached(kDeleteEnquiry));
        remove->bind_text(1, reference);
        if (!remove->step()) return outcome;
        if (!remove->column_is_null(0)) token_key = remove->column_blob(0);
        created_at = remove->column_int64(1);
        while (remove->step()) {
        }
      }
      {
        sqlite::StatementScope remove(db_.cached(kDeleteIdempotency));
        remove->bind_text(1, reference);
        remove->bind_int64(2, note.at);
        remove->run();
      }
      // The intake's own rows use the token's issue time (at most the
      // record's creation) plus the token's lifetime and a minute.
      const std::int64_t replayable_until = created_at + token_lifetime_seconds_ + 60;
      if (!token_key.empty() && replayable_until > note.at) {
        // A browser's retry or a resent form must not bring it back.
        sqlite::StatementScope keep(db_.cached(schema::kKeepTokenKey));
        keep->bind_blob(1, token_key);
        keep->bind_text(2, reference);
        keep->bind_int64(3, replayable_until);
        keep->run();
      }
      append(reference, note);
      transaction.commit();
    }
    outcome.erased = true;
    outcome.wal_truncated = truncate_wal(db_);
    return outcome;
  }

  std::vector<std::string> withdraw_retain(const std::string& email_index,
                                           const AuditNote& note) override {
    sqlite::Transaction transaction(db_);
    std::vector<std::string> changed;
    {
      sqlite::StatementScope select(db_.cached(kWithdrawTargets));
      select->bind_blob(1, email_index);
      while (select->step()) changed.push_back(select->column_text(0));
    }
    for (const std::string& reference : changed) {
      {
        sqlite::StatementScope update(db_.cached(kWithdraw));
        update->bind_text(1, reference);
        update->bind_int64(2, note.at);
        update->run();
      }
      append(reference, note);
    }
    transaction.commit();
    return changed;
  }

  std::map<std::string, std::int64_t> key_usage() override {
    std::map<std::string, std::int64_t> usage;
    sqlite::StatementScope select(db_.cached(kKeyUsage));
    while (select->step()) usage[select->column_text(0)] = select->column_int64(1);
    return usage;
  }

  std::vector<EnquiryRecord> wrapped_for_other_keys(const std::string& key_id, std::int64_t* cursor,
                                                    std::size_t limit) override {
    sqlite::StatementScope select(
        db_.cached(kColumns + "WHERE id > ?1 AND key_id != ?2 ORDER BY id LIMIT ?3"));
    select->bind_int64(1, *cursor);
    select->bind_text(2, key_id);
    select->bind_int64(3, static_cast<std::int64_t>(limit));
    std::vector<EnquiryRecord> records;
    while (select->step()) {
      *cursor = select->column_int64(0);
      records.push_back(read_record(select));
    }
    return records;
  }

  std::size_t rewrap(const std::vector<Rewrap>& batch, const AuditNote& note) override {
    sqlite::Transaction transaction(db_);
    std::size_t replaced = 0;
    for (const Rewrap& item : batch) {
      sqlite::StatementScope update(db_.cached(kRewrap));
      update->bind_text(1, item.reference);
      update->bind_blob(2, item.old_wrapped_key);
      update->bind_text(3, item.new_key_id);
      update->bind_blob(4, item.new_wrapped_key);
      update->run();
      replaced += static_cast<std::size_t>(sqlite3_changes(db_.get()));
    }
    AuditNote counted = note;
    counted.detail +=
        (counted.detail.empty() ? "" : "; ") + std::string("records=") + std::to_string(replaced);
    append("", counted);
    transaction.commit();
    return replaced;
  }

  bool clear_wal() override { return truncate_wal(db_); }

  void audit(const std::string& reference, const AuditNote& note) override {
    sqlite::Transaction transaction(db_);
    append(reference, note);
    transaction.commit();
  }

  void audit_each(const std::vector<std::string>& references, const AuditNote& note) override {
    sqlite::Transaction transaction(db_);
    for (const std::string& reference : references) append(reference, note);
    transaction.commit();
  }

  AuditTrail& audit_trail() override { return trail_; }

 private:
  static sqlite::Connection& setup(sqlite::Connection& db, Synchronous synchronous,
                                   int busy_timeout_ms) {
    configure_connection(db, synchronous, busy_timeout_ms);
    schema::migrate(db);
    return db;
  }

  void append(const std::string& reference, const AuditNote& note) {
    trail_.append(note.at, note.actor, note.action, reference, note.detail);
  }

  sqlite::Connection db_;
  AuditTrail trail_;
  const int token_lifetime_seconds_;
};

}  // namespace

std::unique_ptr<RecordStore> open_sqlite_records(const Config& config, SecretBytes audit_key) {
  if (config.database.empty()) throw Error("storage.database is not set");
  return std::make_unique<SqliteRecords>(config.database, config.synchronous,
                                         config.busy_timeout_ms, config.token_lifetime_seconds,
                                         std::move(audit_key));
}

std::unique_ptr<RecordStore> open_sqlite_records(const std::string& path, int busy_timeout_ms,
                                                 SecretBytes audit_key) {
  return std::make_unique<SqliteRecords>(path, Synchronous::kFull, busy_timeout_ms,
                                         Config().token_lifetime_seconds, std::move(audit_key));
}

}  // namespace sealform
