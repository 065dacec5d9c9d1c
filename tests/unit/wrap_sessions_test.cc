// Tests for the worker's sealing sessions: one agreement serves the
// enquiries sealed until the writer retires it (or it is kMaxAge old), a
// retired session seals nothing, and seals racing a retire all open.
#include "web/wrap_sessions.h"

#include <cppunit/extensions/HelperMacros.h>

#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/keys.h"
#include "open/open.h"
#include "test_util.h"

namespace sealform::web {

class WrapSessionsTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(WrapSessionsTest);
  CPPUNIT_TEST(SessionIsSharedUntilRetired);
  CPPUNIT_TEST(RetiredSessionSealsNothing);
  CPPUNIT_TEST(SessionIsReplacedWhenOld);
  CPPUNIT_TEST(OldSessionIsRetiredWithoutAnotherSeal);
  CPPUNIT_TEST(SealsRacingARetireAllOpen);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    dir_.emplace();
    id_ = create_seal_key_pair(dir_->path(), std::nullopt);
  }
  void tearDown() override { dir_.reset(); }

  // Enquiries sealed before a batch is stored share one agreement; the
  // writer's retire() ends it, and the next enquiry gets a new one.
  void SessionIsSharedUntilRetired() {
    WrapSessions sessions(public_key());
    const auto first = sessions.seal("ENQ-AAAAA-AAAA1", {{"name", "One"}});
    const auto second = sessions.seal("ENQ-AAAAA-AAAA2", {{"name", "Two"}});
    CPPUNIT_ASSERT(first.session == second.session);
    first.session->retire();
    CPPUNIT_ASSERT(first.session->retired());
    const auto third = sessions.seal("ENQ-AAAAA-AAAA3", {{"name", "Three"}});
    CPPUNIT_ASSERT(third.session != first.session);
    CPPUNIT_ASSERT(!third.session->retired());
    const SealPrivateKey key = private_key();
    CPPUNIT_ASSERT_EQUAL(std::string("One"),
                         open_record(key, "ENQ-AAAAA-AAAA1", first.record).at("name"));
    CPPUNIT_ASSERT_EQUAL(std::string("Two"),
                         open_record(key, "ENQ-AAAAA-AAAA2", second.record).at("name"));
    CPPUNIT_ASSERT_EQUAL(std::string("Three"),
                         open_record(key, "ENQ-AAAAA-AAAA3", third.record).at("name"));
  }

  void RetiredSessionSealsNothing() {
    SealingSession session(public_key());
    CPPUNIT_ASSERT(session.seal("ENQ-AAAAA-AAAA1", {{"name", "One"}}).has_value());
    session.retire();
    session.retire();  // idempotent
    CPPUNIT_ASSERT(!session.seal("ENQ-AAAAA-AAAA2", {{"name", "Two"}}).has_value());
  }

  void SessionIsReplacedWhenOld() {
    auto now = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
    WrapSessions sessions(public_key(), [&now] { return now; });
    const auto first = sessions.seal("ENQ-AAAAA-AAAA1", {{"name", "One"}}).session;
    now += WrapSessions::kMaxAge - std::chrono::seconds(1);
    CPPUNIT_ASSERT(sessions.seal("ENQ-AAAAA-AAAA2", {{"name", "Two"}}).session == first);
    now += std::chrono::seconds(1);
    const auto next = sessions.seal("ENQ-AAAAA-AAAA3", {{"name", "Three"}}).session;
    CPPUNIT_ASSERT_MESSAGE("still in use at kMaxAge", next != first);
    CPPUNIT_ASSERT_MESSAGE("the replaced session is wiped", first->retired());
  }

  // On a quiet site no batch retires the session: drop_if_old() does (the
  // worker calls it every second), so that its secret is wiped about a
  // minute after it was made.
  void OldSessionIsRetiredWithoutAnotherSeal() {
    auto now = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
    WrapSessions sessions(public_key(), [&now] { return now; });
    CPPUNIT_ASSERT(!sessions.drop_if_old());  // nothing yet
    const auto first = sessions.seal("ENQ-AAAAA-AAAA1", {{"name", "One"}}).session;
    now += WrapSessions::kMaxAge - std::chrono::seconds(1);
    CPPUNIT_ASSERT(!sessions.drop_if_old());
    CPPUNIT_ASSERT(!first->retired());
    now += std::chrono::seconds(1);
    CPPUNIT_ASSERT(sessions.drop_if_old());
    CPPUNIT_ASSERT_MESSAGE("the old session is wiped", first->retired());
    CPPUNIT_ASSERT(!sessions.seal("ENQ-AAAAA-AAAA2", {{"name", "Two"}}).session->retired());
  }

  // Threads seal while the test retires the current session, as the
  // writer does, round after round: every record opens (no seal used a
  // secret being wiped), and each round after a retire gets a new session.
  void SealsRacingARetireAllOpen() {
    WrapSessions sessions(public_key());
    std::mutex results_mutex;
    std::vector<std::pair<std::string, WrapSessions::Sealed>> results;
    for (int round = 0; round < 8; ++round) {
      std::vector<std::thread> sealers;
      for (int t = 0; t < 4; ++t) {
        sealers.emplace_back([&, round, t] {
          for (int i = 0; i < 10; ++i) {
            std::string reference = "ENQ-" + std::to_string(10000 + round * 10 + t) + "-" +
                                    std::to_string(10000 + i);
            WrapSessions::Sealed sealed = sessions.seal(reference, {{"name", "Racer"}});
            std::lock_guard<std::mutex> lock(results_mutex);
            results.emplace_back(std::move(reference), std::move(sealed));
          }
        });
      }
      sessions.seal("ENQ-99999-99999", {{"name", "Writer"}}).session->retire();
      for (std::thread& sealer : sealers) sealer.join();
    }
    const SealPrivateKey key = private_key();
    std::set<const SealingSession*> distinct;
    for (const auto& [reference, sealed] : results) {
      CPPUNIT_ASSERT_EQUAL(std::string("Racer"),
                           open_record(key, reference, sealed.record).at("name"));
      distinct.insert(sealed.session.get());
    }
    CPPUNIT_ASSERT_EQUAL(std::size_t{320}, results.size());
    CPPUNIT_ASSERT_MESSAGE("the retires replaced the session", distinct.size() >= 2);
  }

 private:
  SealPublicKey public_key() const { return load_public_key(public_key_path(dir_->path(), id_)); }
  SealPrivateKey private_key() const {
    return SealPrivateKey::load(private_key_path(dir_->path(), id_), std::nullopt);
  }
  std::optional<test::TempDir> dir_;
  std::string id_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(WrapSessionsTest);

}  // namespace sealform::web
