// Tests for audit.h: appending and listing, joining the caller's
// transaction, and tamper evidence: a row altered, removed (in the middle
// or at the end), inserted, the anchor altered or removed, a wrong key;
// expiry keeps the rest of the chain verifiable and refuses a broken one.
// Tampering is done with raw SQL, as someone with the sqlite3 shell would.
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "core/audit.h"
#include "core/schema.h"
#include "core/sqlite_handle.h"
#include "test_util.h"

namespace sealform {
namespace {

SecretBytes key_of(unsigned char fill) {
  SecretBytes key(32);
  for (std::size_t i = 0; i < key.size(); ++i) key.data()[i] = static_cast<unsigned char>(fill + i);
  return key;
}

}  // namespace

class AuditTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(AuditTest);
  CPPUNIT_TEST(AppendsAndLists);
  CPPUNIT_TEST(EmptyTrailVerifies);
  CPPUNIT_TEST(UntouchedTrailVerifies);
  CPPUNIT_TEST(DetectsAlteredRow);
  CPPUNIT_TEST(DetectsRemovedRow);
  CPPUNIT_TEST(DetectsRemovedNewestRow);
  CPPUNIT_TEST(DetectsInsertedRow);
  CPPUNIT_TEST(DetectsAlteredAnchor);
  CPPUNIT_TEST(DetectsRemovedAnchorEvenAfterAppend);
  CPPUNIT_TEST(WrongKeyDoesNotVerify);
  CPPUNIT_TEST(AppendJoinsCallerTransaction);
  CPPUNIT_TEST(ExpireKeepsChainVerifiable);
  CPPUNIT_TEST(ExpireEverythingThenAppend);
  CPPUNIT_TEST(ExpireRefusesBrokenTrail);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    dir_ = std::make_unique<test::TempDir>();
    db_ = std::make_unique<sqlite::Connection>(dir_->file("audit.db"));
    db_->exec("PRAGMA journal_mode = WAL", "wal");
    schema::migrate(*db_);
    trail_ = std::make_unique<AuditTrail>(*db_, key_of(1));
  }
  void tearDown() override {
    trail_.reset();
    db_.reset();
    dir_.reset();
  }

  void append_four() {
    trail_->append(100, "alice", "resolve", "ENQ-AAAAA-AAAAA", "");
    trail_->append(200, "alice", "correct", "ENQ-AAAAA-AAAAA", "field=name");
    trail_->append(300, "bob", "erase", "ENQ-BBBBB-BBBBB", "request=email");
    trail_->append(400, "sealform-purge", "purge", "", "records=0");
  }

  void expect_bad(std::int64_t id, const std::string& problem) {
    const AuditVerdict verdict = trail_->verify();
    CPPUNIT_ASSERT(!verdict.ok);
    CPPUNIT_ASSERT_EQUAL(id, verdict.first_bad_id);
    CPPUNIT_ASSERT_EQUAL(problem, verdict.problem);
  }

  void AppendsAndLists() {
    append_four();
    const std::vector<AuditEntry> all = trail_->list(std::nullopt);
    CPPUNIT_ASSERT_EQUAL(std::size_t{4}, all.size());
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, all[0].id);
    CPPUNIT_ASSERT_EQUAL(std::string("correct"), all[1].action);
    CPPUNIT_ASSERT_EQUAL(std::string("field=name"), all[1].detail);
    CPPUNIT_ASSERT_EQUAL(std::string("ENQ-BBBBB-BBBBB"), all[2].reference);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{4}, all[3].id);
    CPPUNIT_ASSERT_EQUAL(std::size_t{2}, trail_->list(300).size());
  }

  void EmptyTrailVerifies() { CPPUNIT_ASSERT(trail_->verify().ok); }

  void UntouchedTrailVerifies() {
    append_four();
    CPPUNIT_ASSERT(trail_->verify().ok);
  }

  void DetectsAlteredRow() {
    append_four();
    db_->exec("UPDATE audit SET detail = 'field=email' WHERE id = 2", "tamper");
    expect_bad(2, "altered");
  }

  void DetectsRemovedRow() {
    append_four();
    db_->exec("DELETE FROM audit WHERE id = 2", "tamper");
    expect_bad(2, "removed");
  }

  void DetectsRemovedNewestRow() {
    append_four();
    db_->exec("DELETE FROM audit WHERE id >= 3", "tamper");
    expect_bad(3, "removed");
  }

  void DetectsInsertedRow() {
    append_four();
    db_->exec("INSERT INTO audit (id, at, actor, action, reference, detail, prev_mac, mac) "
              "SELECT 5, 450, 'mallory', 'resolve', '', '', mac, randomblob(32) "
              "FROM audit WHERE id = 4",
              "tamper");
    expect_bad(5, "inserted");
  }

  void DetectsAlteredAnchor() {
    append_four();
    db_->exec("UPDATE audit_anchor SET head_id = 2", "tamper");
    expect_bad(1, "anchor altered");
  }

  void DetectsRemovedAnchorEvenAfterAppend() {
    append_four();
    db_->exec("DELETE FROM audit WHERE id = 4; DELETE FROM audit_anchor", "tamper");
    trail_->append(500, "alice", "resolve", "", "");  // must not re-anchor a cut trail
    expect_bad(1, "anchor removed");
  }

  void WrongKeyDoesNotVerify() {
    append_four();
    AuditTrail other(*db_, key_of(9));
    CPPUNIT_ASSERT(!other.verify().ok);
  }

  void AppendJoinsCallerTransaction() {
    {
      sqlite::Transaction transaction(*db_);
      trail_->append(100, "alice", "resolve", "", "");
      // no commit: the destructor rolls back, audit row included
    }
    CPPUNIT_ASSERT(trail_->list(std::nullopt).empty());
    CPPUNIT_ASSERT(trail_->verify().ok);
  }

  void ExpireKeepsChainVerifiable() {
    append_four();
    CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, trail_->expire(250));
    CPPUNIT_ASSERT(trail_->verify().ok);
    trail_->append(500, "alice", "reopen", "", "");
    CPPUNIT_ASSERT(trail_->verify().ok);
    const std::vector<AuditEntry> kept = trail_->list(std::nullopt);
    CPPUNIT_ASSERT_EQUAL(std::size_t{3}, kept.size());
    CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, kept.front().id);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{5}, kept.back().id);
    // Removing the oldest kept row is still caught after the expiry.
    db_->exec("DELETE FROM audit WHERE id = 3", "tamper");
    expect_bad(3, "removed");
  }

  void ExpireEverythingThenAppend() {
    append_four();
    CPPUNIT_ASSERT_EQUAL(std::int64_t{4}, trail_->expire(1000));
    CPPUNIT_ASSERT(trail_->verify().ok);
    trail_->append(1100, "alice", "resolve", "", "");
    CPPUNIT_ASSERT(trail_->verify().ok);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{5}, trail_->list(std::nullopt).front().id);
  }

  void ExpireRefusesBrokenTrail() {
    append_four();
    db_->exec("UPDATE audit SET actor = 'nobody' WHERE id = 1", "tamper");
    CPPUNIT_ASSERT_THROW(trail_->expire(250), Error);
    CPPUNIT_ASSERT_EQUAL(std::size_t{4}, trail_->list(std::nullopt).size());
  }

 private:
  std::unique_ptr<test::TempDir> dir_;
  std::unique_ptr<sqlite::Connection> db_;
  std::unique_ptr<AuditTrail> trail_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(AuditTest);

}  // namespace sealform
