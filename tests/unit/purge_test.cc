// Tests for purge.h against a real SQLite file: the engine erases exactly
// what decide() says (boundaries, opt-in set and withdrawn, unresolved,
// reopened, held), re-checks eligibility inside the deleting transaction,
// deletes in batches of at most 1000 with one audit row each, expires the
// other limited-time tables, changes nothing in a dry run, and leaves no
// byte of an erased record's ciphertexts in the database or its WAL.
#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "core/db_connect.h"
#include "core/hold_store.h"
#include "core/purge.h"
#include "core/retention.h"
#include "purge_fixture.h"

namespace sealform {

using test::kBase;
using test::kDay;
using test::test_reference;

class PurgeTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PurgeTest);
  CPPUNIT_TEST(testEngineAgreesWithRule);
  CPPUNIT_TEST(testEligibilityRecheckedInsideDeletingTransaction);
  CPPUNIT_TEST(testHeldRecordOutOfReachUntilReleased);
  CPPUNIT_TEST(testBatchesOfAtMostThousandWithAuditRows);
  CPPUNIT_TEST(testExpiresOtherTables);
  CPPUNIT_TEST(testUnresolvedPastWarningReported);
  CPPUNIT_TEST(testDryRunChangesNothing);
  CPPUNIT_TEST(testNoCiphertextBytesRemain);
  CPPUNIT_TEST(testNothingRemainsWhenALaterStepFails);
  CPPUNIT_TEST(testReplayAfterAnEarlyErasureStoresNothing);
  CPPUNIT_TEST_SUITE_END();

 public:
  // Every row is also fed to decide(); the purge must erase exactly those
  // that the rule says kErase, at a `now` on each side of the boundary.
  void testEngineAgreesWithRule() {
    const std::int64_t retention = 180 * kDay;
    for (std::int64_t offset : {std::int64_t{-1}, std::int64_t{0}}) {
      test::PurgeFixture f;
      const std::int64_t now = kBase + retention + offset;
      struct Row {
        std::optional<std::int64_t> resolved;
        bool retain;
        std::optional<std::int64_t> changed;
      };
      const std::vector<Row> rows = {
          {kBase, false, std::nullopt},             // due exactly at kBase + 180d
          {kBase - 1, false, std::nullopt},         // due one second earlier
          {kBase + 1, false, std::nullopt},         // one second later
          {kBase, true, kBase - kDay},              // opt-in set
          {kBase, false, kBase + 170 * kDay},       // opt-in withdrawn after resolution
          {kBase - 300 * kDay, false, now - 1},     // withdrawn a second before the run
          {std::nullopt, false, std::nullopt},      // unresolved
          {std::nullopt, false, kBase},             // reopened: resolution cleared
      };
      std::set<std::string> expected;
      for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::string reference = test_reference(static_cast<int>(i) + 1);
        f.add(reference, kBase - 400 * kDay, rows[i].resolved, rows[i].retain, rows[i].changed);
        RetentionFacts facts{kBase - 400 * kDay, rows[i].resolved, rows[i].retain,
                             rows[i].changed, false};
        if (decide(facts, now, RetentionPolicy{}).verdict == Verdict::kErase) {
          expected.insert(reference);
        }
      }
      std::vector<std::string> erased;
      const PurgeSummary summary = f.purge(now, false, &erased);
      CPPUNIT_ASSERT(expected == std::set<std::string>(erased.begin(), erased.end()));
      CPPUNIT_ASSERT_EQUAL(static_cast<std::int64_t>(expected.size()), summary.erased);
      CPPUNIT_ASSERT_EQUAL(static_cast<std::int64_t>(rows.size() - expected.size()),
                           f.count("SELECT count(*) FROM enquiries"));
      CPPUNIT_ASSERT_EQUAL(std::int64_t{offset == 0 ? 1 : 0}, summary.kept_by_opt_in);
      CPPUNIT_ASSERT_EQUAL(std::size_t{offset == 0 ? 4u : 2u}, expected.size());
    }
  }

  // Selected as due, then reopened / opted in / held before the deleting
  // transaction starts: none of them may be erased.
  void testEligibilityRecheckedInsideDeletingTransaction() {
    test::PurgeFixture f;
    for (int i = 1; i <= 4; ++i) f.add(test_reference(i), kBase - kDay, kBase);
    bool changed = false;
    std::vector<std::string> erased;
    f.purge(kBase + 200 * kDay, false, &erased, [&](const std::vector<std::int64_t>& ids) {
      CPPUNIT_ASSERT_EQUAL(std::size_t{4}, ids.size());
      if (changed) return;
      changed = true;
      auto db = f.connect();
      db->exec("UPDATE enquiries SET resolved_at = NULL WHERE reference = '" +
                   test_reference(1) + "'",
               "reopen");
      db->exec("UPDATE enquiries SET retain = 1 WHERE reference = '" + test_reference(2) + "'",
               "opt in");
      open_hold_store(f.config())->place_hold(test_reference(3), "matter 1", "tester", kBase);
    });
    CPPUNIT_ASSERT_EQUAL(std::size_t{1}, erased.size());
    CPPUNIT_ASSERT_EQUAL(test_reference(4), erased[0]);
    CPPUNIT_ASSERT(f.in_enquiries(test_reference(1)));
    CPPUNIT_ASSERT(f.in_enquiries(test_reference(2)));
    CPPUNIT_ASSERT(f.in_hold_db(test_reference(3)));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, f.audit_rows("purge"));
  }

  void testHeldRecordOutOfReachUntilReleased() {
    test::PurgeFixture f;
    f.add(test_reference(1), kBase - kDay, kBase);
    open_hold_store(f.config())->place_hold(test_reference(1), "litigation", "tester", kBase);
    const std::int64_t later = kBase + 365 * kDay;
    CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, f.purge(later).erased);
    CPPUNIT_ASSERT(f.in_hold_db(test_reference(1)));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, count_held_records(f.config().hold_database));
    open_hold_store(f.config())->release(test_reference(1), std::nullopt, "tester", later);
    CPPUNIT_ASSERT(f.in_enquiries(test_reference(1)));
    // Already past its time: erased at the next run.
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, f.purge(later + 1).erased);
    CPPUNIT_ASSERT(!f.in_enquiries(test_reference(1)));
    CPPUNIT_ASSERT(!f.in_hold_db(test_reference(1)));
  }

  void testBatchesOfAtMostThousandWithAuditRows() {
    test::PurgeFixture f;
    f.add_many(2500, kBase);
    std::vector<std::size_t> batches;
    const PurgeSummary summary =
        f.purge(kBase + 181 * kDay, false, nullptr,
                [&](const std::vector<std::int64_t>& ids) { batches.push_back(ids.size()); });
    CPPUNIT_ASSERT_EQUAL(std::int64_t{2500}, summary.erased);
    // A database sealform created frees pages in steps from the start: no
    // whole VACUUM at its first purge.
    CPPUNIT_ASSERT(!summary.full_vacuum);
    CPPUNIT_ASSERT_EQUAL(std::size_t{3}, batches.size());
    CPPUNIT_ASSERT(*std::max_element(batches.begin(), batches.end()) <= kMaxPurgeBatch);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, f.count("SELECT count(*) FROM enquiries"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{2500}, f.audit_rows("purge"));
    auto db = f.connect();
    CPPUNIT_ASSERT(AuditTrail(*db, f.audit_key()).verify().ok);
  }

  void testExpiresOtherTables() {
    test::PurgeFixture f;
    const std::int64_t now = kBase + 1000 * kDay;
    {
      auto db = f.connect();
      db->exec("INSERT INTO idempotency VALUES (x'01', 'ENQ-A', " + std::to_string(now - 1) +
                   "), (x'02', 'ENQ-B', " + std::to_string(now) + ")",
               "seed");
      db->exec("INSERT INTO rate_limits VALUES (x'01', " + std::to_string(now - 601) +
                   ", 3), (x'01', " + std::to_string(now - 599) + ", 1)",
               "seed");
      if (!has_table(*db, "consent_records")) {  // before schema version 3
        db->exec("CREATE TABLE consent_records (consent_id BLOB PRIMARY KEY, choice TEXT, "
                 "policy_version TEXT, created_at INTEGER)",
                 "seed");
      }
      db->exec("INSERT INTO consent_records (consent_id, choice, policy_version, created_at) "
               "VALUES (x'01', 'accept', 'p1', " + std::to_string(now - 400 * kDay) +
                   "), (x'02', 'reject', 'p1', " + std::to_string(now - 399 * kDay) + ")",
               "seed");
      AuditTrail audit(*db, f.audit_key());
      audit.append(now - 731 * kDay, "tester", "resolve", "", "old");
      audit.append(now - 729 * kDay, "tester", "resolve", "", "recent");
    }
    const PurgeSummary dry = f.purge(now, true);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, dry.idempotency_expired);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, f.count("SELECT count(*) FROM idempotency"));
    const PurgeSummary summary = f.purge(now);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, summary.idempotency_expired);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, summary.rate_limits_expired);
    CPPUNIT_ASSERT(summary.consent_expired.has_value());
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, *summary.consent_expired);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, summary.audit_expired);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, f.count("SELECT count(*) FROM idempotency"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, f.count("SELECT count(*) FROM rate_limits"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, f.count("SELECT count(*) FROM consent_records"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, f.audit_rows("resolve"));
  }

  void testUnresolvedPastWarningReported() {
    test::PurgeFixture f;
    f.add(test_reference(1), kBase - 90 * kDay, std::nullopt);
    f.add(test_reference(2), kBase - 90 * kDay + 1, std::nullopt);
    const PurgeSummary summary = f.purge(kBase);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, summary.erased);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, summary.unresolved);
    CPPUNIT_ASSERT(summary.unresolved_past_warning == std::vector<std::string>{test_reference(1)});
    CPPUNIT_ASSERT(f.in_enquiries(test_reference(1)));
  }

  void testDryRunChangesNothing() {
    test::PurgeFixture f;
    f.add(test_reference(1), kBase - kDay, kBase);
    f.add(test_reference(2), kBase - kDay, kBase + 10 * kDay);
    f.purge(kBase - kDay);  // a real run first: checkpointed, vacuum mode set
    const std::string before = test::read_file(f.config().database);
    std::vector<std::string> listed;
    const PurgeSummary summary = f.purge(kBase + 185 * kDay, true, &listed);
    CPPUNIT_ASSERT(listed == std::vector<std::string>{test_reference(1)});
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, summary.erased);
    CPPUNIT_ASSERT(before == test::read_file(f.config().database));
    CPPUNIT_ASSERT(f.in_enquiries(test_reference(1)));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, f.audit_rows("purge"));
  }

  // The erasure proof in-process: every blob of an erased record is gone
  // from the database file and the WAL; a kept record's blobs are still
  // there (so the search itself works).
  void testNoCiphertextBytesRemain() {
    test::PurgeFixture f;
    std::vector<EnquiryRecord> erased_records;
    for (int i = 1; i <= 30; ++i) {
      erased_records.push_back(f.add(test_reference(i), kBase - kDay, kBase));
    }
    const EnquiryRecord kept = f.add(test_reference(99), kBase - kDay, std::nullopt);
    const PurgeSummary summary = f.purge(kBase + 200 * kDay);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{30}, summary.erased);
    CPPUNIT_ASSERT(summary.checkpoint_complete);
    const std::string files =
        test::read_file(f.config().database) + test::read_file(f.config().database + "-wal");
    for (const EnquiryRecord& record : erased_records) {
      CPPUNIT_ASSERT(!test::contains_bytes(files, record.sealed.wrapped_key));
      CPPUNIT_ASSERT(!test::contains_bytes(files, record.email_index));
      for (const auto& [field, blob] : record.sealed.fields) {
        CPPUNIT_ASSERT_MESSAGE(field, !test::contains_bytes(files, blob));
      }
    }
    CPPUNIT_ASSERT(test::contains_bytes(files, kept.sealed.fields.at("message")));
  }

  // With a retention shorter than a form token's lifetime, a record may be
  // erased while its form could still be posted again: the replay is
  // answered as one and does not bring the enquiry back.
  void testReplayAfterAnEarlyErasureStoresNothing() {
    test::PurgeFixture f;
    f.config().retention_days = 0;
    const std::string key(32, '\x5a');
    f.add_keyed(test_reference(1), key, kBase);
    f.connect()->exec("UPDATE enquiries SET resolved_at = " + std::to_string(kBase + 60),
                      "resolve");
    std::vector<std::string> erased;
    f.purge(kBase + 120, false, &erased);
    CPPUNIT_ASSERT(erased == std::vector<std::string>{test_reference(1)});
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, f.count("SELECT count(*) FROM idempotency"));
    const BatchItemResult again = f.replay(test_reference(1), key);
    CPPUNIT_ASSERT(again.ok && again.outcome.replayed);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, f.count("SELECT count(*) FROM enquiries"));
    // Once the token could no longer be posted, the key expires with the
    // other idempotency rows.
    const PurgeSummary later = f.purge(kBase + 7200 + 61);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, later.idempotency_expired);
    // A record erased after its token's lifetime leaves no key at all.
    test::PurgeFixture g;
    g.add_keyed(test_reference(2), key, kBase - 400 * kDay);
    g.connect()->exec("UPDATE enquiries SET resolved_at = " + std::to_string(kBase - 300 * kDay),
                      "resolve");
    g.purge(kBase);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, g.count("SELECT count(*) FROM idempotency"));
  }

  // Records erased before a later step fails (here the audit trail, which
  // must verify before its old rows expire) leave nothing behind either.
  void testNothingRemainsWhenALaterStepFails() {
    test::PurgeFixture f;
    {
      auto db = f.connect();
      AuditTrail audit(*db, f.audit_key());
      audit.append(kBase - 1000 * kDay, "alice", "resolve", test_reference(50), "old");
      audit.append(kBase - 999 * kDay, "alice", "resolve", test_reference(51), "old");
      db->exec("UPDATE audit SET detail = 'altered' WHERE id = 2", "tamper");
    }
    std::vector<EnquiryRecord> erased_records;
    for (int i = 1; i <= 10; ++i) {
      erased_records.push_back(f.add(test_reference(i), kBase - kDay, kBase));
    }
    CPPUNIT_ASSERT_THROW(f.purge(kBase + 200 * kDay), Error);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, f.count("SELECT count(*) FROM enquiries"));
    const std::string files =
        test::read_file(f.config().database) + test::read_file(f.config().database + "-wal");
    for (const EnquiryRecord& record : erased_records) {
      CPPUNIT_ASSERT(!test::contains_bytes(files, record.sealed.wrapped_key));
      for (const auto& [field, blob] : record.sealed.fields) {
        CPPUNIT_ASSERT_MESSAGE(field, !test::contains_bytes(files, blob));
      }
    }
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PurgeTest);

}  // namespace sealform
