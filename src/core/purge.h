// purge.h: the retention purge engine behind sealform-purge.
//
// run_purge() applies the retention rule (retention.h) to the enquiry
// database and expires what other pieces keep for a limited time:
//   1. erases every due enquiry, in transactions of at most `batch_size`
//      records; each DELETE repeats the eligibility test in its WHERE
//      clause, so a record held, reopened or opted in after it was selected
//      is not erased; one audit row per erased record, in the same
//      transaction;
//   2. expires idempotency rows (expires_at < now), rate-limit rows past
//      their window, consent records past consent_record_days (when the
//      table exists) and audit rows past audit_retention_days;
//   3. reclaims the freed pages (incremental vacuum, see purge.cc) and
//      checkpoints the WAL with TRUNCATE, so no page image of an erased
//      record stays in the WAL; secure_delete (db_connect.h) has zeroed the
//      deleted content in the database file itself.
// After each write transaction the purge pauses as long as the transaction
// took, so intake waiting for SQLite's write lock is never starved.
// A dry run reads only: it reports what would be erased and expired and
// writes nothing (the database file stays byte-identical).
// The engine never opens the hold database. It prints nothing: erased
// records go to a callback one at a time (memory stays flat however many
// rows are erased), and the counts come back in a PurgeSummary.
#ifndef SEALFORM_CORE_PURGE_H_
#define SEALFORM_CORE_PURGE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/retention.h"

namespace sealform {

namespace sqlite {
class Connection;
}
class AuditTrail;

inline constexpr std::size_t kMaxPurgeBatch = 1000;
inline constexpr const char* kPurgeActor = "sealform-purge";

struct PurgeOptions {
  std::int64_t now = 0;  // the time the rules are applied at
  // The time the audit rows record (the real clock, when `now` was given
  // for a past date); 0: `now`.
  std::int64_t recorded_at = 0;
  bool dry_run = false;
  RetentionPolicy policy;
  int audit_retention_days = 730;
  int consent_record_days = 400;
  int rate_window_seconds = 600;    // the longest configured rate-limit window
  int token_lifetime_seconds = 7200;  // how long a form can be posted (again)
  // References whose move to or from the hold store a crash interrupted
  // (references_in_motion()): not erased until the move is finished.
  std::set<std::string> in_motion;
  std::size_t batch_size = kMaxPurgeBatch;
  // Pause after each write transaction for as long as it held the write
  // lock, so that intake waiting for the lock gets it (purge.cc).
  bool pace = true;
  // Test seam: called with the ids selected for a batch, before the batch's
  // deleting transaction begins.
  std::function<void(const std::vector<std::int64_t>&)> before_delete;
};

// Options from the configuration, for time `now`.
PurgeOptions purge_options(const Config& config, std::int64_t now, bool dry_run);

// One erased (or, in a dry run, due) record: metadata only.
struct ErasedRecord {
  std::string reference;
  std::int64_t created_at = 0;
  std::int64_t resolved_at = 0;
  std::string rule;  // erase_rule_name()
};

struct PurgeSummary {
  std::int64_t erased = 0;          // (would be) erased
  std::int64_t kept_by_opt_in = 0;  // due, but opted in
  std::int64_t not_yet_due = 0;     // resolved, period still running
  std::int64_t unresolved = 0;
  std::vector<std::string> unresolved_past_warning;  // references, oldest first
  std::int64_t idempotency_expired = 0;
  std::int64_t rate_limits_expired = 0;
  std::optional<std::int64_t> consent_expired;  // unset: no consent table
  std::int64_t audit_expired = 0;
  std::int64_t pages_reclaimed = 0;
  bool full_vacuum = false;          // the one-time switch to incremental vacuum ran
  bool checkpoint_complete = true;   // false: a reader kept the WAL from truncating
  std::int64_t left_in_motion = 0;   // due, but between the stores (PurgeOptions::in_motion)
};

// Runs the purge on an open enquiry database (db_connect.h). `audit` may be
// null only for a dry run. Throws sealform::Error; StorageUnavailable when
// the database stays busy past its timeout. Batches committed before a
// failure stay committed (each is whole).
PurgeSummary run_purge(sqlite::Connection& db, AuditTrail* audit, const PurgeOptions& options,
                       const std::function<void(const ErasedRecord&)>& on_erased);

}  // namespace sealform

#endif  // SEALFORM_CORE_PURGE_H_
