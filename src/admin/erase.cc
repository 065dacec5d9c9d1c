// erase.cc: `erase --email ADDR | erase REF`: immediate erasure on a
// person's request (or a parent's, for a child's data).
//
// Lists what it will remove and what it will keep, asks for confirmation
// unless --yes, then removes each main-store record (secure_delete, WAL
// checkpointed and truncated: records.h) with an audit row in the same
// transaction. Records under legal hold are kept unless --include-held
// with --reason: then every hold is released first (the hold store moves
// the record back and audits the release) and the record is erased like
// the others. The report says what was kept and why, so staff can answer
// the person truthfully. Output carries references only.
#include <iostream>

#include "admin/actions.h"

namespace sealform::admin {
namespace {

std::string hold_summary(Session& session, const std::string& reference) {
  if (!session.holds) return "under legal hold";
  std::string summary;
  for (const LegalHold& hold : session.holds->holds_for(reference)) {
    summary += summary.empty() ? "under legal hold since " : "; and since ";
    summary += format_time(hold.placed_at) + " (" + hold.reason + ")";
  }
  return summary.empty() ? "under legal hold" : summary;
}

bool confirmed(Session& session, std::size_t count) {
  *session.err << "Erase " << count << " enquir" << (count == 1 ? "y" : "ies")
               << " permanently? This cannot be undone. Type 'yes' to go on: " << std::flush;
  std::string answer;
  if (session.in == nullptr || !std::getline(*session.in, answer)) return false;
  return answer == "yes";
}

}  // namespace

int run_erase(Session& session, const EraseRequest& request) {
  if (request.include_held && request.reason.empty()) {
    throw UsageError("erase: --include-held needs --reason TEXT");
  }
  std::vector<Located> found;
  if (request.address) {
    found = locate_by_email(session, *request.address);
  } else if (auto located = locate(session, *request.reference)) {
    found.push_back(std::move(*located));
  }
  if (found.empty()) throw NotFound("nothing to erase: no enquiry is held for that request");

  std::vector<std::string> remove_main;
  std::vector<std::string> remove_held;
  std::vector<std::pair<std::string, std::string>> keep;  // reference, why
  for (const Located& located : found) {
    const std::string& reference = located.record.reference;
    if (!located.held) {
      remove_main.push_back(reference);
    } else if (!request.include_held) {
      keep.emplace_back(reference, hold_summary(session, reference) +
                                       "; erase it with --include-held --reason TEXT");
    } else {
      remove_held.push_back(reference);
    }
  }
  std::ostream& out = *session.out;
  for (const std::string& reference : remove_main) out << "will erase " << reference << "\n";
  for (const std::string& reference : remove_held) {
    out << "will erase " << reference << " (its legal hold is released first)\n";
  }
  for (const auto& [reference, why] : keep) out << "will keep " << reference << ": " << why << "\n";
  const std::size_t count = remove_main.size() + remove_held.size();
  if (count != 0 && !request.yes && !confirmed(session, count)) {
    out << "nothing erased (not confirmed)\n";
    return kRuntimeError;
  }

  const std::string detail =
      std::string(request.address ? "request=email" : "request=reference") +
      (request.reason.empty() ? "" : "; reason=" + request.reason);
  std::size_t erased = 0;
  bool wal_clean = true;
  bool hold_wal_clean = true;
  bool all_released = true;
  for (const std::string& reference : remove_held) {
    // Back into the enquiry database (audited as a release), then erased
    // below like any other record. One that cannot come back is reported
    // and kept; the others are still erased.
    try {
      const HoldStore::ReleaseOutcome released =
          session.holds->release(reference, std::nullopt, session.actor, session.now());
      if (released.moved_back) remove_main.push_back(reference);
      hold_wal_clean = hold_wal_clean && (!released.moved_back || released.hold_wal_truncated);
    } catch (const Error& e) {
      *session.err << "sealform-admin: " << e.what() << "\n";
      keep.emplace_back(reference, "could not be released from its hold");
      all_released = false;
    }
  }
  for (const std::string& reference : remove_main) {
    const EraseOutcome outcome = session.records->erase(reference, session.note("erase", detail));
    if (outcome.erased) {
      ++erased;
      out << "erased " << reference << "\n";
    } else {
      out << "gone already " << reference << "\n";
    }
    wal_clean = wal_clean && (!outcome.erased || outcome.wal_truncated);
  }
  for (const auto& [reference, why] : keep) out << "kept " << reference << ": " << why << "\n";
  out << "erased " << erased << ", kept " << keep.size() << "\n" << std::flush;
  if (!wal_clean || !hold_wal_clean) {
    for (const auto& [clean, path] : {std::pair{wal_clean, session.config.database},
                                      std::pair{hold_wal_clean, session.config.hold_database}}) {
      if (clean) continue;
      *session.err << "sealform-admin: the write-ahead log of " << path
                   << " could not be truncated (a reader was busy); old page images remain "
                      "until the next checkpoint: run `sqlite3 "
                   << path << " 'PRAGMA wal_checkpoint(TRUNCATE)'`\n";
    }
    return kRuntimeError;
  }
  if (!all_released) return kRuntimeError;
  return keep.empty() ? kOk : kKept;
}

}  // namespace sealform::admin
