// Tests for the worker's sealing sessions: one agreement serves the
// enquiries sealed for up to kMaxAge, the writer steps its chain key past
// each batch's epoch, a spent or retired session is replaced, and seals
// racing a step all open.
#include "web/wrap_sessions.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cstdint>
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
  CPPUNIT_TEST(MovingPastAnEpochKeepsTheAgreement);
  CPPUNIT_TEST(SpentSessionIsReplaced);
  CPPUNIT_TEST(RetiredSessionSealsNothing);
  CPPUNIT_TEST(SessionServesATenthOfASecondAtMost);
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

  // What the writer does before storing a batch: the chain key steps past
  // the batch's epoch (the agreement stays), and later seals use the next.
  void MovingPastAnEpochKeepsTheAgreement() {
    WrapSessions sessions(public_key());
    const auto first = sessions.seal("ENQ-AAAAA-AAAA1", {{"name", "One"}});
    const auto second = sessions.seal("ENQ-AAAAA-AAAA2", {{"name", "Two"}});
    CPPUNIT_ASSERT(first.session == second.session);
    CPPUNIT_ASSERT_EQUAL(std::uint32_t{0}, first.epoch);
    CPPUNIT_ASSERT_EQUAL(std::uint32_t{0}, second.epoch);
    CPPUNIT_ASSERT(!first.session->past(0));
    first.session->move_past(first.epoch);
    second.session->move_past(second.epoch);  // already past: no second step
    CPPUNIT_ASSERT(first.session->past(0));
    CPPUNIT_ASSERT(!first.session->past(1));
    const auto third = sessions.seal("ENQ-AAAAA-AAAA3", {{"name", "Three"}});
    CPPUNIT_ASSERT(third.session == first.session);
    CPPUNIT_ASSERT_EQUAL(std::uint32_t{1}, third.epoch);
    const SealPrivateKey key = private_key();
    CPPUNIT_ASSERT_EQUAL(std::string("One"),
                         open_record(key, "ENQ-AAAAA-AAAA1", first.record).at("name"));
    CPPUNIT_ASSERT_EQUAL(std::string("Two"),
                         open_record(key, "ENQ-AAAAA-AAAA2", second.record).at("name"));
    CPPUNIT_ASSERT_EQUAL(std::string("Three"),
                         open_record(key, "ENQ-AAAAA-AAAA3", third.record).at("name"));
  }

  // After kMaxWrapEpochs steps the session is wiped and replaced.
  void SpentSessionIsReplaced() {
    WrapSessions sessions(public_key());
    const auto first = sessions.seal("ENQ-AAAAA-AAAA1", {{"name", "One"}});
    for (std::uint32_t epoch = 0; epoch + 1 < kMaxWrapEpochs; ++epoch) {
      first.session->move_past(epoch);
    }
    CPPUNIT_ASSERT(!first.session->retired());
    first.session->move_past(kMaxWrapEpochs - 1);
    CPPUNIT_ASSERT(first.session->retired());
    const auto next = sessions.seal("ENQ-AAAAA-AAAA2", {{"name", "Two"}});
    CPPUNIT_ASSERT(next.session != first.session);
    CPPUNIT_ASSERT_EQUAL(std::uint32_t{0}, next.epoch);
  }

  void RetiredSessionSealsNothing() {
    SealingSession session(public_key());
    CPPUNIT_ASSERT(session.seal("ENQ-AAAAA-AAAA1", {{"name", "One"}}).has_value());
    session.retire();
    session.retire();  // idempotent
    CPPUNIT_ASSERT(!session.seal("ENQ-AAAAA-AAAA2", {{"name", "Two"}}).has_value());
  }

  // A copy of a worker's memory opens what its session seals afterwards:
  // sealform-fcgi(8) and the README promise that this lasts a tenth of a
  // second at most.
  void SessionServesATenthOfASecondAtMost() {
    CPPUNIT_ASSERT(WrapSessions::kMaxAge <= std::chrono::milliseconds(100));
  }

  void SessionIsReplacedWhenOld() {
    auto now = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
    WrapSessions sessions(public_key(), [&now] { return now; });
    const auto first = sessions.seal("ENQ-AAAAA-AAAA1", {{"name", "One"}}).session;
    now += WrapSessions::kMaxAge - std::chrono::milliseconds(1);
    CPPUNIT_ASSERT(sessions.seal("ENQ-AAAAA-AAAA2", {{"name", "Two"}}).session == first);
    now += std::chrono::milliseconds(1);
    const auto next = sessions.seal("ENQ-AAAAA-AAAA3", {{"name", "Three"}}).session;
    CPPUNIT_ASSERT_MESSAGE("still in use at kMaxAge", next != first);
    CPPUNIT_ASSERT_MESSAGE("the replaced session is wiped", first->retired());
  }

  // On a quiet site no batch retires the session: drop_if_old() does (the
  // worker calls it every second), so that its secret is wiped within about
  // a second of being made.
  void OldSessionIsRetiredWithoutAnotherSeal() {
    auto now = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
    WrapSessions sessions(public_key(), [&now] { return now; });
    CPPUNIT_ASSERT(!sessions.drop_if_old());  // nothing yet
    const auto first = sessions.seal("ENQ-AAAAA-AAAA1", {{"name", "One"}}).session;
    now += WrapSessions::kMaxAge - std::chrono::milliseconds(1);
    CPPUNIT_ASSERT(!sessions.drop_if_old());
    CPPUNIT_ASSERT(!first->retired());
    now += std::chrono::milliseconds(1);
    CPPUNIT_ASSERT(sessions.drop_if_old());
    CPPUNIT_ASSERT_MESSAGE("the old session is wiped", first->retired());
    CPPUNIT_ASSERT(!sessions.seal("ENQ-AAAAA-AAAA2", {{"name", "Two"}}).session->retired());
  }

  // Threads seal while the test steps the current session past its epoch,
  // as the writer does, round after round: every record opens (no seal
  // used a chain key being replaced).
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
      const auto writer = sessions.seal("ENQ-99999-99999", {{"name", "Writer"}});
      writer.session->move_past(writer.epoch);
      for (std::thread& sealer : sealers) sealer.join();
    }
    const SealPrivateKey key = private_key();
    std::set<std::pair<const SealingSession*, std::uint32_t>> distinct;
    for (const auto& [reference, sealed] : results) {
      CPPUNIT_ASSERT_EQUAL(std::string("Racer"),
                           open_record(key, reference, sealed.record).at("name"));
      distinct.emplace(sealed.session.get(), sealed.epoch);
    }
    CPPUNIT_ASSERT_EQUAL(std::size_t{320}, results.size());
    CPPUNIT_ASSERT_MESSAGE("the steps changed the chain key", distinct.size() >= 2);
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
