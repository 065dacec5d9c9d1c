// sqlite_handle.h: small RAII wrappers over the SQLite3 C API.
//
// Connection owns one sqlite3* and remembers the file name for messages; it
// also keeps a cache of prepared statements so that each SQL text is
// prepared once per connection and reused. Statement wraps a sqlite3_stmt*
// with bind/step/column helpers; StatementScope resets a statement (and
// clears its bindings) when it goes out of scope, so no statement is left
// holding a read snapshot. Transaction and Savepoint roll back unless
// committed/released.
//
// Errors: every failure throws. Busy/locked (after the busy timeout), disk
// full, read-only, I/O errors and "cannot open" throw StorageUnavailable;
// everything else throws sealform::Error. Messages name the database file,
// what was being done and SQLite's error text; they never contain a bound
// value.
//
// Thread-safety: a Connection and its Statements belong to one thread at a
// time (the connection is opened with SQLITE_OPEN_NOMUTEX).
#ifndef SEALFORM_CORE_SQLITE_HANDLE_H_
#define SEALFORM_CORE_SQLITE_HANDLE_H_

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.h"

namespace sealform::sqlite {

// True for result codes a client may retry later (see the file comment).
inline bool is_unavailable(int rc) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
      return true;
    default:
      return false;
  }
}

// Throws the exception that `rc` maps to. `db` may be null (open failed
// before a handle existed); then the generic text for `rc` is used.
[[noreturn]] inline void throw_error(sqlite3* db, int rc, const std::string& path,
                                     std::string_view doing) {
  const char* text = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string message = "database " + path + ": " + std::string(doing) + ": " +
                        (text != nullptr ? text : "unknown error") + " (code " +
                        std::to_string(rc) + ")";
  if (is_unavailable(rc)) {
    const int primary = rc & 0xff;
    throw StorageUnavailable(message, primary == SQLITE_BUSY || primary == SQLITE_LOCKED);
  }
  throw Error(message);
}

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using DbHandle = std::unique_ptr<sqlite3, DbCloser>;
using StmtHandle = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

class Statement {
 public:
  Statement(sqlite3* db, StmtHandle stmt, std::string path)
      : db_(db), stmt_(std::move(stmt)), path_(std::move(path)) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are 1-based, as in SQLite. Text and blobs are copied.
  void bind_text(int index, std::string_view value) {
    check(sqlite3_bind_text64(stmt_.get(), index, value.empty() ? "" : value.data(), value.size(),
                              SQLITE_TRANSIENT, SQLITE_UTF8),
          "bind");
  }
  // An empty value binds a zero-length blob, not NULL.
  void bind_blob(int index, std::string_view value) {
    check(sqlite3_bind_blob64(stmt_.get(), index, value.empty() ? "" : value.data(), value.size(),
                              SQLITE_TRANSIENT),
          "bind");
  }
  void bind_int64(int index, std::int64_t value) {
    check(sqlite3_bind_int64(stmt_.get(), index, value), "bind");
  }
  void bind_null(int index) { check(sqlite3_bind_null(stmt_.get(), index), "bind"); }
  void bind_optional_int64(int index, const std::optional<std::int64_t>& value) {
    if (value) {
      bind_int64(index, *value);
    } else {
      bind_null(index);
    }
  }

  // True if a row is available, false when done; throws on error.
  bool step() {
    const int rc = sqlite3_step(stmt_.get());
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw_error(db_, rc, path_, sql_name());
  }
  // Steps a statement that returns no rows.
  void run() { step(); }

  // Columns are 0-based, as in SQLite.
  bool column_is_null(int index) const {
    return sqlite3_column_type(stmt_.get(), index) == SQLITE_NULL;
  }
  std::int64_t column_int64(int index) const { return sqlite3_column_int64(stmt_.get(), index); }
  std::optional<std::int64_t> column_optional_int64(int index) const {
    if (column_is_null(index)) return std::nullopt;
    return column_int64(index);
  }
  std::string column_text(int index) const {
    const unsigned char* p = sqlite3_column_text(stmt_.get(), index);
    const int n = sqlite3_column_bytes(stmt_.get(), index);
    return p != nullptr ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n))
                        : std::string();
  }
  std::string column_blob(int index) const {
    const void* p = sqlite3_column_blob(stmt_.get(), index);
    const int n = sqlite3_column_bytes(stmt_.get(), index);
    return p != nullptr ? std::string(static_cast<const char*>(p), static_cast<std::size_t>(n))
                        : std::string();
  }

  // Ends the current execution and forgets the bindings. Never throws (the
  // error of the last step, if any, was already reported by step()).
  void reset() noexcept {
    sqlite3_reset(stmt_.get());
    sqlite3_clear_bindings(stmt_.get());
  }

 private:
  void check(int rc, std::string_view doing) {
    if (rc != SQLITE_OK) throw_error(db_, rc, path_, doing);
  }
  // The statement's SQL up to its first parameter names what failed without
  // carrying any bound value.
  std::string sql_name() const {
    const char* sql = sqlite3_sql(stmt_.get());
    std::string text = sql != nullptr ? sql : "statement";
    const auto cut = text.find_first_of("(?");
    if (cut != std::string::npos) text.resize(cut);
    constexpr std::size_t kMaxName = 48;
    if (text.size() > kMaxName) text = text.substr(0, kMaxName) + "...";
    while (!text.empty() && text.back() == ' ') text.pop_back();
    return text;
  }

  sqlite3* db_;
  StmtHandle stmt_;
  std::string path_;
};

// Resets `statement` when the scope ends, whatever happened.
class StatementScope {
 public:
  explicit StatementScope(Statement& statement) : statement_(statement) {}
  ~StatementScope() { statement_.reset(); }
  StatementScope(const StatementScope&) = delete;
  StatementScope& operator=(const StatementScope&) = delete;
  Statement* operator->() { return &statement_; }
  Statement& operator*() { return statement_; }

 private:
  Statement& statement_;
};

class Connection {
 public:
  // Opens (creating if needed) the file read-write with extended result
  // codes, defensive mode on and untrusted schema. Throws on failure.
  explicit Connection(std::string path) : path_(std::move(path)) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(
        path_.c_str(), &raw,
        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
        nullptr);
    db_.reset(raw);  // a handle is returned even on failure and must be closed
    if (rc != SQLITE_OK) throw_error(raw, rc, path_, "open");
    sqlite3_extended_result_codes(raw, 1);
    // Defensive: no writable_schema tricks, no shadow table edits; schema
    // functions are not trusted (the file could be swapped by someone else).
    sqlite3_db_config(raw, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
    sqlite3_db_config(raw, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() {
    cache_.clear();  // statements before the connection
    db_.reset();
  }

  sqlite3* get() const { return db_.get(); }
  const std::string& path() const { return path_; }

  // Runs one or more statements without parameters (pragmas, DDL).
  void exec(const std::string& sql, std::string_view doing) {
    const int rc = sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) throw_error(db_.get(), rc, path_, doing);
  }

  // A statement prepared once per connection and reused: the same `sql`
  // always returns the same Statement.
  Statement& cached(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
      it = cache_.emplace(sql, prepare(sql)).first;
    }
    return *it->second;
  }

  // The first column of the first row of a query without parameters.
  std::int64_t query_int64(const std::string& sql) {
    StatementScope scope(cached(sql));
    return scope->step() ? scope->column_int64(0) : 0;
  }
  std::string query_text(const std::string& sql) {
    StatementScope scope(cached(sql));
    return scope->step() ? scope->column_text(0) : std::string();
  }

  bool in_transaction() const { return sqlite3_get_autocommit(db_.get()) == 0; }

 private:
  std::unique_ptr<Statement> prepare(const std::string& sql) {
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v3(db_.get(), sql.c_str(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    StmtHandle stmt(raw);
    if (rc != SQLITE_OK) throw_error(db_.get(), rc, path_, "prepare");
    return std::make_unique<Statement>(db_.get(), std::move(stmt), path_);
  }

  std::string path_;
  DbHandle db_;
  std::map<std::string, std::unique_ptr<Statement>> cache_;
};

// A write transaction (BEGIN IMMEDIATE: the write lock is taken at once, so
// a busy database fails here and not half-way). Rolls back unless commit()
// succeeded.
class Transaction {
 public:
  // The ROLLBACK is prepared first, so the destructor never has to prepare.
  explicit Transaction(Connection& db) : db_(db), rollback_(db.cached("ROLLBACK")) {
    StatementScope begin(db_.cached("BEGIN IMMEDIATE"));
    begin->run();
  }
  ~Transaction() {
    if (committed_ || !db_.in_transaction()) return;  // SQLite may have rolled back itself
    try {
      rollback_.run();
    } catch (const Error&) {
      // Nothing more to do: the connection closes or the next BEGIN reports it.
    }
    rollback_.reset();
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit() {
    StatementScope commit(db_.cached("COMMIT"));
    commit->run();
    committed_ = true;
  }

 private:
  Connection& db_;
  Statement& rollback_;
  bool committed_ = false;
};

// A nested unit inside a Transaction. Rolls back to its start (and releases
// itself) unless release() succeeded.
class Savepoint {
 public:
  explicit Savepoint(Connection& db)
      : db_(db), rollback_to_(db.cached("ROLLBACK TO item")), release_(db.cached("RELEASE item")) {
    StatementScope begin(db_.cached("SAVEPOINT item"));
    begin->run();
  }
  ~Savepoint() {
    if (released_ || !db_.in_transaction()) return;
    for (Statement* statement : {&rollback_to_, &release_}) {
      try {
        statement->run();
      } catch (const Error&) {
        // The enclosing Transaction still rolls everything back.
      }
      statement->reset();
    }
  }
  Savepoint(const Savepoint&) = delete;
  Savepoint& operator=(const Savepoint&) = delete;

  void release() {
    StatementScope release(release_);
    release->run();
    released_ = true;
  }

 private:
  Connection& db_;
  Statement& rollback_to_;
  Statement& release_;
  bool released_ = false;
};

}  // namespace sealform::sqlite

#endif  // SEALFORM_CORE_SQLITE_HANDLE_H_
