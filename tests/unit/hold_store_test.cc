// Tests for hold_store.h: a hold moves the record unchanged into the hold
// database, several holds per record, release of one and of all, the
// errors, the read-only count, and the crash-safe protocol: a child process
// is killed between the two commits (SEALFORM_TEST_CRASH_AFTER) and after
// reconcile the record is in exactly one store, also when a purge erased
// the released copy before reconcile ran.
#include <sys/wait.h>
#include <unistd.h>

#include <cppunit/extensions/HelperMacros.h>

#include <cstdlib>
#include <functional>
#include <string>

#include "core/hold_store.h"
#include "core/sqlite_handle.h"
#include "purge_fixture.h"

namespace sealform {
namespace {

using test::kBase;
using test::kDay;
using test::test_reference;

// Runs `body` in a child process with the crash hook armed at `point`;
// returns the child's exit status (9 when the hook fired).
int run_crashing(const char* point, const std::function<void()>& body) {
  const pid_t child = fork();
  if (child == 0) {
    setenv(kCrashHookVariable, point, 1);
    try {
      body();
    } catch (...) {
      _exit(1);
    }
    _exit(0);
  }
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void assert_same(const EnquiryRecord& a, const EnquiryRecord& b) {
  CPPUNIT_ASSERT_EQUAL(a.reference, b.reference);
  CPPUNIT_ASSERT_EQUAL(a.created_at, b.created_at);
  CPPUNIT_ASSERT(a.resolved_at == b.resolved_at);
  CPPUNIT_ASSERT_EQUAL(a.retain, b.retain);
  CPPUNIT_ASSERT(a.retain_changed_at == b.retain_changed_at);
  CPPUNIT_ASSERT_EQUAL(a.category, b.category);
  CPPUNIT_ASSERT_EQUAL(a.locale, b.locale);
  CPPUNIT_ASSERT_EQUAL(a.policy_version, b.policy_version);
  CPPUNIT_ASSERT(a.email_index == b.email_index);
  CPPUNIT_ASSERT(a.sealed.key_id == b.sealed.key_id);
  CPPUNIT_ASSERT(a.sealed.wrapped_key == b.sealed.wrapped_key);
  CPPUNIT_ASSERT(a.sealed.fields == b.sealed.fields);
}

}  // namespace

class HoldStoreTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(HoldStoreTest);
  CPPUNIT_TEST(testHoldMovesRecordUnchanged);
  CPPUNIT_TEST(testSeveralHoldsAndReleaseOneByOne);
  CPPUNIT_TEST(testReleaseAll);
  CPPUNIT_TEST(testNotFound);
  CPPUNIT_TEST(testSameFileRefused);
  CPPUNIT_TEST(testCrashAfterHoldWrite);
  CPPUNIT_TEST(testCrashAfterReleaseWrite);
  CPPUNIT_TEST(testCrashAfterReleaseThenPurgeWaitsForTheMove);
  CPPUNIT_TEST(testInterruptedBeforeReleaseInsert);
  CPPUNIT_TEST(testReplayOfAHeldFormStoresNothing);
  CPPUNIT_TEST(testReplayAfterInterruptedHoldStoresNothing);
  CPPUNIT_TEST(testReleaseRefusedWhenTheReferenceIsTaken);
  CPPUNIT_TEST(testWithdrawnOptInOfAHeldRecordOutlastsTheHold);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testHoldMovesRecordUnchanged() {
    test::PurgeFixture f;
    const EnquiryRecord original = f.add(test_reference(1), kBase, kBase + kDay, true, kBase);
    auto holds = open_hold_store(f.config());
    const LegalHold hold = holds->place_hold(test_reference(1), "case 12", "alice", kBase + 5);
    CPPUNIT_ASSERT(!f.in_enquiries(test_reference(1)));
    const auto held = holds->find(test_reference(1));
    CPPUNIT_ASSERT(held.has_value());
    assert_same(original, *held);
    CPPUNIT_ASSERT(holds->find_by_email_index(original.email_index) ==
                   std::vector<std::string>{test_reference(1)});
    const auto list = holds->holds_for(test_reference(1));
    CPPUNIT_ASSERT_EQUAL(std::size_t{1}, list.size());
    CPPUNIT_ASSERT_EQUAL(hold.id, list[0].id);
    CPPUNIT_ASSERT_EQUAL(std::string("case 12"), list[0].reason);
    CPPUNIT_ASSERT_EQUAL(std::string("alice"), list[0].placed_by);
    CPPUNIT_ASSERT_EQUAL(kBase + 5, list[0].placed_at);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, f.audit_rows("hold", test_reference(1)));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, count_held_records(f.config().hold_database));
  }

  // A reference derived from the form token keeps the token's key in its
  // row; a hold takes the row away, so the key must stay behind for a
  // replay of the same form to be recognised, while the record is held and
  // after it comes back.
  void testReplayOfAHeldFormStoresNothing() {
    test::PurgeFixture f;
    const std::string ref = test_reference(7);
    const EnquiryRecord original = f.add_keyed(ref, "token-key-7", kBase);
    auto holds = open_hold_store(f.config());
    holds->place_hold(ref, "case 7", "alice", kBase + 10);
    auto store = open_sqlite_store(f.config());
    CPPUNIT_ASSERT(store->find_idempotent("token-key-7", ref) == std::optional<std::string>(ref));
    BatchItemResult again = f.replay(ref, "token-key-7");
    CPPUNIT_ASSERT(again.ok && again.outcome.replayed);
    CPPUNIT_ASSERT_EQUAL(ref, again.outcome.reference);
    CPPUNIT_ASSERT(!f.in_enquiries(ref));
    // Kept until the token could no longer be posted (hold time + lifetime).
    CPPUNIT_ASSERT_EQUAL(
        std::int64_t{1},
        f.count("SELECT count(*) FROM idempotency WHERE expires_at = " +
                std::to_string(kBase + 10 + f.config().token_lifetime_seconds + 60)));
    const HoldStore::ReleaseOutcome out = holds->release(ref, std::nullopt, "alice", kBase + 20);
    CPPUNIT_ASSERT(out.moved_back);
    CPPUNIT_ASSERT(out.hold_wal_truncated);
    again = f.replay(ref, "token-key-7");
    CPPUNIT_ASSERT(again.ok && again.outcome.replayed);
    CPPUNIT_ASSERT_EQUAL(ref, again.outcome.reference);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, f.count("SELECT count(*) FROM enquiries"));
    assert_same(original, *store->find(ref));
  }

  void testReplayAfterInterruptedHoldStoresNothing() {
    test::PurgeFixture f;
    const std::string ref = test_reference(8);
    f.add_keyed(ref, "token-key-8", kBase);
    const int status = run_crashing("hold-write", [&] {
      open_hold_store(f.config())->place_hold(ref, "case 8", "alice", kBase + 10);
    });
    CPPUNIT_ASSERT_EQUAL(9, status);
    CPPUNIT_ASSERT(f.in_enquiries(ref));  // both copies until reconcile
    CPPUNIT_ASSERT(f.in_hold_db(ref));
    open_hold_store(f.config());  // reconciles: the hold copy wins
    CPPUNIT_ASSERT(!f.in_enquiries(ref));
    const BatchItemResult again = f.replay(ref, "token-key-8");
    CPPUNIT_ASSERT(again.ok && again.outcome.replayed);
    CPPUNIT_ASSERT(!f.in_enquiries(ref));
  }

  // Should the enquiry store hold another record under a held reference,
  // release keeps both rather than dropping the held one.
  void testReleaseRefusedWhenTheReferenceIsTaken() {
    test::PurgeFixture f;
    const std::string ref = test_reference(9);
    const EnquiryRecord original = f.add(ref, kBase, std::nullopt);
    auto holds = open_hold_store(f.config());
    holds->place_hold(ref, "case 9", "alice", kBase + 10);
    const EnquiryRecord other = f.add(ref, kBase + 11, std::nullopt);
    CPPUNIT_ASSERT_THROW(holds->release(ref, std::nullopt, "alice", kBase + 20), Error);
    assert_same(original, *holds->find(ref));
    CPPUNIT_ASSERT_EQUAL(std::size_t{1}, holds->holds_for(ref).size());
    assert_same(other, *open_sqlite_store(f.config())->find(ref));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, f.audit_rows("release", ref));
    CPPUNIT_ASSERT_EQUAL(0, holds->reconcile());  // no move left half-done
  }

  void testSeveralHoldsAndReleaseOneByOne() {
    test::PurgeFixture f;
    const EnquiryRecord original = f.add(test_reference(1), kBase, std::nullopt);
    auto holds = open_hold_store(f.config());
    const LegalHold first = holds->place_hold(test_reference(1), "matter A", "alice", kBase);
    const LegalHold second = holds->place_hold(test_reference(1), "matter B", "bob", kBase + 1);
    CPPUNIT_ASSERT(first.id != second.id);
    CPPUNIT_ASSERT_EQUAL(std::size_t{2}, holds->all_holds().size());
    auto outcome = holds->release(test_reference(1), first.id, "alice", kBase + 2);
    CPPUNIT_ASSERT_EQUAL(1, outcome.released);
    CPPUNIT_ASSERT_EQUAL(1, outcome.remaining);
    CPPUNIT_ASSERT(!outcome.moved_back);
    CPPUNIT_ASSERT(!f.in_enquiries(test_reference(1)));
    outcome = holds->release(test_reference(1), second.id, "bob", kBase + 3);
    CPPUNIT_ASSERT(outcome.moved_back);
    CPPUNIT_ASSERT_EQUAL(0, outcome.remaining);
    CPPUNIT_ASSERT(!f.in_hold_db(test_reference(1)));
    CPPUNIT_ASSERT(holds->all_holds().empty());
    const auto back = open_sqlite_store(f.config())->find(test_reference(1));
    CPPUNIT_ASSERT(back.has_value());
    assert_same(original, *back);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, f.audit_rows("release", test_reference(1)));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, count_held_records(f.config().hold_database));
  }

  void testReleaseAll() {
    test::PurgeFixture f;
    f.add(test_reference(1), kBase, std::nullopt);
    auto holds = open_hold_store(f.config());
    holds->place_hold(test_reference(1), "A", "alice", kBase);
    holds->place_hold(test_reference(1), "B", "alice", kBase);
    const auto outcome = holds->release(test_reference(1), std::nullopt, "alice", kBase);
    CPPUNIT_ASSERT_EQUAL(2, outcome.released);
    CPPUNIT_ASSERT(outcome.moved_back);
    CPPUNIT_ASSERT(f.in_enquiries(test_reference(1)));
  }

  // A hold keeps a record from being erased, not its opt-in from being
  // withdrawn: once released, the normal rule erases it.
  void testWithdrawnOptInOfAHeldRecordOutlastsTheHold() {
    test::PurgeFixture f;
    const EnquiryRecord kept = f.add(test_reference(1), kBase - kDay, kBase, true, kBase - kDay);
    f.add(test_reference(2), kBase - kDay, kBase, true, kBase - kDay);  // another person
    auto holds = open_hold_store(f.config());
    holds->place_hold(test_reference(1), "matter 9", "alice", kBase + 1);
    const auto changed = holds->withdraw_retain(kept.email_index, "bob", kBase + 2);
    CPPUNIT_ASSERT_EQUAL(std::size_t{1}, changed.size());
    CPPUNIT_ASSERT_EQUAL(test_reference(1), changed[0]);
    CPPUNIT_ASSERT(holds->withdraw_retain(kept.email_index, "bob", kBase + 3).empty());
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, f.audit_rows("withdraw", test_reference(1)));
    holds->release(test_reference(1), std::nullopt, "alice", kBase + 4);
    const auto released = f.connect()->query_int64(
        "SELECT retain FROM enquiries WHERE reference = '" + test_reference(1) + "'");
    CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, released);
    std::vector<std::string> erased;
    f.purge(kBase + 200 * kDay, false, &erased);
    CPPUNIT_ASSERT(erased == std::vector<std::string>{test_reference(1)});
    CPPUNIT_ASSERT(f.in_enquiries(test_reference(2)));
  }

  void testNotFound() {
    test::PurgeFixture f;
    f.add(test_reference(1), kBase, std::nullopt);
    auto holds = open_hold_store(f.config());
    CPPUNIT_ASSERT_THROW(holds->place_hold(test_reference(2), "x", "a", kBase), HoldNotFound);
    CPPUNIT_ASSERT_THROW(holds->release(test_reference(1), std::nullopt, "a", kBase),
                         HoldNotFound);
    const LegalHold hold = holds->place_hold(test_reference(1), "x", "a", kBase);
    CPPUNIT_ASSERT_THROW(holds->release(test_reference(1), hold.id + 7, "a", kBase),
                         HoldNotFound);
    CPPUNIT_ASSERT(f.in_hold_db(test_reference(1)));
  }

  void testSameFileRefused() {
    test::PurgeFixture f;
    Config config = f.config();
    config.hold_database = config.database;
    CPPUNIT_ASSERT_THROW(open_hold_store(config), ConfigError);
  }

  void testCrashAfterHoldWrite() {
    test::PurgeFixture f;
    f.add(test_reference(1), kBase, kBase);
    const int status = run_crashing("hold-write", [&] {
      open_hold_store(f.config())->place_hold(test_reference(1), "case", "alice", kBase);
    });
    CPPUNIT_ASSERT_EQUAL(9, status);
    // The window the protocol covers: both copies, marker "in".
    CPPUNIT_ASSERT(f.in_enquiries(test_reference(1)));
    CPPUNIT_ASSERT(f.in_hold_db(test_reference(1)));
    auto holds = open_hold_store(f.config());  // reconciles
    CPPUNIT_ASSERT(!f.in_enquiries(test_reference(1)));
    CPPUNIT_ASSERT(f.in_hold_db(test_reference(1)));
    CPPUNIT_ASSERT_EQUAL(std::size_t{1}, holds->holds_for(test_reference(1)).size());
    CPPUNIT_ASSERT_EQUAL(0, holds->reconcile());  // nothing left to do
  }

  void testCrashAfterReleaseWrite() {
    test::PurgeFixture f;
    f.add(test_reference(1), kBase, kBase);
    open_hold_store(f.config())->place_hold(test_reference(1), "case", "alice", kBase);
    const int status = run_crashing("release-write", [&] {
      open_hold_store(f.config())->release(test_reference(1), std::nullopt, "alice", kBase + 1);
    });
    CPPUNIT_ASSERT_EQUAL(9, status);
    CPPUNIT_ASSERT(f.in_enquiries(test_reference(1)));
    CPPUNIT_ASSERT(f.in_hold_db(test_reference(1)));
    auto holds = open_hold_store(f.config());
    CPPUNIT_ASSERT(f.in_enquiries(test_reference(1)));
    CPPUNIT_ASSERT(!f.in_hold_db(test_reference(1)));
    CPPUNIT_ASSERT(holds->all_holds().empty());
  }

  // Released (crash before the hold copy went), then the purge erased the
  // record at once: reconcile must not bring it back.
  // A release killed between its commits leaves the record in both stores:
  // the purge leaves it alone (it would report as erased a record whose
  // copy the hold store still has), the next admin command finishes the
  // move, and the purge after that erases it; nothing comes back.
  void testCrashAfterReleaseThenPurgeWaitsForTheMove() {
    test::PurgeFixture f;
    f.add(test_reference(1), kBase - kDay, kBase);
    f.add(test_reference(2), kBase - kDay, kBase);
    open_hold_store(f.config())->place_hold(test_reference(1), "case", "alice", kBase);
    const std::int64_t later = kBase + 400 * kDay;
    CPPUNIT_ASSERT_EQUAL(9, run_crashing("release-write", [&] {
                           open_hold_store(f.config())->release(test_reference(1), std::nullopt,
                                                                "alice", later);
                         }));
    std::vector<std::string> erased;
    const PurgeSummary first = f.purge(later + 1, false, &erased);
    CPPUNIT_ASSERT(erased == std::vector<std::string>{test_reference(2)});
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, first.left_in_motion);
    CPPUNIT_ASSERT(f.in_enquiries(test_reference(1)));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, f.purge(later + 1, true).left_in_motion);
    open_hold_store(f.config());  // reconcile finishes the move
    CPPUNIT_ASSERT(!f.in_hold_db(test_reference(1)));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, f.purge(later + 1).erased);
    open_hold_store(f.config());
    CPPUNIT_ASSERT(!f.in_enquiries(test_reference(1)));
    CPPUNIT_ASSERT(!f.in_hold_db(test_reference(1)));
  }

  // The "out" marker committed but the enquiry database's insert did not
  // (a crash between them): reconcile inserts the record.
  void testInterruptedBeforeReleaseInsert() {
    test::PurgeFixture f;
    const EnquiryRecord original = f.add(test_reference(1), kBase, kBase);
    open_hold_store(f.config())->place_hold(test_reference(1), "case", "alice", kBase);
    {
      sqlite::Connection db(f.config().hold_database);
      db.exec("DELETE FROM holds; INSERT INTO moves VALUES ('" + test_reference(1) +
                  "', 'out', 'feedfacefeedface', " + std::to_string(kBase + 9) + ")",
              "simulate");
    }
    open_hold_store(f.config());
    const auto back = open_sqlite_store(f.config())->find(test_reference(1));
    CPPUNIT_ASSERT(back.has_value());
    assert_same(original, *back);
    CPPUNIT_ASSERT(!f.in_hold_db(test_reference(1)));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HoldStoreTest);

}  // namespace sealform
