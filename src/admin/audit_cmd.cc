// audit_cmd.cc: `audit [--since DATE] [--verify]`: the audit trail.
//
// Prints one line per row (id, time, actor, action, reference, detail);
// the trail holds no personal data (audit.h). --verify walks the whole
// HMAC chain and reports the first altered, inserted or removed row; its
// exit status is 1 when the trail does not verify.
#include <iostream>

#include "admin/actions.h"

namespace sealform::admin {

int run_audit(Session& session, std::optional<std::int64_t> since, bool verify) {
  AuditTrail& trail = session.records->audit_trail();
  std::ostream& out = *session.out;
  if (verify) {
    const AuditVerdict verdict = trail.verify();
    if (verdict.ok) {
      out << "audit trail verifies (" << trail.list(std::nullopt).size() << " rows)\n";
      return kOk;
    }
    out << "audit trail does NOT verify: first bad row " << verdict.first_bad_id << ": "
        << verdict.problem << "\n";
    return kRuntimeError;
  }
  for (const AuditEntry& entry : trail.list(since)) {
    out << entry.id << "  " << format_time(entry.at) << "  " << entry.actor << "  "
        << entry.action << "  " << (entry.reference.empty() ? "-" : entry.reference) << "  "
        << entry.detail << "\n";
  }
  return kOk;
}

}  // namespace sealform::admin
