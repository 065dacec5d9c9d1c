// hold_store.h: the separate store for records under legal hold.
//
// A record under hold lives in its own SQLite file (storage.hold_database),
// never in the enquiry database at the same time, with its ciphertexts and
// metadata unchanged, plus one row per hold (reason, time, admin login).
// sealform-purge never writes this file (it only counts held records for its
// summary, read-only). Moving a record in (first hold) or out (last hold
// released) is crash-safe: after a crash it is in exactly one of the two
// stores once reconcile() has run, and open_hold_store() runs it (see
// hold_store.cc for the protocol).
//
// Thread-safety: one HoldStore per thread; it owns one connection to each
// database. Failures throw sealform::Error (StorageUnavailable when busy).
#ifndef SEALFORM_CORE_HOLD_STORE_H_
#define SEALFORM_CORE_HOLD_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/store.h"

namespace sealform {

class HoldNotFound : public Error {
 public:
  explicit HoldNotFound(const std::string& m) : Error(m) {}
};

struct LegalHold {
  std::int64_t id = 0;
  std::string reference;
  std::string reason;
  std::int64_t placed_at = 0;
  std::string placed_by;   // login name
};

class HoldStore {
 public:
  virtual ~HoldStore() = default;

  // Read side, used by show/find/export (a held record is marked as held).
  virtual std::optional<EnquiryRecord> find(const std::string& reference) = 0;
  virtual std::vector<std::string> find_by_email_index(const std::string& email_index) = 0;
  virtual std::vector<LegalHold> holds_for(const std::string& reference) = 0;
  virtual std::vector<LegalHold> all_holds() = 0;

  // Write side (sealform-admin hold / release). `actor` is the admin's
  // login name, `at` the time to record. Each writes an audit row.

  // Places a hold on `reference` with `reason` and returns it. A record in
  // the enquiry database is moved here; a held record gets one more hold.
  // The form token's key stays behind in the enquiry database's idempotency
  // table, so that a replay of the same form is answered as a replay and
  // stores nothing. Throws HoldNotFound if the reference is in neither
  // store.
  virtual LegalHold place_hold(const std::string& reference, const std::string& reason,
                               const std::string& actor, std::int64_t at) = 0;

  // Removes the hold `hold_id` of `reference`, or all of its holds when
  // unset. When none remains the record moves back to the enquiry database,
  // where the normal retention rule applies again. Throws HoldNotFound for
  // a reference that is not held or a hold id it does not carry, and Error,
  // changing nothing, if the enquiry database has another record under the
  // same reference (the held one is never dropped for it).
  struct ReleaseOutcome {
    int released = 0;        // holds removed
    int remaining = 0;       // holds still on the record
    bool moved_back = false;
    // When moved back: the hold database's WAL was truncated, so it keeps
    // no old image of the record's pages (false: a reader kept it busy).
    bool hold_wal_truncated = false;
  };
  virtual ReleaseOutcome release(const std::string& reference,
                                 const std::optional<std::int64_t>& hold_id,
                                 const std::string& actor, std::int64_t at) = 0;

  // Clears the retention opt-in of the held records with this email blind
  // index (a data subject's withdrawal: a hold keeps a record from being
  // erased, not the opt-in from being withdrawn), each with an audit row;
  // returns their references. Once released, the normal rule applies.
  virtual std::vector<std::string> withdraw_retain(const std::string& email_index,
                                                   const std::string& actor, std::int64_t at) = 0;

  // Finishes every move that a crash interrupted; returns how many.
  virtual int reconcile() = 0;
};

// Opens (creating and migrating if needed) config.hold_database, and
// config.database for moves, loads the audit subkey from the key directory,
// and reconciles interrupted moves.
std::unique_ptr<HoldStore> open_hold_store(const Config& config);

// The number of held records in `hold_database`, read without writing
// anything (sealform-purge's summary); 0 if the file does not exist.
std::int64_t count_held_records(const std::string& hold_database);

// The references whose move between the stores a crash interrupted (read
// without writing anything; empty if the file does not exist). A purge
// leaves them alone: the next sealform-admin command finishes the moves.
std::set<std::string> references_in_motion(const std::string& hold_database);

// Test hook: when the environment variable SEALFORM_TEST_CRASH_AFTER is
// "hold-write" (after the hold database commits a move in, before the
// enquiry database deletes) or "release-write" (after the enquiry database
// commits a move back, before the hold database deletes), the process ends
// there with _exit(9), as a crash would.
inline constexpr const char* kCrashHookVariable = "SEALFORM_TEST_CRASH_AFTER";

}  // namespace sealform

#endif  // SEALFORM_CORE_HOLD_STORE_H_
