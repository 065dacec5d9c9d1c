// hold.cc: `hold`, `release` and `holds`: legal holds (issue 6).
//
// A held record lives in the hold database (storage.hold_database), out of
// the purge's reach, with one row per hold: reason, time and the admin's
// login name. `hold` on a held record adds a hold; `release REF --hold ID`
// removes one, and the record moves back only when its last hold goes;
// `release REF` removes them all. The moves are crash-safe (hold_store.cc),
// and opening the hold store finishes any move a crash interrupted.
// Reasons are chosen by staff and name legal matters, not people; they are
// printed, and kept in the hold store and the audit trail.
#include <iostream>

#include "admin/session.h"

namespace sealform::admin {
namespace {

constexpr std::size_t kMaxReasonBytes = 500;

HoldStore& hold_store(Session& session) {
  if (!session.holds) throw ConfigError("storage.hold_database is not set in the configuration");
  return *session.holds;
}

// A reason is one line of printable text: it is shown in listings.
void check_reason(const std::string& reason) {
  if (reason.empty()) throw UsageError("hold: --reason must not be empty");
  if (reason.size() > kMaxReasonBytes) {
    throw UsageError("hold: --reason is longer than " + std::to_string(kMaxReasonBytes) +
                     " bytes");
  }
  for (unsigned char c : reason) {
    if (c < 0x20 || c == 0x7f) throw UsageError("hold: --reason must be one line of text");
  }
}

std::int64_t hold_id_arg(const std::string& text) {
  std::int64_t id = 0;
  if (text.empty() || text.size() > 18) throw UsageError("release: --hold needs a hold id");
  for (char c : text) {
    if (c < '0' || c > '9') throw UsageError("release: --hold needs a hold id");
    id = id * 10 + (c - '0');
  }
  return id;
}

}  // namespace

int cmd_hold(const Invocation& inv) {
  const Args args("hold", inv.args, {}, {"--reason"});
  args.expect_positionals(1, 1);
  const std::optional<std::string> reason = args.value("--reason");
  if (!reason) throw UsageError("hold: --reason is required");
  check_reason(*reason);
  const std::string reference = reference_arg(args.positionals()[0]);
  Session session = open_session(inv, args);
  try {
    const LegalHold hold =
        hold_store(session).place_hold(reference, *reason, session.actor, session.now());
    const std::size_t count = session.holds->holds_for(reference).size();
    *session.out << reference << ": hold " << hold.id << " placed at "
                 << format_time(hold.placed_at) << " by " << hold.placed_by << "; " << count
                 << (count == 1 ? " hold" : " holds") << " on the record, kept in the hold store\n";
  } catch (const HoldNotFound& e) {
    throw NotFound(e.what());
  }
  return kOk;
}

int cmd_release(const Invocation& inv) {
  const Args args("release", inv.args, {}, {"--hold"});
  args.expect_positionals(1, 1);
  std::optional<std::int64_t> hold_id;
  if (auto text = args.value("--hold")) hold_id = hold_id_arg(*text);
  const std::string reference = reference_arg(args.positionals()[0]);
  Session session = open_session(inv, args);
  try {
    const HoldStore::ReleaseOutcome outcome =
        hold_store(session).release(reference, hold_id, session.actor, session.now());
    *session.out << reference << ": " << outcome.released
                 << (outcome.released == 1 ? " hold" : " holds") << " released; ";
    if (outcome.moved_back) {
      *session.out << "moved back to the enquiry store (normal retention applies from the "
                      "next purge)\n";
    } else {
      *session.out << outcome.remaining
                   << (outcome.remaining == 1 ? " hold remains" : " holds remain") << "\n";
    }
  } catch (const HoldNotFound& e) {
    throw NotFound(e.what());
  }
  return kOk;
}

int cmd_holds(const Invocation& inv) {
  const Args args("holds", inv.args, {}, {});
  args.expect_positionals(0, 0);
  Session session = open_session(inv, args);
  const std::vector<LegalHold> holds = hold_store(session).all_holds();
  if (holds.empty()) {
    *session.out << "no records are under legal hold\n";
    return kOk;
  }
  std::string last;
  for (const LegalHold& hold : holds) {
    if (hold.reference != last) {
      *session.out << hold.reference << "\n";
      last = hold.reference;
    }
    *session.out << "  hold " << hold.id << "  " << format_time(hold.placed_at) << "  "
                 << hold.placed_by << "  " << hold.reason << "\n";
  }
  return kOk;
}

}  // namespace sealform::admin
