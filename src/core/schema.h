// schema.h: the SQLite schema and its forward migrations.
//
// The schema version lives in PRAGMA user_version: 0 is an empty file, and
// migration step N turns version N-1 into version N. Each step runs in its
// own write transaction together with the user_version update, so a crash
// leaves the file at one version or the next, never in between. A file with
// a newer version than this build knows is refused (no downgrades).
//
// Plaintext columns are metadata only; every personal field is a ciphertext
// column (see store.h). A migration that adds a column must keep it so.
#ifndef SEALFORM_CORE_SCHEMA_H_
#define SEALFORM_CORE_SCHEMA_H_

#include <cstddef>
#include <vector>

#include "core/sqlite_handle.h"

namespace sealform::schema {

struct Migration {
  int version;      // the version this step produces
  const char* sql;  // one or more statements, without a transaction
};

// Every step, oldest first; versions run 1, 2, ... without gaps.
const std::vector<Migration>& migrations();

// The version the newest step produces.
int latest_version();

// Keeps a form token's key (?1), naming the reference it stored (?2), in
// the idempotency table until ?3: a record that was erased (by the purge or
// sealform-admin) or moved to the hold store while its token could still be
// posted then answers that post as a replay, and nothing is stored again.
// A key already there is left as it is.
inline constexpr const char* kKeepTokenKey =
    "INSERT INTO idempotency (key, reference, expires_at) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (key) DO NOTHING";

// PRAGMA user_version of the open database.
int version_of(sqlite::Connection& db);

// Applies the missing steps in order, each in its own transaction. Returns
// the number of steps applied. Throws sealform::Error naming the file and
// both versions if the file is newer than latest_version().
int migrate(sqlite::Connection& db);

}  // namespace sealform::schema

#endif  // SEALFORM_CORE_SCHEMA_H_
