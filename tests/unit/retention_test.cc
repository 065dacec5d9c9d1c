// Tests for retention.h: the rule as a table (the boundary one second before
// and at resolution + days, opt-in set, opt-in withdrawn, held, unresolved
// with its warning age, reopened), rule names, and the timestamps that
// sealform-purge --now accepts and rejects.
#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

#include "core/retention.h"

namespace sealform {
namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kResolved = 1780000000;  // 2026-05-28T20:26:40Z
constexpr std::int64_t kCreated = kResolved - 10 * kDay;
constexpr std::int64_t kDue = kResolved + 180 * kDay;

struct Case {
  const char* name;
  RetentionFacts facts;
  std::int64_t now;
  Verdict verdict;
  bool past_warning;
};

RetentionFacts resolved(bool retain = false, std::optional<std::int64_t> changed = std::nullopt) {
  RetentionFacts facts;
  facts.created_at = kCreated;
  facts.resolved_at = kResolved;
  facts.retain = retain;
  facts.retain_changed_at = changed;
  return facts;
}

RetentionFacts unresolved(std::optional<std::int64_t> changed = std::nullopt) {
  RetentionFacts facts;
  facts.created_at = kCreated;
  facts.retain_changed_at = changed;
  return facts;
}

RetentionFacts held(RetentionFacts facts) {
  facts.held = true;
  return facts;
}

}  // namespace

class RetentionTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(RetentionTest);
  CPPUNIT_TEST(testRuleTable);
  CPPUNIT_TEST(testDueAtFromResolutionEvenAfterWithdrawal);
  CPPUNIT_TEST(testZeroDaysErasesAtResolution);
  CPPUNIT_TEST(testRuleNames);
  CPPUNIT_TEST(testCutoffsMatchDecide);
  CPPUNIT_TEST(testTimestampsAccepted);
  CPPUNIT_TEST(testTimestampsRejected);
  CPPUNIT_TEST(testFormatTimestamp);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testRuleTable() {
    const RetentionPolicy policy;  // 180 days, warning at 90
    const std::int64_t warn = kCreated + 90 * kDay;
    const std::vector<Case> cases = {
        {"one second before due", resolved(), kDue - 1, Verdict::kNotYetDue, false},
        {"exactly due", resolved(), kDue, Verdict::kErase, false},
        {"long past due", resolved(), kDue + 400 * kDay, Verdict::kErase, false},
        {"opt-in set, due", resolved(true, kCreated), kDue, Verdict::kKeptByOptIn, false},
        {"opt-in set, one second before", resolved(true), kDue - 1, Verdict::kNotYetDue, false},
        {"opt-in withdrawn after resolution, past due", resolved(false, kDue + 5 * kDay),
         kDue + 6 * kDay, Verdict::kErase, false},
        {"opt-in withdrawn one second before the run", resolved(false, kDue + 300 * kDay - 1),
         kDue + 300 * kDay, Verdict::kErase, false},
        {"opt-in withdrawn, not yet due", resolved(false, kResolved + kDay), kDue - 1,
         Verdict::kNotYetDue, false},
        {"held and due", held(resolved()), kDue, Verdict::kHeld, false},
        {"held, unresolved", held(unresolved()), warn, Verdict::kHeld, false},
        {"unresolved, young", unresolved(), warn - 1, Verdict::kUnresolved, false},
        {"unresolved, at warning age", unresolved(), warn, Verdict::kUnresolved, true},
        {"unresolved, years old", unresolved(), kDue + 999 * kDay, Verdict::kUnresolved, true},
        {"reopened (resolution cleared)", unresolved(kResolved), kDue + kDay,
         Verdict::kUnresolved, true},
    };
    for (const Case& c : cases) {
      const RetentionDecision decision = decide(c.facts, c.now, policy);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(c.name, std::string(verdict_name(c.verdict)),
                                   std::string(verdict_name(decision.verdict)));
      CPPUNIT_ASSERT_EQUAL_MESSAGE(c.name, c.past_warning, decision.past_warning);
    }
  }

  void testDueAtFromResolutionEvenAfterWithdrawal() {
    const RetentionDecision decision =
        decide(resolved(false, kDue + 50 * kDay), kDue + 60 * kDay, RetentionPolicy{});
    CPPUNIT_ASSERT(decision.due_at.has_value());
    CPPUNIT_ASSERT_EQUAL(kDue, *decision.due_at);
    CPPUNIT_ASSERT(!decide(unresolved(), kDue, RetentionPolicy{}).due_at.has_value());
  }

  void testZeroDaysErasesAtResolution() {
    RetentionPolicy policy;
    policy.retention_days = 0;
    CPPUNIT_ASSERT(decide(resolved(), kResolved - 1, policy).verdict == Verdict::kNotYetDue);
    CPPUNIT_ASSERT(decide(resolved(), kResolved, policy).verdict == Verdict::kErase);
  }

  void testRuleNames() {
    RetentionPolicy policy;
    policy.retention_days = 30;
    CPPUNIT_ASSERT_EQUAL(std::string("resolved+30d"), erase_rule_name(resolved(), policy));
    CPPUNIT_ASSERT_EQUAL(std::string("resolved+30d, opt-in withdrawn"),
                         erase_rule_name(resolved(false, kDue), policy));
  }

  // The SQL in purge.cc uses the cutoffs; they must agree with decide().
  void testCutoffsMatchDecide() {
    const RetentionPolicy policy;
    for (std::int64_t now : {kDue - 1, kDue, kDue + 1}) {
      const bool sql_due = kResolved <= erase_cutoff(now, policy.retention_days);
      CPPUNIT_ASSERT_EQUAL(sql_due, decide(resolved(), now, policy).verdict == Verdict::kErase);
    }
    const std::int64_t warn = kCreated + 90 * kDay;
    for (std::int64_t now : {warn - 1, warn, warn + 1}) {
      const bool sql_warn = kCreated <= warning_cutoff(now, policy.unresolved_warning_days);
      CPPUNIT_ASSERT_EQUAL(sql_warn, decide(unresolved(), now, policy).past_warning);
    }
  }

  void testTimestampsAccepted() {
    const std::vector<std::pair<const char*, std::int64_t>> good = {
        {"0", 0},
        {"1780000000", 1780000000},
        {"2026-05-28", 1779926400},
        {"2026-05-28T20:26:40Z", 1780000000},
        {"2024-02-29", 1709164800},
        {"2026-12-31T23:59:59Z", 1798761599},
    };
    for (const auto& [text, expected] : good) {
      const auto parsed = parse_timestamp(text);
      CPPUNIT_ASSERT_MESSAGE(text, parsed.has_value());
      CPPUNIT_ASSERT_EQUAL_MESSAGE(text, expected, *parsed);
    }
  }

  void testTimestampsRejected() {
    for (const char* text :
         {"", "-1", "12a", "2026-5-28", "2026-02-30", "2025-02-29", "2026-13-01", "2026-00-10",
          "2026-05-28T24:00:00Z", "2026-05-28T20:26:40", "2026-05-28T20:26:40+02:00",
          "2026-05-28 20:26:40Z", "1969-12-31", "9999999999999", "yesterday"}) {
      CPPUNIT_ASSERT_MESSAGE(text, !parse_timestamp(text).has_value());
    }
  }

  void testFormatTimestamp() {
    CPPUNIT_ASSERT_EQUAL(std::string("2026-05-28T20:26:40Z"), format_timestamp(1780000000));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1780000000},
                         *parse_timestamp(format_timestamp(1780000000)));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RetentionTest);

}  // namespace sealform
