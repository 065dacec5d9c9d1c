// schema.cc: the migration steps and the code that applies them.
#include "core/schema.h"

#include <string>

#include "core/error.h"

namespace sealform::schema {
namespace {

// Version 1: enquiries (metadata in plaintext, personal fields as
// ciphertext blobs), idempotency keys for replayed form tokens, rate-limit
// counters, and a one-row table that the health check writes to.
// Status is derived (resolved iff resolved_at IS NOT NULL).
constexpr const char* kVersion1 = R"sql(
CREATE TABLE enquiries (
  id INTEGER PRIMARY KEY,
  reference TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  resolved_at INTEGER,
  category TEXT NOT NULL,
  locale TEXT NOT NULL,
  age_confirmed INTEGER NOT NULL,
  retain INTEGER NOT NULL DEFAULT 0,
  retain_changed_at INTEGER,
  policy_version TEXT NOT NULL,
  key_id TEXT NOT NULL,
  wrapped_key BLOB NOT NULL,
  email_index BLOB NOT NULL,
  name_ct BLOB NOT NULL,
  company_ct BLOB NOT NULL,
  job_title_ct BLOB NOT NULL,
  email_ct BLOB NOT NULL,
  message_ct BLOB NOT NULL
);
CREATE INDEX enquiries_email_index ON enquiries(email_index);
CREATE INDEX enquiries_resolved_key ON enquiries(resolved_at, key_id);
CREATE TABLE idempotency (
  key BLOB PRIMARY KEY,
  reference TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE rate_limits (
  client_key BLOB NOT NULL,
  window_start INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (client_key, window_start)
) WITHOUT ROWID;
CREATE TABLE health (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  checked_at INTEGER NOT NULL
);
)sql";

// Version 2: the tamper-evident audit trail (audit.h). Rows carry no
// personal data. `id` is assigned by AuditTrail (last id + 1) and covered by
// each row's MAC; prev_mac is the MAC of the row before. audit_anchor holds
// one row: where the kept chain starts (after audit retention removed older
// rows) and where it ends (so removing the newest rows shows), itself
// authenticated under the audit subkey.
constexpr const char* kVersion2 = R"sql(
CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  reference TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_mac BLOB NOT NULL,
  mac BLOB NOT NULL
);
CREATE INDEX audit_at ON audit(at);
CREATE TABLE audit_anchor (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  first_id INTEGER NOT NULL,
  first_prev_mac BLOB NOT NULL,
  head_id INTEGER NOT NULL,
  head_mac BLOB NOT NULL,
  mac BLOB NOT NULL
);
)sql";

// Version 3: proof of cookie consent (web/consent.h). One row per choice a
// visitor makes: the random consent id also held in their cookie, the
// choice, the policy version shown and the time. No address, no user
// agent, nothing that identifies the visitor; the purge expires the rows
// after retention.consent_record_days.
constexpr const char* kVersion3 = R"sql(
CREATE TABLE consent_records (
  consent_id BLOB PRIMARY KEY,
  choice TEXT NOT NULL CHECK (choice IN ('accept', 'reject')),
  policy_version TEXT NOT NULL,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX consent_records_created ON consent_records(created_at);
)sql";

// Version 4: the idempotency key of a form whose reference was derived from
// it (reference.h, reference_for). A replay of that form derives the same
// reference; the key stored beside it tells a replay from another form
// whose reference happens to be the same. Such rows need no row in the
// idempotency table, which keeps the rows of random references (older
// rows, and the rare second try after a reference was taken). NULL for
// those. Not personal: the form token's issue time and random nonce.
constexpr const char* kVersion4 = R"sql(
ALTER TABLE enquiries ADD COLUMN idempotency_key BLOB;
)sql";

}  // namespace

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> steps = {
      {1, kVersion1},
      {2, kVersion2},
      {3, kVersion3},
      {4, kVersion4},
  };
  return steps;
}

int latest_version() { return migrations().back().version; }

int version_of(sqlite::Connection& db) {
  return static_cast<int>(db.query_int64("PRAGMA user_version"));
}

int migrate(sqlite::Connection& db) {
  const int latest = latest_version();
  auto refuse_newer = [&](int found) {
    if (found > latest) {
      throw Error("database " + db.path() + " has schema version " + std::to_string(found) +
                  ", newer than version " + std::to_string(latest) +
                  " that this build knows; refusing to open it");
    }
  };
  refuse_newer(version_of(db));
  int applied = 0;
  for (const Migration& step : migrations()) {
    if (version_of(db) >= step.version) continue;
    sqlite::Transaction transaction(db);
    // Another process may have migrated while this one waited for the lock.
    const int now = version_of(db);
    refuse_newer(now);
    if (now >= step.version) continue;
    if (now != step.version - 1) {
      throw Error("database " + db.path() + ": schema version " + std::to_string(now) +
                  " has no migration to version " + std::to_string(step.version));
    }
    db.exec(step.sql, "migrate to schema version " + std::to_string(step.version));
    // PRAGMA takes no parameters; the value is our own integer.
    db.exec("PRAGMA user_version = " + std::to_string(step.version), "set user_version");
    transaction.commit();
    ++applied;
  }
  return applied;
}

}  // namespace sealform::schema
