// sqlite_store.cc: EnquiryStore on SQLite (see store.h).
//
// One connection per store object, WAL journal, busy timeout and
// synchronous level from the configuration, secure_delete and foreign keys
// on. Every statement is prepared once, when the store opens, and reused.
// Every write runs in one BEGIN IMMEDIATE transaction; insert_batch() stores
// many submissions in one (group commit), each undone alone if it must be.
#include <cstdint>
#include <ctime>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/db_connect.h"
#include "core/enquiry_row.h"
#include "core/error.h"
#include "core/fields.h"
#include "core/schema.h"
#include "core/sqlite_handle.h"
#include "core/store.h"
#include "core/wal_checkpointer.h"

namespace sealform {
namespace {

// The intake's insert: enquiry_row.h's columns (bound by bind_enquiry_row),
// then the idempotency key. A reference that exists already changes nothing
// (sqlite3_changes() says 0) instead of raising a constraint error.
constexpr int kIdempotencyKeyParameter = kEnquiryColumnCount + 1;
const std::string kInsertNewEnquiry =
    std::string("INSERT INTO enquiries (") + kEnquiryColumns +
    ", idempotency_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
    "?15, ?16, ?17, ?18) ON CONFLICT (reference) DO NOTHING";
static_assert(kIdempotencyKeyParameter == 18, "kInsertNewEnquiry names 18 parameters");

const std::string kSelectEnquiry =
    std::string("SELECT ") + kEnquiryColumns + " FROM enquiries WHERE reference = ?1";

constexpr const char* kSelectByEmailIndex =
    "SELECT reference FROM enquiries WHERE email_index = ?1 ORDER BY created_at, id";
constexpr const char* kCountEnquiries = "SELECT count(*) FROM enquiries";
// A replay's earlier reference, in one statement (one read transaction
// outside the writer): the idempotency table (random references, and keys
// kept behind by a hold), else the row of the reference derived from the
// key (?2; '' when there is none), whose own key must match.
constexpr const char* kSelectEarlier =
    "SELECT reference FROM idempotency WHERE key = ?1 "
    "UNION ALL SELECT reference FROM enquiries WHERE reference = ?2 AND idempotency_key = ?1 "
    "LIMIT 1";
constexpr const char* kInsertIdempotent =
    "INSERT INTO idempotency (key, reference, expires_at) VALUES (?1, ?2, ?3)";
constexpr const char* kSelectRate =
    "SELECT count FROM rate_limits WHERE client_key = ?1 AND window_start = ?2";
constexpr const char* kBumpRate =
    "INSERT INTO rate_limits (client_key, window_start, count) VALUES (?1, ?2, 1) "
    "ON CONFLICT (client_key, window_start) DO UPDATE SET count = count + 1 RETURNING count";
// Adds a whole batch's submissions to a counter at once (fast path).
constexpr const char* kAddRate =
    "INSERT INTO rate_limits (client_key, window_start, count) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (client_key, window_start) DO UPDATE SET count = count + excluded.count";
constexpr const char* kInsertConsent =
    "INSERT INTO consent_records (consent_id, choice, policy_version, created_at) "
    "VALUES (?1, ?2, ?3, ?4)";
constexpr const char* kTouchHealth =
    "INSERT INTO health (id, checked_at) VALUES (1, ?1) "
    "ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at";

// open_sqlite_lookup_store()'s page cache.
constexpr int kLookupCacheKiB = 512;

// The WAL hook of a store whose checkpoints run elsewhere: called after
// each commit, with the write lock released.
int hand_over_checkpoint(void* checkpointer, sqlite3* db, const char* schema, int frames) {
  static_cast<WalCheckpointer*>(checkpointer)->wal_grew(frames);
  if (frames >= WalCheckpointer::kInlineFrames) {
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  }
  return SQLITE_OK;
}

// Sets the connection up (db_connect.h: the settings every sealform
// connection shares) and migrates the schema; returns `db` so that the
// statements below can be prepared in the member initialiser list.
sqlite::Connection& configure(sqlite::Connection& db, Synchronous synchronous,
                              int busy_timeout_ms) {
  configure_connection(db, synchronous, busy_timeout_ms);
  schema::migrate(db);
  return db;
}

// The statements, prepared when the store opens.
struct Statements {
  explicit Statements(sqlite::Connection& db)
      : insert_enquiry(db.cached(kInsertNewEnquiry)),
        select_enquiry(db.cached(kSelectEnquiry)),
        select_by_email_index(db.cached(kSelectByEmailIndex)),
        count_enquiries(db.cached(kCountEnquiries)),
        select_earlier(db.cached(kSelectEarlier)),
        insert_idempotent(db.cached(kInsertIdempotent)),
        select_rate(db.cached(kSelectRate)),
        bump_rate(db.cached(kBumpRate)),
        add_rate(db.cached(kAddRate)),
        insert_consent(db.cached(kInsertConsent)),
        touch_health(db.cached(kTouchHealth)) {
    // Transaction control, so no write path prepares anything later.
    for (const char* sql : {"BEGIN IMMEDIATE", "COMMIT", "ROLLBACK", "SAVEPOINT item",
                            "ROLLBACK TO item", "RELEASE item"}) {
      db.cached(sql);
    }
  }
  sqlite::Statement& insert_enquiry;
  sqlite::Statement& select_enquiry;
  sqlite::Statement& select_by_email_index;
  sqlite::Statement& count_enquiries;
  sqlite::Statement& select_earlier;
  sqlite::Statement& insert_idempotent;
  sqlite::Statement& select_rate;
  sqlite::Statement& bump_rate;
  sqlite::Statement& add_rate;
  sqlite::Statement& insert_consent;
  sqlite::Statement& touch_health;
};

class SqliteStore : public EnquiryStore {
 public:
  SqliteStore(const std::string& path, Synchronous synchronous, int busy_timeout_ms)
      : db_(path), statements_(configure(db_, synchronous, busy_timeout_ms)) {}

  // Replaces SQLite's automatic checkpoint (itself a WAL hook) on this
  // connection with a hand-over to `checkpointer` (wal_checkpointer.h).
  void checkpoint_with(WalCheckpointer* checkpointer) {
    sqlite3_wal_hook(db_.get(), &hand_over_checkpoint, checkpointer);
  }

  // PRAGMA cache_size takes no parameters; the value is our own integer.
  void limit_page_cache(int kib) {
    db_.exec("PRAGMA cache_size = -" + std::to_string(kib), "cache_size");
  }

  InsertOutcome insert(const EnquiryRecord& record, const std::string& idempotency_key,
                       std::int64_t idempotency_expires_at) override {
    check_complete(record);
    PendingInsert item;
    item.record = record;
    item.idempotency_key = idempotency_key;
    item.idempotency_expires_at = idempotency_expires_at;
    sqlite::Transaction transaction(db_);
    InsertOutcome outcome = insert_in_transaction(item);
    transaction.commit();
    return outcome;
  }

  // Most batches store every item as it comes, so they are first tried in
  // one transaction without a savepoint per item (savepoints cost the
  // writer about a tenth of its time per item). An item that would need
  // undoing (a taken reference, any error) abandons that attempt, and the
  // batch is stored again item by item.
  std::vector<BatchItemResult> insert_batch(const std::vector<PendingInsert>& items) override {
    if (auto results = insert_batch_whole(items)) return std::move(*results);
    return insert_batch_by_item(items);
  }

  // The fast path: nullopt (and nothing stored) if an item needs undoing.
  // Rate limits are checked and counted in memory, each counter read once
  // and written once for the whole batch (the transaction holds the write
  // lock, so no other writer can count in between); a refused item is then
  // simply not stored, and needs nothing undone.
  std::optional<std::vector<BatchItemResult>> insert_batch_whole(
      const std::vector<PendingInsert>& items) {
    std::vector<BatchItemResult> results(items.size());
    sqlite::Transaction transaction(db_);
    BatchCounts counts;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const PendingInsert& item = items[i];
      try {
        check_complete(item.record);
        if (auto earlier = find_earlier(item)) {
          results[i].outcome = InsertOutcome{*earlier, true, std::nullopt};
        } else if (auto refused = count_in_memory(counts, item.rate_counters)) {
          results[i].outcome = InsertOutcome{"", false, refused};
        } else {
          insert_rows(item);
          results[i].outcome = InsertOutcome{item.record.reference, false, std::nullopt};
        }
      } catch (const StorageUnavailable&) {
        throw;  // the database, not this item: the whole batch fails
      } catch (const Error&) {
        return std::nullopt;  // the transaction rolls back
      }
      results[i].ok = true;
    }
    write_counts(counts);
    transaction.commit();
    return results;
  }

  // A batch's rate counters: the count stored before the batch, and the
  // count with the batch's stored items added.
  struct BatchCount {
    std::int64_t stored = 0;
    std::int64_t now = 0;
  };
  using BatchCounts = std::map<std::pair<std::string, std::int64_t>, BatchCount>;

  // Counts one submission in `counts`, as bump_rate would in the database.
  // Returns the index of the counter it would take past its limit (and
  // then counts nothing), or nullopt.
  std::optional<std::size_t> count_in_memory(BatchCounts& counts,
                                             const std::vector<RateCounter>& counters) {
    std::vector<BatchCount*> counted;
    for (std::size_t i = 0; i < counters.size(); ++i) {
      const RateCounter& counter = counters[i];
      const auto key = std::make_pair(counter.key, counter.window_start);
      auto found = counts.find(key);
      if (found == counts.end()) {
        const std::int64_t stored = rate_count(counter.key, counter.window_start);
        found = counts.emplace(key, BatchCount{stored, stored}).first;
      }
      BatchCount& count = found->second;
      ++count.now;
      counted.push_back(&count);
      if (counter.limit > 0 && count.now > counter.limit) {
        for (BatchCount* undo : counted) --undo->now;
        return i;
      }
    }
    return std::nullopt;
  }

  void write_counts(const BatchCounts& counts) {
    for (const auto& [key, count] : counts) {
      if (count.now == count.stored) continue;
      sqlite::StatementScope add(statements_.add_rate);
      add->bind_blob(1, key.first);
      add->bind_int64(2, key.second);
      add->bind_int64(3, count.now - count.stored);
      add->run();
    }
  }

  // Each item in its own savepoint, so one failing item does not undo the
  // others.
  std::vector<BatchItemResult> insert_batch_by_item(const std::vector<PendingInsert>& items) {
    std::vector<BatchItemResult> results(items.size());
    sqlite::Transaction transaction(db_);
    for (std::size_t i = 0; i < items.size(); ++i) {
      const PendingInsert& item = items[i];
      try {
        check_complete(item.record);
        sqlite::Savepoint savepoint(db_);
        results[i].outcome = insert_in_transaction(item);
        // A refusal over a limit undoes its counts (the savepoint rolls back).
        if (!results[i].outcome.over_limit) savepoint.release();
        results[i].ok = true;
      } catch (const StorageUnavailable&) {
        throw;  // the database, not this item: the whole batch fails
      } catch (const Error& e) {
        // If SQLite abandoned the transaction, nothing of the batch survives.
        if (!db_.in_transaction()) throw;
        results[i].error = e.what();
      }
    }
    transaction.commit();
    return results;
  }

  std::optional<EnquiryRecord> find(const std::string& reference) override {
    sqlite::StatementScope select(statements_.select_enquiry);
    select->bind_text(1, reference);
    if (!select->step()) return std::nullopt;
    return read_enquiry_row(*select, 0);
  }

  std::vector<std::string> find_by_email_index(const std::string& email_index) override {
    sqlite::StatementScope select(statements_.select_by_email_index);
    select->bind_blob(1, email_index);
    std::vector<std::string> references;
    while (select->step()) references.push_back(select->column_text(0));
    return references;
  }

  using EnquiryStore::find_idempotent;
  std::optional<std::string> find_idempotent(const std::string& idempotency_key,
                                             const std::string& derived_reference) override {
    if (idempotency_key.empty()) return std::nullopt;
    sqlite::StatementScope select(statements_.select_earlier);
    select->bind_blob(1, idempotency_key);
    select->bind_text(2, derived_reference);
    if (!select->step()) return std::nullopt;
    return select->column_text(0);
  }

  std::int64_t rate_count(const std::string& client_key, std::int64_t window_start) override {
    sqlite::StatementScope select(statements_.select_rate);
    select->bind_blob(1, client_key);
    select->bind_int64(2, window_start);
    return select->step() ? select->column_int64(0) : 0;
  }

  void record_consent(const std::string& consent_id, const std::string& choice,
                      const std::string& policy_version, std::int64_t created_at) override {
    sqlite::Transaction transaction(db_);
    {
      sqlite::StatementScope insert(statements_.insert_consent);
      insert->bind_blob(1, consent_id);
      insert->bind_text(2, choice);
      insert->bind_text(3, policy_version);
      insert->bind_int64(4, created_at);
      insert->run();
    }
    transaction.commit();
  }

  std::int64_t count() override {
    sqlite::StatementScope select(statements_.count_enquiries);
    return select->step() ? select->column_int64(0) : 0;
  }

  bool writable() override {
    try {
      sqlite::Transaction transaction(db_);
      {
        sqlite::StatementScope touch(statements_.touch_health);
        touch->bind_int64(1, static_cast<std::int64_t>(std::time(nullptr)));
        touch->run();
      }
      transaction.commit();
      return true;
    } catch (const Error&) {
      return false;
    }
  }

 private:
  // Throws unless the record has exactly the personal fields, each sealed.
  // Field names are not personal, so the message may name them.
  void check_complete(const EnquiryRecord& record) const {
    if (record.reference.empty()) {
      throw Error("database " + db_.path() + ": enquiry has no reference");
    }
    for (std::string_view field : kPersonalFields) {
      if (record.sealed.fields.count(std::string(field)) == 0) {
        throw Error("database " + db_.path() + ": enquiry lacks the sealed field " +
                    std::string(field));
      }
    }
    if (record.sealed.fields.size() != kPersonalFields.size()) {
      throw Error("database " + db_.path() + ": enquiry has a field this schema does not store");
    }
    if (record.sealed.key_id.empty() || record.sealed.wrapped_key.empty()) {
      throw Error("database " + db_.path() + ": enquiry has no wrapped data key");
    }
  }

  // The reference an earlier post of the item's form was stored under.
  std::optional<std::string> find_earlier(const PendingInsert& item) {
    return find_idempotent(item.idempotency_key,
                           item.reference_from_key ? item.record.reference : std::string());
  }

  // The body of one insert; the caller holds a transaction or savepoint.
  InsertOutcome insert_in_transaction(const PendingInsert& item) {
    if (auto earlier = find_earlier(item)) {
      return InsertOutcome{*earlier, true, std::nullopt};
    }
    const std::vector<RateCounter>& rate_counters = item.rate_counters;
    // Counted first: a count past its limit refuses the submission, and the
    // caller's savepoint takes the counts back.
    for (std::size_t i = 0; i < rate_counters.size(); ++i) {
      const RateCounter& counter = rate_counters[i];
      sqlite::StatementScope bump(statements_.bump_rate);
      bump->bind_blob(1, counter.key);
      bump->bind_int64(2, counter.window_start);
      const std::int64_t count = bump->step() ? bump->column_int64(0) : 0;
      if (counter.limit > 0 && count > counter.limit) return InsertOutcome{"", false, i};
    }
    insert_rows(item);
    return InsertOutcome{item.record.reference, false, std::nullopt};
  }

  // The enquiry row, and its idempotency key: in the row when the reference
  // was derived from the key, else in the idempotency table. A taken
  // reference throws DuplicateReference.
  void insert_rows(const PendingInsert& item) {
    const EnquiryRecord& record = item.record;
    const bool key_in_row = item.reference_from_key && !item.idempotency_key.empty();
    {
      sqlite::StatementScope insert(statements_.insert_enquiry);
      bind_enquiry_row(*insert, record, db_.path());
      if (key_in_row) insert->bind_blob(kIdempotencyKeyParameter, item.idempotency_key);
      insert->run();
      if (sqlite3_changes(db_.get()) == 0) {
        throw DuplicateReference("database " + db_.path() + ": duplicate reference");
      }
    }
    if (!item.idempotency_key.empty() && !key_in_row) {
      sqlite::StatementScope insert(statements_.insert_idempotent);
      insert->bind_blob(1, item.idempotency_key);
      insert->bind_text(2, record.reference);
      insert->bind_int64(3, item.idempotency_expires_at);
      insert->run();
    }
  }

  sqlite::Connection db_;
  Statements statements_;
};

}  // namespace

std::unique_ptr<EnquiryStore> open_sqlite_store(const std::string& path, Synchronous synchronous,
                                                int busy_timeout_ms,
                                                WalCheckpointer* checkpointer) {
  if (path.empty()) throw Error("storage.database is not set");
  auto store = std::make_unique<SqliteStore>(path, synchronous, busy_timeout_ms);
  if (checkpointer != nullptr) store->checkpoint_with(checkpointer);
  return store;
}

std::unique_ptr<EnquiryStore> open_sqlite_store(const Config& config,
                                                WalCheckpointer* checkpointer) {
  return open_sqlite_store(config.database, config.synchronous, config.busy_timeout_ms,
                           checkpointer);
}

std::unique_ptr<EnquiryStore> open_sqlite_lookup_store(const Config& config) {
  if (config.database.empty()) throw Error("storage.database is not set");
  auto store =
      std::make_unique<SqliteStore>(config.database, config.synchronous, config.busy_timeout_ms);
  store->limit_page_cache(kLookupCacheKiB);
  return store;
}

int current_schema_version() { return schema::latest_version(); }

}  // namespace sealform
