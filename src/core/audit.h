// audit.h: the tamper-evident audit trail of admin actions and purges.
//
// Each row says who did what to which reference and when; it never holds
// personal data (no names, emails, messages; references, commands, counts
// and reasons chosen by staff only). Rows form a chain: each carries
// HMAC-SHA256 under the audit subkey (keys.h, Subkey::kAudit) over its own
// content and the previous row's HMAC, so verify() reports the first row
// that was altered, inserted or removed. The trail lives in the enquiry
// database (table audit, created by a schema migration). Appending is done
// inside the caller's transaction when one is open on the same connection,
// so an action and its audit row commit together.
#ifndef SEALFORM_CORE_AUDIT_H_
#define SEALFORM_CORE_AUDIT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/secret.h"

namespace sealform {

namespace sqlite {
class Connection;
}

struct AuditEntry {
  std::int64_t id = 0;          // row id, increasing
  std::int64_t at = 0;          // Unix seconds
  std::string actor;            // login name of the admin, or "sealform-purge"
  std::string action;           // "resolve", "erase", "purge", "hold", ...
  std::string reference;        // "" when the action has none
  std::string detail;           // no personal data: counts, field names, reasons
};

struct AuditVerdict {
  bool ok = true;
  std::int64_t first_bad_id = 0;  // the first row whose chain does not verify
  std::string problem;            // "altered", "inserted", "removed", ...
};

class AuditTrail {
 public:
  // `db` must outlive the trail; `audit_key` is derive_subkey(web secret, kAudit).
  AuditTrail(sqlite::Connection& db, SecretBytes audit_key);

  // Appends one row (chained to the last). Throws sealform::Error.
  void append(std::int64_t at, const std::string& actor, const std::string& action,
              const std::string& reference, const std::string& detail);

  std::vector<AuditEntry> list(std::optional<std::int64_t> since);

  // Walks the whole chain from the first row.
  AuditVerdict verify();

  // Removes rows older than `before` (audit retention) while keeping the
  // chain verifiable: the oldest kept row's predecessor MAC is recorded as
  // the chain's new anchor. Returns rows removed.
  std::int64_t expire(std::int64_t before);

 private:
  sqlite::Connection& db_;
  SecretBytes key_;
};

// The login name of the person running a command (for AuditEntry::actor):
// SUDO_USER if set, else the name of the real uid.
std::string current_login_name();

}  // namespace sealform

#endif  // SEALFORM_CORE_AUDIT_H_
