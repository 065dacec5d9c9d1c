// retention.h: the retention rule, as a pure function, and the times it uses.
//
// The promise (DESIGN.md, promise 4): an enquiry is kept until it is
// resolved, then erased once `retention_days` have passed since its
// resolution, unless the visitor opted in to retention. An opt-in withdrawn
// later does not restart the clock: the record is due from its resolution
// time, so an old one goes at the next purge. A record under legal hold is
// out of reach (it lives in the hold store, which the purge never opens).
// Unresolved records are never erased by the rule; past
// `unresolved_warning_days` since creation they are reported so that staff
// notice them.
//
// decide() is the rule; purge.cc applies the same rule in SQL (see
// erase_cutoff()) and the purge tests check that both agree row by row.
// Everything here is pure and thread-safe. Times are Unix seconds (UTC).
#ifndef SEALFORM_CORE_RETENTION_H_
#define SEALFORM_CORE_RETENTION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sealform {

inline constexpr std::int64_t kSecondsPerDay = 86400;

struct RetentionPolicy {
  int retention_days = 180;
  int unresolved_warning_days = 90;
};

// The metadata the rule looks at (never a personal field).
struct RetentionFacts {
  std::int64_t created_at = 0;
  std::optional<std::int64_t> resolved_at;
  bool retain = false;                            // opt-in currently set
  std::optional<std::int64_t> retain_changed_at;  // last change of the opt-in
  bool held = false;                              // under legal hold
};

enum class Verdict {
  kErase,         // resolved, no opt-in, resolution + retention_days <= now
  kKeptByOptIn,   // would be due, but the visitor opted in
  kNotYetDue,     // resolved, retention period still running
  kUnresolved,    // not resolved: kept, maybe reported (past_warning)
  kHeld,          // under legal hold: out of the purge's reach
};

struct RetentionDecision {
  Verdict verdict = Verdict::kNotYetDue;
  // When the record is (or was, or would be without its opt-in) due for
  // erasure; unset for unresolved records.
  std::optional<std::int64_t> due_at;
  // Unresolved and created at or before now - unresolved_warning_days.
  bool past_warning = false;
};

RetentionDecision decide(const RetentionFacts& facts, std::int64_t now,
                         const RetentionPolicy& policy);

// The rule's name for a record the purge erases: "resolved+180d", or
// "resolved+180d, opt-in withdrawn" when an opt-in was set and withdrawn
// after resolution. Printed by sealform-purge and kept in the audit row.
std::string erase_rule_name(const RetentionFacts& facts, const RetentionPolicy& policy);

// A resolved record without opt-in is due iff resolved_at <= erase_cutoff().
std::int64_t erase_cutoff(std::int64_t now, int retention_days);

// An unresolved record is reported iff created_at <= warning_cutoff().
std::int64_t warning_cutoff(std::int64_t now, int unresolved_warning_days);

const char* verdict_name(Verdict verdict);

// Parses "1767225600" (Unix seconds), "2026-01-01" (midnight UTC) or
// "2026-01-01T12:00:00Z". Returns nullopt for anything else, including
// impossible dates such as 2026-02-30.
std::optional<std::int64_t> parse_timestamp(std::string_view text);

// "2026-01-01T12:00:00Z".
std::string format_timestamp(std::int64_t unix_seconds);

}  // namespace sealform

#endif  // SEALFORM_CORE_RETENTION_H_
