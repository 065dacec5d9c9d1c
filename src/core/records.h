// records.h: staff operations on the enquiry database (sealform-admin).
//
// RecordStore is the narrow interface sealform-admin uses for everything it
// does to stored enquiries: listing with filters, lookups, the resolution
// time, replacing one field's ciphertext, erasure, withdrawing a retention
// opt-in, key usage and re-wrapping data keys. It never sees plaintext:
// callers seal and open fields themselves (seal.h, open/open.h).
//
// Every change takes an AuditNote and writes its audit row (audit.h) in the
// same transaction as the change, so both commit or neither does. Writes
// are short BEGIN IMMEDIATE transactions under the configured busy timeout,
// so sealform-fcgi keeps storing enquiries while an admin command runs.
//
// Thread-safety: one RecordStore per thread (one SQLite connection each).
// Failures throw sealform::Error (StorageUnavailable when transient).
#ifndef SEALFORM_CORE_RECORDS_H_
#define SEALFORM_CORE_RECORDS_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/audit.h"
#include "core/config.h"
#include "core/secret.h"
#include "core/store.h"

namespace sealform {

enum class StatusFilter { kOpen, kResolved, kAll };

struct ListFilter {
  StatusFilter status = StatusFilter::kAll;
  std::optional<std::int64_t> since;      // created_at >= since
  std::optional<std::string> category;
};

// Who did it, when, and what to say in the audit row (no personal data).
struct AuditNote {
  std::int64_t at = 0;
  std::string actor;
  std::string action;
  std::string detail;
};

// What erase() found: whether the row was there, and whether the files on
// disk no longer hold old page images (the WAL was checkpointed and
// truncated; false when a reader kept it busy).
struct EraseOutcome {
  bool erased = false;
  bool wal_truncated = false;
};

class RecordStore {
 public:
  virtual ~RecordStore() = default;

  // Full rows (ciphertexts included), oldest first.
  virtual std::vector<EnquiryRecord> list(const ListFilter& filter) = 0;
  virtual std::optional<EnquiryRecord> find(const std::string& reference) = 0;
  virtual std::vector<std::string> find_by_email_index(const std::string& email_index) = 0;

  // Sets (a value) or clears (nullopt) resolved_at. False if no such record.
  virtual bool set_resolved(const std::string& reference, std::optional<std::int64_t> resolved_at,
                            const AuditNote& note) = 0;

  // Replaces the ciphertext of one personal field; for the email field the
  // new blind index too (`email_index`, else ignored). False if not found.
  virtual bool replace_field(const std::string& reference, const std::string& field,
                             const std::string& blob, const std::string& email_index,
                             const AuditNote& note) = 0;

  // Deletes the record (and expired idempotency rows naming it) with
  // secure_delete on, then checkpoints and truncates the WAL so no old page
  // image of it remains in the database or WAL files. The key of the form
  // token that stored it stays in the idempotency table, with the
  // reference, until the token has expired, so that posting the same form
  // again stores nothing.
  virtual EraseOutcome erase(const std::string& reference, const AuditNote& note) = 0;

  // Clears retain on every record with this blind index that has it set;
  // returns the references changed (one audit row each).
  virtual std::vector<std::string> withdraw_retain(const std::string& email_index,
                                                   const AuditNote& note) = 0;

  // Number of records per key id.
  virtual std::map<std::string, std::int64_t> key_usage() = 0;

  // Up to `limit` records with id > *cursor not wrapped for `key_id`,
  // oldest first; advances *cursor past them (resumable re-wrapping).
  virtual std::vector<EnquiryRecord> wrapped_for_other_keys(const std::string& key_id,
                                                            std::int64_t* cursor,
                                                            std::size_t limit) = 0;

  // Replaces wrapped data keys in ONE short transaction, each only if the
  // row still holds the wrapped key it had when read (compare-and-set), and
  // writes one audit row for the batch. Returns how many were replaced.
  struct Rewrap {
    std::string reference;
    std::string old_wrapped_key;
    std::string new_key_id;
    std::string new_wrapped_key;
  };
  virtual std::size_t rewrap(const std::vector<Rewrap>& batch, const AuditNote& note) = 0;

  // Copies the WAL into the database file and empties it (db_connect.h,
  // truncate_wal): old page images of changed rows, such as the wrapped
  // keys a rekey replaced, leave both files. False when a busy reader
  // delays that to the next checkpoint.
  virtual bool clear_wal() = 0;

  // Appends an audit row not tied to a change in this store (keys rotate).
  virtual void audit(const std::string& reference, const AuditNote& note) = 0;
  // One audit row per reference, in one transaction (a listing that showed
  // the names of many enquiries).
  virtual void audit_each(const std::vector<std::string>& references, const AuditNote& note) = 0;

  // The store's audit trail (list, verify).
  virtual AuditTrail& audit_trail() = 0;
};

// Opens config.database (migrating it forward like open_sqlite_store) with
// the audit trail keyed by `audit_key` (derive_subkey(web secret, kAudit)).
std::unique_ptr<RecordStore> open_sqlite_records(const Config& config, SecretBytes audit_key);

// As above for an explicit path and busy timeout (tests, tools).
std::unique_ptr<RecordStore> open_sqlite_records(const std::string& path, int busy_timeout_ms,
                                                 SecretBytes audit_key);

}  // namespace sealform

#endif  // SEALFORM_CORE_RECORDS_H_
