// purge.cc: the retention purge engine (see purge.h).
//
// Reclaiming pages: a daily VACUUM would rewrite the whole database while
// holding the write lock, so intake would wait for as long as the rewrite
// takes and could be refused past its busy timeout. Instead the purge puts
// the database in auto_vacuum = INCREMENTAL and frees pages with
// `PRAGMA incremental_vacuum(N)` in short steps, each its own transaction.
// Switching a database that was created without it takes one VACUUM, once
// (SQLite stores the mode in the header and needs a rebuild to change it);
// that run reports full_vacuum. Freed pages hold no old content either way:
// secure_delete overwrites it with zeros when a row is deleted.
#include "core/purge.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "core/audit.h"
#include "core/db_connect.h"
#include "core/schema.h"
#include "core/sqlite_handle.h"

namespace sealform {
namespace {

// The retention rule in SQL; retention.h's decide() is the same rule, and
// the tests compare the two. ?1 is erase_cutoff(now, retention_days).
#define SEALFORM_DUE "resolved_at IS NOT NULL AND resolved_at <= ?1 AND retain = 0"

constexpr const char* kSelectDueIds =
    "SELECT id, reference FROM enquiries WHERE " SEALFORM_DUE " AND id > ?2 ORDER BY id LIMIT ?3";
constexpr const char* kSelectDue =
    "SELECT id, reference, created_at, resolved_at, retain_changed_at FROM enquiries WHERE "
    SEALFORM_DUE " AND id > ?2 ORDER BY id LIMIT ?3";
constexpr const char* kDeleteDue =
    "DELETE FROM enquiries WHERE " SEALFORM_DUE
    " AND id = ?2 "
    "RETURNING reference, created_at, resolved_at, retain_changed_at, idempotency_key";
#undef SEALFORM_DUE

constexpr const char* kCountKept =
    "SELECT count(*) FROM enquiries WHERE resolved_at IS NOT NULL AND resolved_at <= ?1 "
    "AND retain <> 0";
constexpr const char* kCountNotDue =
    "SELECT count(*) FROM enquiries WHERE resolved_at IS NOT NULL AND resolved_at > ?1";
constexpr const char* kCountUnresolved =
    "SELECT count(*) FROM enquiries WHERE resolved_at IS NULL";
constexpr const char* kSelectOldUnresolved =
    "SELECT reference FROM enquiries WHERE resolved_at IS NULL AND created_at <= ?1 "
    "ORDER BY created_at, id";

// Expiry of the other limited-time tables: a DELETE of at most ?2 rows per
// transaction (keeps each write short, so intake never waits long) and a
// count for dry runs. ?1 is the cutoff.
struct Expiry {
  const char* count;
  const char* remove;
};
constexpr Expiry kIdempotency = {
    "SELECT count(*) FROM idempotency WHERE expires_at < ?1",
    "DELETE FROM idempotency WHERE key IN "
    "(SELECT key FROM idempotency WHERE expires_at < ?1 LIMIT ?2)"};
constexpr Expiry kRateLimits = {
    "SELECT count(*) FROM rate_limits WHERE window_start <= ?1",
    "DELETE FROM rate_limits WHERE (client_key, window_start) IN "
    "(SELECT client_key, window_start FROM rate_limits WHERE window_start <= ?1 LIMIT ?2)"};
// consent_records (schema version 3) exists only from that version on.
constexpr Expiry kConsent = {
    "SELECT count(*) FROM consent_records WHERE created_at <= ?1",
    "DELETE FROM consent_records WHERE consent_id IN "
    "(SELECT consent_id FROM consent_records WHERE created_at <= ?1 LIMIT ?2)"};
constexpr const char* kCountOldAudit = "SELECT count(*) FROM audit WHERE at < ?1";
constexpr const char* kAnyOldAudit = "SELECT EXISTS (SELECT 1 FROM audit WHERE at < ?1)";

constexpr int kVacuumStepPages = 256;

// Pacing. SQLite has no queue for its write lock: a writer that finds it
// taken sleeps in its busy handler (up to 100 ms between tries) and may
// miss every short gap between two of the purge's transactions, until its
// busy timeout runs out and intake answers 503. So after each write
// transaction the purge sleeps as long as that transaction held the lock
// (a duty cycle of at most one half), between kMinPause and kMaxPause:
// a waiting submission then gets the lock at about every second try.
constexpr auto kMinPause = std::chrono::milliseconds(2);
constexpr auto kMaxPause = std::chrono::milliseconds(250);

// Times one write transaction and pauses for as long when it ends.
class PacedWrite {
 public:
  explicit PacedWrite(bool enabled)
      : enabled_(enabled), started_(std::chrono::steady_clock::now()) {}
  ~PacedWrite() {
    if (!enabled_) return;
    const auto held = std::chrono::steady_clock::now() - started_;
    std::this_thread::sleep_for(std::clamp<std::chrono::steady_clock::duration>(
        held, kMinPause, kMaxPause));
  }
  PacedWrite(const PacedWrite&) = delete;
  PacedWrite& operator=(const PacedWrite&) = delete;

 private:
  bool enabled_;
  std::chrono::steady_clock::time_point started_;
};

std::int64_t count_with(sqlite::Connection& db, const char* sql, std::int64_t parameter) {
  sqlite::StatementScope select(db.cached(sql));
  select->bind_int64(1, parameter);
  return select->step() ? select->column_int64(0) : 0;
}

std::int64_t expire(sqlite::Connection& db, const Expiry& expiry, std::int64_t cutoff,
                    const PurgeOptions& options) {
  if (options.dry_run) return count_with(db, expiry.count, cutoff);
  const auto batch_size = std::clamp<std::size_t>(options.batch_size, 1, kMaxPurgeBatch);
  std::int64_t total = 0;
  for (;;) {
    PacedWrite pace(options.pace);
    sqlite::Transaction transaction(db);
    {
      sqlite::StatementScope remove(db.cached(expiry.remove));
      remove->bind_int64(1, cutoff);
      remove->bind_int64(2, static_cast<std::int64_t>(batch_size));
      remove->run();
    }
    const int changed = sqlite3_changes(db.get());
    transaction.commit();
    total += changed;
    if (changed == 0) return total;
  }
}

// Erases (or, in a dry run, lists) the due records, batch by batch.
void erase_due(sqlite::Connection& db, AuditTrail* audit, const PurgeOptions& options,
               const std::function<void(const ErasedRecord&)>& on_erased, PurgeSummary& summary) {
  const std::int64_t cutoff = erase_cutoff(options.now, options.policy.retention_days);
  const auto limit = static_cast<std::int64_t>(std::clamp<std::size_t>(options.batch_size, 1,
                                                                        kMaxPurgeBatch));
  auto emit = [&](sqlite::Statement& row, int first) {
    RetentionFacts facts;
    facts.created_at = row.column_int64(first + 1);
    facts.resolved_at = row.column_int64(first + 2);
    facts.retain_changed_at = row.column_optional_int64(first + 3);
    ErasedRecord erased{row.column_text(first), facts.created_at, *facts.resolved_at,
                        erase_rule_name(facts, options.policy)};
    ++summary.erased;
    on_erased(erased);
    return erased;
  };
  // A record between the two stores after an interrupted hold or release
  // is left alone until the move is finished (hold_store.h: reconcile).
  auto in_motion = [&](const std::string& reference) {
    if (options.in_motion.count(reference) == 0) return false;
    ++summary.left_in_motion;
    return true;
  };
  std::int64_t last_id = 0;
  for (;;) {
    if (options.dry_run) {
      sqlite::StatementScope select(db.cached(kSelectDue));
      select->bind_int64(1, cutoff);
      select->bind_int64(2, last_id);
      select->bind_int64(3, limit);
      std::int64_t rows = 0;
      while (select->step()) {
        last_id = select->column_int64(0);
        ++rows;
        if (in_motion(select->column_text(1))) continue;
        emit(*select, 1);
      }
      if (rows < limit) return;
      continue;
    }
    std::vector<std::int64_t> ids;
    std::int64_t selected = 0;
    {
      sqlite::StatementScope select(db.cached(kSelectDueIds));
      select->bind_int64(1, cutoff);
      select->bind_int64(2, last_id);
      select->bind_int64(3, limit);
      while (select->step()) {
        ++selected;
        last_id = select->column_int64(0);
        if (!in_motion(select->column_text(1))) ids.push_back(last_id);
      }
    }
    if (selected == 0) return;
    if (ids.empty()) {
      if (selected < limit) return;
      continue;
    }
    if (options.before_delete) options.before_delete(ids);
    PacedWrite pace(options.pace);
    sqlite::Transaction transaction(db);
    sqlite::Statement& remove = db.cached(kDeleteDue);
    for (std::int64_t id : ids) {
      sqlite::StatementScope scope(remove);
      remove.bind_int64(1, cutoff);
      remove.bind_int64(2, id);
      if (!remove.step()) continue;  // no longer due: held, reopened or opted in
      const ErasedRecord erased = emit(remove, 0);
      const std::string token_key = remove.column_is_null(4) ? "" : remove.column_blob(4);
      while (remove.step()) {
      }
      // The intake's own rows use the token's issue time (at most the
      // record's creation) plus the same lifetime and minute.
      const std::int64_t replayable_until = erased.created_at + options.token_lifetime_seconds + 60;
      if (!token_key.empty() && replayable_until > options.now) {
        // A retention shorter than the token's lifetime: schema.h.
        sqlite::StatementScope keep(db.cached(schema::kKeepTokenKey));
        keep->bind_blob(1, token_key);
        keep->bind_text(2, erased.reference);
        keep->bind_int64(3, replayable_until);
        keep->run();
      }
      audit->append(options.recorded_at != 0 ? options.recorded_at : options.now, kPurgeActor,
                    "purge", erased.reference, "erased by retention rule " + erased.rule);
    }
    transaction.commit();
    if (selected < limit) return;
  }
}

void count_remaining(sqlite::Connection& db, const PurgeOptions& options,
                     PurgeSummary& summary) {
  const std::int64_t cutoff = erase_cutoff(options.now, options.policy.retention_days);
  // In a dry run the due records are still there; they are not "kept".
  summary.kept_by_opt_in = count_with(db, kCountKept, cutoff);
  summary.not_yet_due = count_with(db, kCountNotDue, cutoff);
  summary.unresolved = db.query_int64(kCountUnresolved);
  sqlite::StatementScope select(db.cached(kSelectOldUnresolved));
  select->bind_int64(1, warning_cutoff(options.now, options.policy.unresolved_warning_days));
  while (select->step()) summary.unresolved_past_warning.push_back(select->column_text(0));
}

void reclaim_and_checkpoint(sqlite::Connection& db, bool pace, PurgeSummary& summary) {
  summary.pages_reclaimed = db.query_int64("PRAGMA freelist_count");
  constexpr std::int64_t kIncremental = 2;
  if (db.query_int64("PRAGMA auto_vacuum") != kIncremental) {
    db.exec("PRAGMA auto_vacuum = INCREMENTAL", "auto_vacuum");
    db.exec("VACUUM", "vacuum (one-time switch to incremental auto_vacuum)");
    summary.full_vacuum = true;
  }
  while (db.query_int64("PRAGMA freelist_count") > 0) {
    PacedWrite paced(pace);
    db.exec("PRAGMA incremental_vacuum(" + std::to_string(kVacuumStepPages) + ")",
            "incremental_vacuum");
  }
  // TRUNCATE: copy every frame back and cut the WAL file to zero bytes, so
  // no page image from before the deletions is left in it.
  sqlite::StatementScope checkpoint(db.cached("PRAGMA wal_checkpoint(TRUNCATE)"));
  summary.checkpoint_complete = checkpoint->step() && checkpoint->column_int64(0) == 0;
}

// Everything one run does, up to the reclaim: the due records, the
// remaining counts, and the other tables' expired rows.
void expire_all(sqlite::Connection& db, AuditTrail* audit, const PurgeOptions& options,
                const std::function<void(const ErasedRecord&)>& on_erased, PurgeSummary& summary) {
  erase_due(db, audit, options, on_erased, summary);
  count_remaining(db, options, summary);

  summary.idempotency_expired = expire(db, kIdempotency, options.now, options);
  summary.rate_limits_expired =
      expire(db, kRateLimits, options.now - options.rate_window_seconds, options);
  if (has_table(db, "consent_records")) {
    summary.consent_expired =
        expire(db, kConsent,
               options.now - std::int64_t{options.consent_record_days} * kSecondsPerDay, options);
  }
  const std::int64_t audit_cutoff =
      options.now - std::int64_t{options.audit_retention_days} * kSecondsPerDay;
  if (options.dry_run) {
    if (has_table(db, "audit")) {
      summary.audit_expired = count_with(db, kCountOldAudit, audit_cutoff);
    }
    return;
  }
  // AuditTrail::expire() verifies the whole chain inside its write
  // transaction; only call it when some row is actually past retention.
  if (count_with(db, kAnyOldAudit, audit_cutoff) > 0) {
    summary.audit_expired = audit->expire(audit_cutoff);
  }
}

}  // namespace

PurgeOptions purge_options(const Config& config, std::int64_t now, bool dry_run) {
  PurgeOptions options;
  options.now = now;
  options.dry_run = dry_run;
  options.policy.retention_days = config.retention_days;
  options.policy.unresolved_warning_days = config.unresolved_warning_days;
  options.audit_retention_days = config.audit_retention_days;
  options.consent_record_days = config.consent_record_days;
  options.token_lifetime_seconds = config.token_lifetime_seconds;
  options.rate_window_seconds =
      std::max(config.per_client_window_seconds, config.global_window_seconds);
  return options;
}

PurgeSummary run_purge(sqlite::Connection& db, AuditTrail* audit, const PurgeOptions& options,
                       const std::function<void(const ErasedRecord&)>& on_erased) {
  if (!options.dry_run && audit == nullptr) {
    throw Error("database " + db.path() + ": a purge that erases needs the audit trail");
  }
  PurgeSummary summary;
  if (options.dry_run) {
    expire_all(db, audit, options, on_erased, summary);
    return summary;
  }
  try {
    expire_all(db, audit, options, on_erased, summary);
  } catch (...) {
    // Records erased before the failure still leave nothing behind: their
    // pages' old images go with the checkpoint (best effort: the first
    // error is the one reported).
    if (summary.erased > 0) {
      try {
        reclaim_and_checkpoint(db, false, summary);
      } catch (const std::exception&) {
      }
    }
    throw;
  }
  reclaim_and_checkpoint(db, options.pace, summary);
  return summary;
}

}  // namespace sealform
