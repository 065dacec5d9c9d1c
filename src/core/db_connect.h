// db_connect.h: opening sealform's SQLite files with the agreed settings.
//
// Every connection to the enquiry database or the hold database gets the
// same settings as the intake store (store.h): the busy timeout and
// synchronous level from the configuration, WAL journal, secure_delete ON
// (deleted content is overwritten with zeros) and foreign keys ON; a new
// file also gets auto_vacuum = INCREMENTAL (purge.h frees pages in small
// steps). Used by
// the purge engine and the hold store, which need a raw connection to run
// their own statements and to share one transaction with the audit trail.
#ifndef SEALFORM_CORE_DB_CONNECT_H_
#define SEALFORM_CORE_DB_CONNECT_H_

#include <memory>
#include <string>

#include "core/config.h"
#include "core/sqlite_handle.h"

namespace sealform {

// Applies the settings above to an open connection. Throws sealform::Error.
void configure_connection(sqlite::Connection& db, Synchronous synchronous, int busy_timeout_ms);

// Opens config.database, applies the settings and migrates the schema
// forward (schema.h). Throws sealform::Error / StorageUnavailable.
std::unique_ptr<sqlite::Connection> open_enquiry_database(const Config& config);

// Copies every WAL frame into the database file and truncates the WAL to
// zero bytes (PRAGMA wal_checkpoint(TRUNCATE)), so that no old page image
// is left in it. A reader holding an old snapshot keeps it busy: tries a
// few times, pausing in between. False if it stayed busy or failed.
bool truncate_wal(sqlite::Connection& db);

// fdatasync(2)s the file at `path` (a database's "-wal") through a
// descriptor of its own: the sync flushes the file whichever descriptor
// wrote it, so it covers every commit before it, from any process. ""
// when done, else what failed; with `missing_ok`, a file that does not
// exist counts as done.
std::string sync_file(const std::string& path, bool missing_ok = false);

// True if the database has a table (or view) of this name.
bool has_table(sqlite::Connection& db, const std::string& name);

}  // namespace sealform

#endif  // SEALFORM_CORE_DB_CONNECT_H_
