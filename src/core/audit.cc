// audit.cc: the chained, HMAC-authenticated audit trail (audit.h).
//
// Row i carries mac_i = HMAC-SHA256(audit key, encode(row i) || mac_{i-1})
// and stores mac_{i-1} as prev_mac, so a verifier can tell an altered row
// (its own MAC fails) from a removed one (its MAC holds but does not chain
// to the row before). Ids are assigned here as last id + 1 and covered by
// the MAC, so a row cannot be renumbered or copied. The one-row table
// audit_anchor, authenticated too, records where the kept chain starts
// (audit retention removes old rows) and its newest row, so removing the
// newest rows also shows. Restoring an older copy of the whole trail
// together with its anchor is not detected (see CAVEATS in the man page).
#include "core/audit.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string_view>

#include "core/error.h"
#include "core/seal.h"
#include "core/sqlite_handle.h"

namespace sealform {
namespace {

constexpr std::size_t kMacBytes = 32;

constexpr const char* kLastRow = "SELECT id, mac FROM audit ORDER BY id DESC LIMIT 1";
constexpr const char* kInsertRow =
    "INSERT INTO audit (id, at, actor, action, reference, detail, prev_mac, mac) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr const char* kSelectAnchor =
    "SELECT first_id, first_prev_mac, head_id, head_mac, mac FROM audit_anchor WHERE id = 1";
constexpr const char* kStoreAnchor =
    "INSERT INTO audit_anchor (id, first_id, first_prev_mac, head_id, head_mac, mac) "
    "VALUES (1, ?1, ?2, ?3, ?4, ?5) ON CONFLICT (id) DO UPDATE SET first_id = excluded.first_id, "
    "first_prev_mac = excluded.first_prev_mac, head_id = excluded.head_id, "
    "head_mac = excluded.head_mac, mac = excluded.mac";
constexpr const char* kWalk =
    "SELECT id, at, actor, action, reference, detail, prev_mac, mac FROM audit ORDER BY id";
constexpr const char* kListSince =
    "SELECT id, at, actor, action, reference, detail FROM audit WHERE at >= ?1 ORDER BY id";
constexpr const char* kOldestKept = "SELECT id, prev_mac FROM audit WHERE at >= ?1 ORDER BY id LIMIT 1";
constexpr const char* kDeleteBefore = "DELETE FROM audit WHERE id < ?1";

struct Anchor {
  std::int64_t first_id = 1;
  std::string first_prev_mac = std::string(kMacBytes, '\0');  // genesis: all zero
  std::int64_t head_id = 0;                                   // 0: no rows yet
  std::string head_mac = std::string(kMacBytes, '\0');
};

void put_u64(std::string& out, std::uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((value >> shift) & 0xff));
  }
}

// Length-prefixed, so no two different rows encode alike.
void put_bytes(std::string& out, std::string_view bytes) {
  put_u64(out, bytes.size());
  out.append(bytes);
}

std::string row_mac(const SecretBytes& key, const AuditEntry& row, std::string_view prev_mac) {
  std::string data = "sealform/v1/audit";
  data.push_back('\0');
  put_u64(data, static_cast<std::uint64_t>(row.id));
  put_u64(data, static_cast<std::uint64_t>(row.at));
  put_bytes(data, row.actor);
  put_bytes(data, row.action);
  put_bytes(data, row.reference);
  put_bytes(data, row.detail);
  put_bytes(data, prev_mac);
  return hmac_sha256(key, data);
}

std::string anchor_mac(const SecretBytes& key, const Anchor& anchor) {
  std::string data = "sealform/v1/audit-anchor";
  data.push_back('\0');
  put_u64(data, static_cast<std::uint64_t>(anchor.first_id));
  put_bytes(data, anchor.first_prev_mac);
  put_u64(data, static_cast<std::uint64_t>(anchor.head_id));
  put_bytes(data, anchor.head_mac);
  return hmac_sha256(key, data);
}

// The stored anchor, or nullopt if there is none; `authentic` says whether
// its MAC holds.
std::optional<Anchor> read_anchor(sqlite::Connection& db, const SecretBytes& key,
                                  bool* authentic) {
  sqlite::StatementScope select(db.cached(kSelectAnchor));
  if (!select->step()) return std::nullopt;
  Anchor anchor;
  anchor.first_id = select->column_int64(0);
  anchor.first_prev_mac = select->column_blob(1);
  anchor.head_id = select->column_int64(2);
  anchor.head_mac = select->column_blob(3);
  *authentic = equal_constant_time(select->column_blob(4), anchor_mac(key, anchor));
  return anchor;
}

void write_anchor(sqlite::Connection& db, const SecretBytes& key, const Anchor& anchor) {
  sqlite::StatementScope store(db.cached(kStoreAnchor));
  store->bind_int64(1, anchor.first_id);
  store->bind_blob(2, anchor.first_prev_mac);
  store->bind_int64(3, anchor.head_id);
  store->bind_blob(4, anchor.head_mac);
  store->bind_blob(5, anchor_mac(key, anchor));
  store->run();
}

// Runs `body` inside the caller's transaction if one is open on `db`,
// else inside a transaction of its own.
template <typename Body>
auto in_write_transaction(sqlite::Connection& db, Body body) {
  if (db.in_transaction()) return body();
  sqlite::Transaction transaction(db);
  auto result = body();
  transaction.commit();
  return result;
}

AuditVerdict bad(std::int64_t id, const char* problem) {
  AuditVerdict verdict;
  verdict.ok = false;
  verdict.first_bad_id = id;
  verdict.problem = problem;
  return verdict;
}

}  // namespace

AuditTrail::AuditTrail(sqlite::Connection& db, SecretBytes audit_key)
    : db_(db), key_(std::move(audit_key)) {
  if (key_.size() != kMacBytes) throw Error("audit trail: the audit key must be 32 bytes");
}

void AuditTrail::append(std::int64_t at, const std::string& actor, const std::string& action,
                        const std::string& reference, const std::string& detail) {
  in_write_transaction(db_, [&] {
    bool authentic = true;
    const std::optional<Anchor> stored = read_anchor(db_, key_, &authentic);
    Anchor anchor = stored.value_or(Anchor{});
    bool had_rows = false;
    AuditEntry row{0, at, actor, action, reference, detail};
    std::string prev_mac = anchor.head_mac;
    {
      sqlite::StatementScope last(db_.cached(kLastRow));
      if (last->step()) {
        had_rows = true;
        row.id = last->column_int64(0) + 1;
        prev_mac = last->column_blob(1);
      } else {
        row.id = anchor.head_id + 1;  // after expiry removed every row
      }
    }
    const std::string mac = row_mac(key_, row, prev_mac);
    {
      sqlite::StatementScope insert(db_.cached(kInsertRow));
      insert->bind_int64(1, row.id);
      insert->bind_int64(2, row.at);
      insert->bind_text(3, row.actor);
      insert->bind_text(4, row.action);
      insert->bind_text(5, row.reference);
      insert->bind_text(6, row.detail);
      insert->bind_blob(7, prev_mac);
      insert->bind_blob(8, mac);
      insert->run();
    }
    // A tampered or removed anchor stays so (verify() reports it): it is
    // not re-signed here, or appending would hide a cut-off trail.
    anchor.head_id = row.id;
    anchor.head_mac = mac;
    if (stored ? authentic : !had_rows) write_anchor(db_, key_, anchor);
    return 0;
  });
}

std::vector<AuditEntry> AuditTrail::list(std::optional<std::int64_t> since) {
  sqlite::StatementScope select(db_.cached(kListSince));
  select->bind_int64(1, since.value_or(std::numeric_limits<std::int64_t>::min()));
  std::vector<AuditEntry> rows;
  while (select->step()) {
    rows.push_back(AuditEntry{select->column_int64(0), select->column_int64(1),
                              select->column_text(2), select->column_text(3),
                              select->column_text(4), select->column_text(5)});
  }
  return rows;
}

AuditVerdict AuditTrail::verify() {
  bool authentic = true;
  const std::optional<Anchor> anchor = read_anchor(db_, key_, &authentic);
  struct Row {
    AuditEntry entry;
    std::string prev_mac;
    std::string mac;
  };
  // The walk streams: one row and the next are in memory, however long the
  // trail (the purge verifies it before expiring old rows).
  sqlite::StatementScope walk(db_.cached(kWalk));
  auto read_row = [&walk](Row* out) {
    if (!walk->step()) return false;
    *out = Row{AuditEntry{walk->column_int64(0), walk->column_int64(1), walk->column_text(2),
                          walk->column_text(3), walk->column_text(4), walk->column_text(5)},
               walk->column_blob(6), walk->column_blob(7)};
    return true;
  };
  Row row;
  Row next;
  bool has_row = read_row(&row);
  bool has_next = has_row && read_row(&next);
  if (!anchor) return has_row ? bad(row.entry.id, "anchor removed") : AuditVerdict{};
  if (!authentic) return bad(anchor->first_id, "anchor altered");

  std::int64_t expected_id = anchor->first_id;
  std::string expected_prev = anchor->first_prev_mac;
  while (has_row) {
    const bool genuine = equal_constant_time(row.mac, row_mac(key_, row.entry, row.prev_mac));
    if (!genuine) {
      // A forged row either stands where no row was (the next row chains
      // straight past it, or it lies beyond the recorded head) or replaces
      // the content of a real one.
      const bool skipped_by_next = has_next && equal_constant_time(next.prev_mac, expected_prev);
      const bool beyond_head = row.entry.id > anchor->head_id;
      return bad(row.entry.id, skipped_by_next || beyond_head ? "inserted" : "altered");
    }
    if (row.entry.id != expected_id || !equal_constant_time(row.prev_mac, expected_prev)) {
      return bad(expected_id, "removed");
    }
    expected_prev = row.mac;
    ++expected_id;
    row = std::move(next);
    has_row = has_next;
    if (has_row) has_next = read_row(&next);
  }
  if (expected_id - 1 != anchor->head_id || !equal_constant_time(expected_prev, anchor->head_mac)) {
    return bad(expected_id, "removed");
  }
  return AuditVerdict{};
}

std::int64_t AuditTrail::expire(std::int64_t before) {
  // Expiring rows that do not verify would destroy the evidence. The walk
  // runs before the write transaction, so intake is not locked out while
  // it reads; rows appended meanwhile are newer than any row expired here.
  const AuditVerdict verdict = verify();
  if (!verdict.ok) {
    throw Error("database " + db_.path() + ": the audit trail does not verify (row " +
                std::to_string(verdict.first_bad_id) + " " + verdict.problem +
                "); not expiring any of it");
  }
  return in_write_transaction(db_, [&]() -> std::int64_t {
    bool authentic = true;
    std::optional<Anchor> anchor = read_anchor(db_, key_, &authentic);
    if (!anchor) return 0;  // an empty trail
    std::int64_t first_kept = anchor->head_id + 1;
    std::string first_prev = anchor->head_mac;
    {
      sqlite::StatementScope oldest(db_.cached(kOldestKept));
      oldest->bind_int64(1, before);
      if (oldest->step()) {
        first_kept = oldest->column_int64(0);
        first_prev = oldest->column_blob(1);
      }
    }
    if (first_kept <= anchor->first_id) return 0;
    {
      sqlite::StatementScope remove(db_.cached(kDeleteBefore));
      remove->bind_int64(1, first_kept);
      remove->run();
    }
    const std::int64_t removed = sqlite3_changes64(db_.get());
    anchor->first_id = first_kept;
    anchor->first_prev_mac = first_prev;
    write_anchor(db_, key_, *anchor);
    return removed;
  });
}

std::string current_login_name() {
  const char* sudo_user = std::getenv("SUDO_USER");
  if (sudo_user != nullptr && *sudo_user != '\0') return sudo_user;
  const uid_t uid = getuid();
  passwd entry{};
  passwd* found = nullptr;
  char buffer[4096];
  if (getpwuid_r(uid, &entry, buffer, sizeof buffer, &found) == 0 && found != nullptr) {
    return found->pw_name;
  }
  return "uid " + std::to_string(uid);
}

}  // namespace sealform
