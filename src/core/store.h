// store.h: the narrow storage interface, and the SQLite implementation.
//
// Everything that persists goes through EnquiryStore, so that a PostgreSQL
// backend can later serve several web hosts; SQLite is the embedded default.
// Plaintext columns hold only metadata (reference, times, category, locale,
// consent flags, policy version, key id); every personal field is a
// ciphertext column; the email is found by its blind index.
//
// Thread-safety: one EnquiryStore per thread (SQLite: one connection each).
// Failures throw sealform::Error; a transient one (busy past the timeout,
// disk full, read-only file) throws StorageUnavailable. Every write is one
// transaction: all of it happens or none of it.
#ifndef SEALFORM_CORE_STORE_H_
#define SEALFORM_CORE_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/config.h"
#include "core/seal.h"

namespace sealform {

class WalCheckpointer;  // wal_checkpointer.h

// One enquiry row as stored. Times are Unix seconds (UTC).
struct EnquiryRecord {
  std::string reference;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> resolved_at;  // set: resolved (retention clock runs)
  std::string category;
  std::string locale;
  bool age_confirmed = false;
  bool retain = false;  // retention opt-in
  std::optional<std::int64_t> retain_changed_at;
  std::string policy_version;
  std::string email_index;  // blind index, 32 raw bytes
  SealedRecord sealed;      // key_id, wrapped key, field blobs

  bool resolved() const { return resolved_at.has_value(); }
};

struct InsertOutcome {
  std::string reference;  // the stored reference (the original one on a replay)
  bool replayed = false;  // the idempotency key had been used: nothing new stored
  // Set when a rate counter was already at its limit: nothing stored, and
  // this is the counter's index in PendingInsert::rate_counters.
  std::optional<std::size_t> over_limit;
};

// A rate-limit counter that a submission increments when it is stored.
struct RateCounter {
  std::string key;  // a client key, or "global"
  std::int64_t window_start = 0;
  // When > 0, a submission that finds the count at this limit is refused
  // (checked and counted in the same transaction, so concurrent posts
  // cannot overshoot it).
  std::int64_t limit = 0;
};

// One submission for insert_batch().
struct PendingInsert {
  EnquiryRecord record;
  std::string idempotency_key;  // "" for none; else unique per submission
  std::int64_t idempotency_expires_at = 0;
  // True when record.reference is reference_for(idempotency_key)
  // (reference.h): the key is stored in the enquiry's row, where a replay
  // (the same key, hence the same reference) finds it, and no idempotency
  // row is written. Another key that derived the same reference meets a
  // taken reference (the error names a duplicate reference), and is tried
  // again with a random one. False: the key goes to the idempotency table.
  bool reference_from_key = false;
  // Rate-limit counters incremented together with this item when it is
  // stored; untouched on a replay, a refusal or a failure.
  std::vector<RateCounter> rate_counters;
};

// Per item of insert_batch(): the outcome, or the error that item met.
struct BatchItemResult {
  bool ok = false;
  InsertOutcome outcome;
  std::string error;
};

class EnquiryStore {
 public:
  virtual ~EnquiryStore() = default;

  // Stores the record in one transaction. If `idempotency_key` is non-empty
  // and was stored before, stores nothing and returns the earlier reference.
  // A reference that already exists throws DuplicateReference.
  virtual InsertOutcome insert(const EnquiryRecord& record, const std::string& idempotency_key = "",
                               std::int64_t idempotency_expires_at = 0) = 0;

  // Stores several submissions in ONE transaction (group commit). One
  // failing or refused item does not undo the others: the batch is tried
  // whole first, and stored again with a savepoint per item if an item
  // needs undoing.
  // Throws (and stores nothing) if the transaction itself cannot commit.
  virtual std::vector<BatchItemResult> insert_batch(const std::vector<PendingInsert>& items) = 0;

  virtual std::optional<EnquiryRecord> find(const std::string& reference) = 0;
  virtual std::vector<std::string> find_by_email_index(const std::string& email_index) = 0;

  // The reference stored under an idempotency key, if any: in the
  // idempotency table, or else, given the reference derived from the key
  // (PendingInsert::reference_from_key), in that reference's row.
  virtual std::optional<std::string> find_idempotent(const std::string& idempotency_key,
                                                     const std::string& derived_reference) = 0;
  // The idempotency table alone.
  std::optional<std::string> find_idempotent(const std::string& idempotency_key) {
    return find_idempotent(idempotency_key, std::string());
  }

  // Submissions counted for `client_key` in the window starting at
  // `window_start` (see PendingInsert::rate_counters); 0 if none. The
  // writer checks limits inside insert_batch; this is for tests and tools.
  virtual std::int64_t rate_count(const std::string& client_key, std::int64_t window_start) = 0;

  // Proof of one cookie-consent choice ("accept" or "reject"): the random
  // consent id (raw bytes, also in the visitor's cookie), the policy
  // version and the time. Nothing that identifies the visitor.
  virtual void record_consent(const std::string& consent_id, const std::string& choice,
                              const std::string& policy_version, std::int64_t created_at) = 0;

  // Counts the enquiry rows (tests and health).
  virtual std::int64_t count() = 0;

  // A cheap write check for /healthz: true if a write transaction can start and commit.
  virtual bool writable() = 0;
};

class DuplicateReference : public Error {
 public:
  explicit DuplicateReference(const std::string& m) : Error(m) {}
};

// Opens (creating if needed) the SQLite database at config.database: WAL,
// busy_timeout from config, synchronous from config, secure_delete ON,
// foreign keys ON; migrates the schema forward (PRAGMA user_version).
// With a `checkpointer` (which must outlive the store), the WAL is
// checkpointed by that thread instead of inside this store's commits.
std::unique_ptr<EnquiryStore> open_sqlite_store(const Config& config,
                                                WalCheckpointer* checkpointer = nullptr);

// As above for an explicit path and settings (tests, tools).
std::unique_ptr<EnquiryStore> open_sqlite_store(const std::string& path, Synchronous synchronous,
                                                int busy_timeout_ms,
                                                WalCheckpointer* checkpointer = nullptr);

// A connection for lookups (the web tier's read pool), as above but with a
// page cache of 512 KiB instead of SQLite's 2 MiB: a lookup reads a few
// pages, and each worker keeps several such connections.
std::unique_ptr<EnquiryStore> open_sqlite_lookup_store(const Config& config);

// The schema version this build writes.
int current_schema_version();

}  // namespace sealform

#endif  // SEALFORM_CORE_STORE_H_
