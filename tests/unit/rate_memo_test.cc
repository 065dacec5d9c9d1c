// Tests for the worker's memo of over-limit rate keys.
#include "web/rate_memo.h"

#include <cppunit/extensions/HelperMacros.h>

#include <string>

namespace sealform::web {

class RateLimitMemoTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(RateLimitMemoTest);
  CPPUNIT_TEST(RemembersUntilTheWindowEnds);
  CPPUNIT_TEST(KeepsTheLaterWindow);
  CPPUNIT_TEST(StaysBoundedWhenFull);
  CPPUNIT_TEST_SUITE_END();

 public:
  void RemembersUntilTheWindowEnds() {
    RateLimitMemo memo;
    CPPUNIT_ASSERT(!memo.limited_until("client", 1000));
    memo.remember("client", 1060, 1000);
    CPPUNIT_ASSERT(memo.limited_until("client", 1000) == std::optional<std::int64_t>(1060));
    CPPUNIT_ASSERT(memo.limited_until("client", 1059) == std::optional<std::int64_t>(1060));
    CPPUNIT_ASSERT_MESSAGE("limited after its window", !memo.limited_until("client", 1060));
    CPPUNIT_ASSERT(!memo.limited_until("other", 1000));
  }

  void KeepsTheLaterWindow() {
    RateLimitMemo memo;
    memo.remember("global", 2000, 1000);
    memo.remember("global", 1500, 1000);  // a slower worker's older news
    CPPUNIT_ASSERT(memo.limited_until("global", 1700) == std::optional<std::int64_t>(2000));
  }

  void StaysBoundedWhenFull() {
    RateLimitMemo memo;
    for (std::size_t i = 0; i < RateLimitMemo::kMaxEntries; ++i) {
      memo.remember("old" + std::to_string(i), i % 2 == 0 ? 1100 : 5000, 1000);
    }
    // Full: the expired half goes, the rest stays, the newcomer is added.
    memo.remember("new", 6000, 2000);
    CPPUNIT_ASSERT(memo.limited_until("new", 2000).has_value());
    CPPUNIT_ASSERT(memo.limited_until("old1", 2000).has_value());
    CPPUNIT_ASSERT(!memo.limited_until("old0", 1000).has_value());
    // Full of live keys: it starts over rather than grow.
    RateLimitMemo live;
    for (std::size_t i = 0; i < RateLimitMemo::kMaxEntries; ++i) {
      live.remember("k" + std::to_string(i), 9000, 1000);
    }
    live.remember("newcomer", 9000, 1000);
    CPPUNIT_ASSERT(live.limited_until("newcomer", 1000).has_value());
    CPPUNIT_ASSERT(!live.limited_until("k0", 1000).has_value());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RateLimitMemoTest);

}  // namespace sealform::web
