// Tests for the worker's wrap sessions: one session serves many data keys,
// and is replaced when it has served kMaxWraps or is kMaxAge old.
#include "web/wrap_sessions.h"

#include <cppunit/extensions/HelperMacros.h>

#include <optional>
#include <string>

#include "core/keys.h"
#include "open/open.h"
#include "test_util.h"

namespace sealform::web {

class WrapSessionsTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(WrapSessionsTest);
  CPPUNIT_TEST(SessionIsReusedUntilSpent);
  CPPUNIT_TEST(SessionIsReplacedWhenOld);
  CPPUNIT_TEST(OldSessionIsDroppedWithoutAnotherWrap);
  CPPUNIT_TEST(EverySessionsBlobsOpen);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    dir_.emplace();
    id_ = create_seal_key_pair(dir_->path(), std::nullopt);
  }
  void tearDown() override { dir_.reset(); }

  void SessionIsReusedUntilSpent() {
    WrapSessions sessions(public_key());
    const auto first = sessions.for_next_wrap();
    for (std::uint64_t i = 1; i < WrapSessions::kMaxWraps; ++i) {
      CPPUNIT_ASSERT_MESSAGE("replaced before it was spent",
                             sessions.for_next_wrap().get() == first.get());
    }
    const auto second = sessions.for_next_wrap();
    CPPUNIT_ASSERT_MESSAGE("still in use after kMaxWraps", second.get() != first.get());
    CPPUNIT_ASSERT(sessions.for_next_wrap().get() == second.get());
  }

  void SessionIsReplacedWhenOld() {
    auto now = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
    WrapSessions sessions(public_key(), [&now] { return now; });
    const auto first = sessions.for_next_wrap();
    now += WrapSessions::kMaxAge - std::chrono::seconds(1);
    CPPUNIT_ASSERT(sessions.for_next_wrap().get() == first.get());
    now += std::chrono::seconds(1);
    CPPUNIT_ASSERT_MESSAGE("still in use at kMaxAge",
                           sessions.for_next_wrap().get() != first.get());
  }

  // On a quiet site no next enquiry replaces the session: drop_if_old()
  // lets go of it (the worker calls it every second), so that its secret
  // is wiped about a minute after it was made.
  void OldSessionIsDroppedWithoutAnotherWrap() {
    auto now = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
    WrapSessions sessions(public_key(), [&now] { return now; });
    CPPUNIT_ASSERT(!sessions.drop_if_old());  // nothing yet
    std::weak_ptr<const WrapSession> first = sessions.for_next_wrap();
    now += WrapSessions::kMaxAge - std::chrono::seconds(1);
    CPPUNIT_ASSERT(!sessions.drop_if_old());
    CPPUNIT_ASSERT(!first.expired());
    now += std::chrono::seconds(1);
    CPPUNIT_ASSERT(sessions.drop_if_old());
    CPPUNIT_ASSERT_MESSAGE("the old session is gone (and wiped)", first.expired());
    CPPUNIT_ASSERT(sessions.for_next_wrap() != nullptr);  // a new one when needed
  }

  void EverySessionsBlobsOpen() {
    auto now = std::chrono::steady_clock::time_point{};
    WrapSessions sessions(public_key(), [&now] { return now; });
    const SealPrivateKey key =
        SealPrivateKey::load(private_key_path(dir_->path(), id_), std::nullopt);
    for (int round = 0; round < 3; ++round) {
      const std::string reference = "ENQ-AAAAA-AAAA" + std::to_string(round);
      const SealedRecord record =
          seal_record(*sessions.for_next_wrap(), reference, {{"name", "Round"}});
      CPPUNIT_ASSERT(open_record(key, reference, record).at("name") == "Round");
      now += WrapSessions::kMaxAge;
    }
  }

 private:
  SealPublicKey public_key() const { return load_public_key(public_key_path(dir_->path(), id_)); }
  std::optional<test::TempDir> dir_;
  std::string id_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(WrapSessionsTest);

}  // namespace sealform::web
