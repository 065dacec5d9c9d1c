// Tests for the group-commit writer: many submitters, one commit per batch,
// and, when it syncs the WAL itself, no answer before that sync.
#include "web/intake_writer.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "core/store.h"
#include "test_util.h"

namespace sealform::web {
namespace {

PendingInsert submission(int n) {
  char reference[32];
  std::snprintf(reference, sizeof reference, "ENQ-%05d-AAAAA", n);
  PendingInsert item;
  item.record = test::make_record(reference, n);
  item.idempotency_key = "key-" + std::to_string(n);
  item.idempotency_expires_at = 1796009999;
  return item;
}

}  // namespace

class IntakeWriterTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(IntakeWriterTest);
  CPPUNIT_TEST(ConcurrentSubmissionsAreAllStored);
  CPPUNIT_TEST(WriterSyncedSubmissionsAreStoredAndReplayed);
  CPPUNIT_TEST(AFailedSyncIsAnsweredAsUnavailable);
  CPPUNIT_TEST_SUITE_END();

 public:
  void ConcurrentSubmissionsAreAllStored() { submit_concurrently(""); }

  void WriterSyncedSubmissionsAreStoredAndReplayed() {
    submit_concurrently(dir_.file("db.sqlite") + "-wal");
  }

  void AFailedSyncIsAnsweredAsUnavailable() {
    const std::string db = dir_.file("db.sqlite");
    {
      auto writer = make_group_commit_writer(factory(db, Synchronous::kNormal), db + ".lock",
                                             dir_.file("missing/db.sqlite-wal"));
      CPPUNIT_ASSERT_THROW(writer->submit(submission(1)), StorageUnavailable);
    }
    // Committed, though not known to be durable: a retry of the same form
    // is a replay, not a second row.
    auto store = open_sqlite_store(db, Synchronous::kFull, 1000);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, store->count());
    CPPUNIT_ASSERT(store->find_idempotent("key-1").has_value());
  }

 private:
  static StoreFactory factory(const std::string& db, Synchronous synchronous) {
    return [db, synchronous] { return open_sqlite_store(db, synchronous, 5000); };
  }

  void submit_concurrently(const std::string& wal_to_sync) {
    const std::string db = dir_.file("db.sqlite");
    const Synchronous sync = wal_to_sync.empty() ? Synchronous::kFull : Synchronous::kNormal;
    std::atomic<int> stored{0};
    {
      auto writer = make_group_commit_writer(factory(db, sync), db + ".lock", wal_to_sync);
      std::vector<std::thread> threads;
      for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
          for (int i = 0; i < 25; ++i) {
            const BatchItemResult result = writer->submit(submission(t * 100 + i));
            if (result.ok && !result.outcome.replayed) ++stored;
          }
        });
      }
      for (std::thread& thread : threads) thread.join();
      // The same form again: the first reference, nothing new.
      const BatchItemResult again = writer->submit(submission(0));
      CPPUNIT_ASSERT(again.ok && again.outcome.replayed);
      CPPUNIT_ASSERT_EQUAL(std::string("ENQ-00000-AAAAA"), again.outcome.reference);
    }
    CPPUNIT_ASSERT_EQUAL(200, stored.load());
    CPPUNIT_ASSERT_EQUAL(std::int64_t{200}, open_sqlite_store(db, sync, 1000)->count());
  }

  test::TempDir dir_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(IntakeWriterTest);

}  // namespace sealform::web
