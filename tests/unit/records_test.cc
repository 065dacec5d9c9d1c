// Tests for records.h on SQLite: filters, lookups, resolution, replacing
// one field, erasure that leaves none of the record's bytes in the
// database or WAL file, withdrawing the retention opt-in, key usage and
// compare-and-set re-wrapping in resumable batches; every change writes
// its audit row, and a change that finds nothing writes none. Blobs are
// random bytes (the store never sees plaintext).
#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

#include "core/fields.h"
#include "core/records.h"
#include "core/seal.h"
#include "core/store.h"
#include "test_util.h"

namespace sealform {
namespace {

constexpr int kBusyMs = 5000;
constexpr std::size_t kMessageBytes = 12000;  // spills into overflow pages

SecretBytes audit_key() {
  SecretBytes key(32);
  for (std::size_t i = 0; i < key.size(); ++i) key.data()[i] = static_cast<unsigned char>(i);
  return key;
}

EnquiryRecord make_record(const std::string& reference, std::int64_t created,
                          const std::string& category, const std::string& email_index) {
  EnquiryRecord record;
  record.reference = reference;
  record.created_at = created;
  record.category = category;
  record.locale = "en-us";
  record.age_confirmed = true;
  record.policy_version = "2026-11";
  record.email_index = email_index;
  record.sealed.key_id = "aaaaaaaaaaaa";
  record.sealed.wrapped_key = "\x01" + random_bytes(92);
  for (std::string_view field : kPersonalFields) {
    record.sealed.fields[std::string(field)] =
        "\x01" + random_bytes(field == "message" ? kMessageBytes : 64);
  }
  return record;
}

}  // namespace

class RecordsTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(RecordsTest);
  CPPUNIT_TEST(ListsWithFilters);
  CPPUNIT_TEST(FindsByEmailIndex);
  CPPUNIT_TEST(ResolvesAndReopensWithAuditRows);
  CPPUNIT_TEST(MissingRecordWritesNoAuditRow);
  CPPUNIT_TEST(ReplacesOnlyOneField);
  CPPUNIT_TEST(ReplacingEmailMovesBlindIndex);
  CPPUNIT_TEST(EraseLeavesNoBytesInDatabaseOrWal);
  CPPUNIT_TEST(EraseKeepsALiveTokensKey);
  CPPUNIT_TEST(WithdrawsRetainOptIn);
  CPPUNIT_TEST(CountsKeyUsage);
  CPPUNIT_TEST(RewrapIsCompareAndSetInBatches);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    dir_ = std::make_unique<test::TempDir>();
    path_ = dir_->file("enquiries.db");
    intake_ = open_sqlite_store(path_, Synchronous::kFull, kBusyMs);
    records_ = open_sqlite_records(path_, kBusyMs, audit_key());
    a_ = make_record("ENQ-AAAAA-AAAAA", 1000, "general", std::string(32, 'a'));
    b_ = make_record("ENQ-BBBBB-BBBBB", 2000, "media", std::string(32, 'b'));
    c_ = make_record("ENQ-CCCCC-CCCCC", 3000, "general", std::string(32, 'a'));
    for (const EnquiryRecord* record : {&a_, &b_, &c_}) intake_->insert(*record, "", 0);
  }
  void tearDown() override {
    records_.reset();
    intake_.reset();
    dir_.reset();
  }

  AuditNote note(const std::string& action) { return AuditNote{5000, "tester", action, ""}; }
  std::size_t audit_rows() { return records_->audit_trail().list(std::nullopt).size(); }

  void ListsWithFilters() {
    CPPUNIT_ASSERT_EQUAL(std::size_t{3}, records_->list(ListFilter{}).size());
    CPPUNIT_ASSERT(records_->set_resolved(b_.reference, 2500, note("resolve")));
    ListFilter open;
    open.status = StatusFilter::kOpen;
    CPPUNIT_ASSERT_EQUAL(std::size_t{2}, records_->list(open).size());
    ListFilter resolved;
    resolved.status = StatusFilter::kResolved;
    CPPUNIT_ASSERT_EQUAL(b_.reference, records_->list(resolved).at(0).reference);
    ListFilter general;
    general.category = "general";
    general.since = 1500;
    const std::vector<EnquiryRecord> found = records_->list(general);
    CPPUNIT_ASSERT_EQUAL(std::size_t{1}, found.size());
    CPPUNIT_ASSERT_EQUAL(c_.reference, found[0].reference);
    CPPUNIT_ASSERT(found[0].sealed.fields == c_.sealed.fields);
  }

  void FindsByEmailIndex() {
    const std::vector<std::string> found = records_->find_by_email_index(std::string(32, 'a'));
    CPPUNIT_ASSERT_EQUAL(std::size_t{2}, found.size());
    CPPUNIT_ASSERT_EQUAL(a_.reference, found[0]);
    CPPUNIT_ASSERT_EQUAL(c_.reference, found[1]);
  }

  void ResolvesAndReopensWithAuditRows() {
    CPPUNIT_ASSERT(records_->set_resolved(a_.reference, 1234, note("resolve")));
    CPPUNIT_ASSERT(records_->find(a_.reference)->resolved_at == std::optional<std::int64_t>(1234));
    CPPUNIT_ASSERT(records_->set_resolved(a_.reference, std::nullopt, note("reopen")));
    CPPUNIT_ASSERT(!records_->find(a_.reference)->resolved());
    const std::vector<AuditEntry> rows = records_->audit_trail().list(std::nullopt);
    CPPUNIT_ASSERT_EQUAL(std::size_t{2}, rows.size());
    CPPUNIT_ASSERT_EQUAL(std::string("reopen"), rows[1].action);
    CPPUNIT_ASSERT_EQUAL(a_.reference, rows[1].reference);
    CPPUNIT_ASSERT(records_->audit_trail().verify().ok);
  }

  void MissingRecordWritesNoAuditRow() {
    CPPUNIT_ASSERT(!records_->set_resolved("ENQ-ZZZZZ-ZZZZZ", 1, note("resolve")));
    CPPUNIT_ASSERT(!records_->erase("ENQ-ZZZZZ-ZZZZZ", note("erase")).erased);
    CPPUNIT_ASSERT(!records_->replace_field("ENQ-ZZZZZ-ZZZZZ", "name", "x", "", note("correct")));
    CPPUNIT_ASSERT_EQUAL(std::size_t{0}, audit_rows());
  }

  void ReplacesOnlyOneField() {
    const std::string blob = "\x01" + random_bytes(40);
    CPPUNIT_ASSERT(records_->replace_field(a_.reference, "company", blob, "", note("correct")));
    const EnquiryRecord after = *records_->find(a_.reference);
    for (const auto& [name, old_blob] : a_.sealed.fields) {
      CPPUNIT_ASSERT_MESSAGE(name, after.sealed.fields.at(name) == (name == "company" ? blob : old_blob));
    }
    CPPUNIT_ASSERT(after.email_index == a_.email_index);
    CPPUNIT_ASSERT(after.sealed.wrapped_key == a_.sealed.wrapped_key);
    CPPUNIT_ASSERT_THROW(records_->replace_field(a_.reference, "category", blob, "", note("x")),
                         Error);
    CPPUNIT_ASSERT_EQUAL(std::size_t{1}, audit_rows());
  }

  void ReplacingEmailMovesBlindIndex() {
    const std::string index(32, 'z');
    CPPUNIT_ASSERT(records_->replace_field(a_.reference, "email", "\x01" + random_bytes(40),
                                           index, note("correct")));
    CPPUNIT_ASSERT_EQUAL(std::size_t{1}, records_->find_by_email_index(index).size());
    CPPUNIT_ASSERT_EQUAL(std::size_t{1},
                         records_->find_by_email_index(std::string(32, 'a')).size());
  }

  void EraseLeavesNoBytesInDatabaseOrWal() {
    // An idempotency row naming the record goes too once its token has
    // expired (the erase is at 5000).
    EnquiryRecord d = make_record("ENQ-DDDDD-DDDDD", 4000, "general", std::string(32, 'd'));
    intake_->insert(d, std::string(32, 'k'), 4500);
    const EraseOutcome outcome = records_->erase(d.reference, note("erase"));
    CPPUNIT_ASSERT(outcome.erased);
    CPPUNIT_ASSERT(outcome.wal_truncated);
    CPPUNIT_ASSERT(!records_->find(d.reference));
    CPPUNIT_ASSERT(!intake_->find_idempotent(std::string(32, 'k')));
    const std::string files = test::read_file(path_) + test::read_file(path_ + "-wal");
    for (const auto& [name, blob] : d.sealed.fields) {
      // A 24-byte slice is specific enough and survives page boundaries.
      CPPUNIT_ASSERT_MESSAGE("ciphertext of " + name + " left on disk",
                             !test::contains_bytes(files, blob.substr(8, 24)));
      if (name == "message") {
        CPPUNIT_ASSERT_MESSAGE("message tail left on disk",
                               !test::contains_bytes(files, blob.substr(blob.size() - 24)));
      }
    }
    CPPUNIT_ASSERT(!test::contains_bytes(files, d.sealed.wrapped_key.substr(8, 24)));
    // The scan itself works: the records kept are found.
    CPPUNIT_ASSERT(test::contains_bytes(files, b_.sealed.fields.at("name").substr(8, 24)));
    CPPUNIT_ASSERT_EQUAL(std::string("erase"),
                         records_->audit_trail().list(std::nullopt).back().action);
  }

  // While the form token that stored a record could still be posted, its
  // key outlives the erase: the same form posted again is a replay and
  // stores nothing (a browser's retry must not bring an erasure back).
  void EraseKeepsALiveTokensKey() {
    // The key in the record's own row (the intake's way): kept until the
    // token's lifetime after the record's creation has passed.
    PendingInsert in_row;
    in_row.record = make_record("ENQ-EEEEE-EEEEE", 4000, "general", std::string(32, 'e'));
    in_row.idempotency_key = std::string(24, 'r');
    in_row.idempotency_expires_at = 99999;
    in_row.reference_from_key = true;
    CPPUNIT_ASSERT(intake_->insert_batch({in_row}).at(0).ok);
    CPPUNIT_ASSERT(records_->erase(in_row.record.reference, note("erase")).erased);
    CPPUNIT_ASSERT(!records_->find(in_row.record.reference));
    CPPUNIT_ASSERT_EQUAL(in_row.record.reference,
                         intake_->find_idempotent(in_row.idempotency_key).value_or(""));
    // A live row in the idempotency table (a record back from the hold
    // store): kept as it is.
    EnquiryRecord f = make_record("ENQ-FFFFF-FFFFF", 4000, "general", std::string(32, 'f'));
    intake_->insert(f, std::string(32, 't'), 99999);
    CPPUNIT_ASSERT(records_->erase(f.reference, note("erase")).erased);
    CPPUNIT_ASSERT_EQUAL(f.reference, intake_->find_idempotent(std::string(32, 't')).value_or(""));
    // A record whose token has long expired leaves no key behind.
    PendingInsert old;
    old.record = make_record("ENQ-GGGGG-GGGGG", -10000, "general", std::string(32, 'g'));
    old.idempotency_key = std::string(24, 'o');
    old.idempotency_expires_at = 1;
    old.reference_from_key = true;
    CPPUNIT_ASSERT(intake_->insert_batch({old}).at(0).ok);
    CPPUNIT_ASSERT(records_->erase(old.record.reference, note("erase")).erased);
    CPPUNIT_ASSERT(!intake_->find_idempotent(old.idempotency_key));
  }

  void WithdrawsRetainOptIn() {
    EnquiryRecord d = make_record("ENQ-DDDDD-DDDDD", 4000, "general", std::string(32, 'a'));
    d.retain = true;
    intake_->insert(d, "", 0);
    const std::vector<std::string> changed =
        records_->withdraw_retain(std::string(32, 'a'), note("withdraw"));
    CPPUNIT_ASSERT_EQUAL(std::size_t{1}, changed.size());
    CPPUNIT_ASSERT_EQUAL(d.reference, changed[0]);
    const EnquiryRecord after = *records_->find(d.reference);
    CPPUNIT_ASSERT(!after.retain);
    CPPUNIT_ASSERT(after.retain_changed_at == std::optional<std::int64_t>(5000));
    CPPUNIT_ASSERT(records_->withdraw_retain(std::string(32, 'a'), note("withdraw")).empty());
    CPPUNIT_ASSERT_EQUAL(std::size_t{1}, audit_rows());
  }

  void CountsKeyUsage() {
    EnquiryRecord d = make_record("ENQ-DDDDD-DDDDD", 4000, "general", std::string(32, 'd'));
    d.sealed.key_id = "bbbbbbbbbbbb";
    intake_->insert(d, "", 0);
    const std::map<std::string, std::int64_t> usage = records_->key_usage();
    CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, usage.at("aaaaaaaaaaaa"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, usage.at("bbbbbbbbbbbb"));
  }

  void RewrapIsCompareAndSetInBatches() {
    std::int64_t cursor = 0;
    std::vector<EnquiryRecord> first = records_->wrapped_for_other_keys("cccccccccccc", &cursor, 2);
    CPPUNIT_ASSERT_EQUAL(std::size_t{2}, first.size());
    std::vector<RecordStore::Rewrap> batch;
    for (const EnquiryRecord& record : first) {
      batch.push_back({record.reference, record.sealed.wrapped_key, "cccccccccccc",
                       "\x01" + random_bytes(92)});
    }
    // A wrapped key that changed meanwhile is left alone.
    batch[1].old_wrapped_key = "stale";
    CPPUNIT_ASSERT_EQUAL(std::size_t{1}, records_->rewrap(batch, note("rekey")));
    CPPUNIT_ASSERT(records_->find(batch[0].reference)->sealed.wrapped_key ==
                   batch[0].new_wrapped_key);
    std::vector<EnquiryRecord> rest = records_->wrapped_for_other_keys("cccccccccccc", &cursor, 2);
    CPPUNIT_ASSERT_EQUAL(std::size_t{1}, rest.size());
    CPPUNIT_ASSERT_EQUAL(c_.reference, rest[0].reference);
    CPPUNIT_ASSERT(records_->wrapped_for_other_keys("cccccccccccc", &cursor, 2).empty());
    // Starting over finds what is left (resumable).
    cursor = 0;
    CPPUNIT_ASSERT_EQUAL(std::size_t{2},
                         records_->wrapped_for_other_keys("cccccccccccc", &cursor, 10).size());
    const std::vector<AuditEntry> rows = records_->audit_trail().list(std::nullopt);
    CPPUNIT_ASSERT_EQUAL(std::string("records=1"), rows.back().detail);
  }

 private:
  std::unique_ptr<test::TempDir> dir_;
  std::string path_;
  std::unique_ptr<EnquiryStore> intake_;
  std::unique_ptr<RecordStore> records_;
  EnquiryRecord a_, b_, c_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(RecordsTest);

}  // namespace sealform
