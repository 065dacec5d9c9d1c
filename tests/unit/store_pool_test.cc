// Tests for the worker's pools of store connections (web/context.h): a
// connection is reused after a request, and closed instead when an
// exception left while it was in use, since it may keep the fault; lookups
// share a few connections, writes are not limited.
#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/config.h"
#include "test_util.h"
#include "web/context.h"

namespace sealform::web {

class StorePoolTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(StorePoolTest);
  CPPUNIT_TEST(ReusesAConnectionAfterUse);
  CPPUNIT_TEST(ClosesAConnectionAnExceptionLeftThrough);
  CPPUNIT_TEST(OpensAtMostTheLimitAndWaitsForOne);
  CPPUNIT_TEST(FreshConnectionTakesAnIdleOnesPlace);
  CPPUNIT_TEST(WritesAreNotLimited);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    dir_ = std::make_unique<test::TempDir>();
    config_.database = dir_->file("enquiries.db");
    config_.busy_timeout_ms = 1000;
  }
  void tearDown() override { dir_.reset(); }

  void ReusesAConnectionAfterUse() {
    StorePool pool(config_, StorePool::Use::kLookups);
    const EnquiryStore* first = nullptr;
    CPPUNIT_ASSERT_EQUAL(std::size_t{0}, pool.idle());
    {
      auto lease = pool.take();
      first = lease.operator->();
      CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, lease->count());
    }
    CPPUNIT_ASSERT_EQUAL(std::size_t{1}, pool.idle());
    auto again = pool.take();
    CPPUNIT_ASSERT(again.operator->() == first);
    CPPUNIT_ASSERT_EQUAL(std::size_t{0}, pool.idle());
  }

  void OpensAtMostTheLimitAndWaitsForOne() {
    StorePool pool(config_, StorePool::Use::kLookups);
    std::vector<std::unique_ptr<StorePool::Lease>> leases(StorePool::kMaxLookupConnections);
    for (auto& lease : leases) lease.reset(new StorePool::Lease(pool.take()));
    CPPUNIT_ASSERT_EQUAL(StorePool::kMaxLookupConnections, pool.open());
    std::atomic<bool> got{false};
    std::thread waiter([&] {
      auto lease = pool.take();
      got = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const bool got_early = got;  // all are out: it must still wait
    leases[0].reset();           // one comes back, and is handed on
    waiter.join();
    CPPUNIT_ASSERT(!got_early);
    CPPUNIT_ASSERT(got);
    CPPUNIT_ASSERT_EQUAL(StorePool::kMaxLookupConnections, pool.open());
  }

  void FreshConnectionTakesAnIdleOnesPlace() {
    StorePool pool(config_, StorePool::Use::kLookups);
    {
      std::vector<std::unique_ptr<StorePool::Lease>> leases(StorePool::kMaxLookupConnections);
      for (auto& lease : leases) lease.reset(new StorePool::Lease(pool.take()));
    }
    CPPUNIT_ASSERT_EQUAL(StorePool::kMaxLookupConnections, pool.idle());
    { auto fresh = pool.take_fresh(); }
    CPPUNIT_ASSERT_EQUAL(StorePool::kMaxLookupConnections, pool.open());
    CPPUNIT_ASSERT_EQUAL(StorePool::kMaxLookupConnections, pool.idle());
  }

  // A write may wait for the write lock: writes have a pool of their own
  // that never makes a request wait for a connection.
  void WritesAreNotLimited() {
    StorePool pool(config_, StorePool::Use::kWrites);
    std::vector<std::unique_ptr<StorePool::Lease>> leases(StorePool::kMaxLookupConnections + 2);
    for (auto& lease : leases) lease.reset(new StorePool::Lease(pool.take()));
    CPPUNIT_ASSERT_EQUAL(StorePool::kMaxLookupConnections + 2, pool.open());
    leases.clear();
    CPPUNIT_ASSERT_EQUAL(StorePool::kMaxLookupConnections + 2, pool.idle());
  }

  void ClosesAConnectionAnExceptionLeftThrough() {
    StorePool pool(config_, StorePool::Use::kLookups);
    { auto warm = pool.take(); }
    CPPUNIT_ASSERT_EQUAL(std::size_t{1}, pool.idle());
    try {
      auto lease = pool.take();
      throw std::runtime_error("the store failed");  // as a StorageUnavailable would
    } catch (const std::runtime_error&) {
    }
    CPPUNIT_ASSERT_EQUAL(std::size_t{0}, pool.idle());  // closed, not given back
    CPPUNIT_ASSERT_EQUAL(std::size_t{0}, pool.open());
    auto next = pool.take();                            // a new one
    CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, next->count());
  }

 private:
  std::unique_ptr<test::TempDir> dir_;
  Config config_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(StorePoolTest);

}  // namespace sealform::web
