// Tests for sealform-admin's command logic (admin/actions.h) on a real
// database with real keys and a fake hold store: the export shape for a
// person with two enquiries (and a held one), correct (re-validation, only
// that field changes, email moves the blind index), erase (every record
// of the person, none of their bytes left in the files, held records kept
// and explained, confirmation), a tampered ciphertext reported without
// stopping a listing, rotate + rekey, and audit rows free of personal
// data. Assertions never print a personal value.
#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "admin/actions.h"
#include "core/keys.h"
#include "core/reference.h"
#include "core/seal.h"
#include "core/store.h"
#include "test_util.h"

namespace sealform {

// The suite lives in namespace sealform so that the runner finds
// "AdminTest"; it tests the names of sealform::admin.
using namespace sealform::admin;  // NOLINT(build/namespaces)

namespace {

constexpr int kBusyMs = 5000;
constexpr std::int64_t kNow = 1800000000;

// Records "under hold" kept in memory; release() puts one back into the
// enquiry database, as the real hold store does.
class FakeHoldStore : public HoldStore {
 public:
  explicit FakeHoldStore(EnquiryStore* main) : main_(main) {}
  // What release() says of the hold database's WAL (false: a reader kept
  // the checkpoint from truncating it).
  bool wal_truncates = true;
  // References whose release fails (as when the enquiry store holds another
  // record under the same reference).
  std::set<std::string> refuse_release;
  void hold(const EnquiryRecord& record, const std::string& reason) {
    records_[record.reference] = record;
    holds_.push_back(LegalHold{static_cast<std::int64_t>(holds_.size() + 1), record.reference,
                               reason, kNow - 100, "counsel"});
  }
  std::optional<EnquiryRecord> find(const std::string& reference) override {
    auto it = records_.find(reference);
    if (it == records_.end()) return std::nullopt;
    return it->second;
  }
  std::vector<std::string> find_by_email_index(const std::string& index) override {
    std::vector<std::string> found;
    for (const auto& [reference, record] : records_) {
      if (record.email_index == index) found.push_back(reference);
    }
    return found;
  }
  std::vector<LegalHold> holds_for(const std::string& reference) override {
    std::vector<LegalHold> found;
    for (const LegalHold& hold : holds_) {
      if (hold.reference == reference) found.push_back(hold);
    }
    return found;
  }
  std::vector<LegalHold> all_holds() override { return holds_; }
  LegalHold place_hold(const std::string&, const std::string&, const std::string&,
                       std::int64_t) override {
    throw Error("not used");
  }
  ReleaseOutcome release(const std::string& reference, const std::optional<std::int64_t>&,
                         const std::string&, std::int64_t) override {
    ReleaseOutcome outcome;
    if (refuse_release.count(reference) != 0) {
      throw Error("enquiry " + reference + " is also in the enquiry store; not released");
    }
    auto it = records_.find(reference);
    if (it == records_.end()) throw HoldNotFound(reference);
    main_->insert(it->second, "", 0);
    records_.erase(it);
    outcome.released = 1;
    outcome.moved_back = true;
    outcome.hold_wal_truncated = wal_truncates;
    return outcome;
  }
  std::vector<std::string> withdraw_retain(const std::string& index, const std::string&,
                                           std::int64_t at) override {
    std::vector<std::string> changed;
    for (auto& [reference, record] : records_) {
      if (record.email_index != index || !record.retain) continue;
      record.retain = false;
      record.retain_changed_at = at;
      changed.push_back(reference);
    }
    return changed;
  }
  int reconcile() override { return 0; }

 private:
  EnquiryStore* main_;
  std::map<std::string, EnquiryRecord> records_;
  std::vector<LegalHold> holds_;
};

struct Person {
  std::string name, company, job_title, email, message;
};

}  // namespace

class AdminTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(AdminTest);
  CPPUNIT_TEST(ExportShapeForPersonWithTwoEnquiries);
  CPPUNIT_TEST(ExportIncludesHeldRecord);
  CPPUNIT_TEST(ExportUnknownAddressIsNotFound);
  CPPUNIT_TEST(CorrectRefusesInvalidEmail);
  CPPUNIT_TEST(CorrectChangesOnlyThatField);
  CPPUNIT_TEST(CorrectEmailMovesBlindIndex);
  CPPUNIT_TEST(EraseRemovesEveryRecordAndItsBytes);
  CPPUNIT_TEST(EraseKeepsHeldRecordAndSaysWhy);
  CPPUNIT_TEST(EraseIncludeHeldNeedsReason);
  CPPUNIT_TEST(EraseSaysWhenTheHoldWalKeepsOldPages);
  CPPUNIT_TEST(EraseGoesOnPastARefusedRelease);
  CPPUNIT_TEST(EraseWithoutConfirmationErasesNothing);
  CPPUNIT_TEST(TamperedCiphertextDoesNotStopListing);
  CPPUNIT_TEST(RotateAndRekeyLeaveEveryRecordReadable);
  CPPUNIT_TEST(ResolveReopenAndWithdraw);
  CPPUNIT_TEST(AuditRowsCarryNoPersonalData);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    dir_ = std::make_unique<test::TempDir>();
    keys_ = dir_->file("keys");
    CPPUNIT_ASSERT(mkdir(keys_.c_str(), 0700) == 0);
    create_web_secret(keys_);
    create_seal_key_pair(keys_, std::nullopt);
    const SecretBytes secret = load_web_secret(web_secret_path(keys_));

    session_.config.organisation = "Example Test Ltd";
    session_.config.contact_email = "privacy@example.com";
    session_.config.data_location = "Frankfurt";
    session_.config.database = dir_->file("enquiries.db");
    session_.config.key_directory = keys_;
    session_.config.categories = {"general", "media", "investor"};
    intake_ = open_sqlite_store(session_.config.database, Synchronous::kFull, kBusyMs);
    session_.records = open_sqlite_records(session_.config.database, kBusyMs,
                                           derive_subkey(secret, Subkey::kAudit));
    auto holds = std::make_unique<FakeHoldStore>(intake_.get());
    holds_ = holds.get();
    session_.holds = std::move(holds);
    session_.index_key = derive_subkey(secret, Subkey::kBlindIndex);
    session_.keyring = std::make_unique<Keyring>(keys_, std::nullopt);
    session_.actor = "tester";
    session_.now = [] { return kNow; };
    session_.out = &out_;
    session_.err = &err_;
    session_.in = &in_;

    ada_ = {"Ada Lovelace", "Analytical Engines", "Countess", "ada@example.com", "First\nnote"};
    bob_ = {"Bob Byron", "", "", "bob@example.com", "Other"};
    ada1_ = insert(ada_, kNow - 3000, false);
    ada2_ = insert(ada_, kNow - 2000, true);
    bob1_ = insert(bob_, kNow - 1000, false);
  }
  void tearDown() override {
    session_.records.reset();
    session_.holds.reset();
    intake_.reset();
    dir_.reset();
  }

  EnquiryRecord seal(const Person& person, std::int64_t created, bool retain) {
    EnquiryRecord record;
    record.reference = new_reference();
    record.created_at = created;
    record.category = "general";
    record.locale = "en-us";
    record.age_confirmed = true;
    record.retain = retain;
    record.policy_version = "2026-11";
    record.email_index = blind_index(session_.index_key, person.email);
    record.sealed = seal_record(load_current_public_key(keys_), record.reference,
                                {{"name", person.name},
                                 {"company", person.company},
                                 {"job_title", person.job_title},
                                 {"email", person.email},
                                 {"message", person.message}});
    return record;
  }
  std::string insert(const Person& person, std::int64_t created, bool retain) {
    EnquiryRecord record = seal(person, created, retain);
    intake_->insert(record, "", 0);
    return record.reference;
  }
  std::map<std::string, std::string> opened(const std::string& reference) {
    std::optional<Located> located = locate(session_, reference);
    CPPUNIT_ASSERT(located);
    OpenedRecord record = open_fields(*session_.keyring, located->record);
    CPPUNIT_ASSERT(record.errors.empty());
    return record.fields;
  }

  void ExportShapeForPersonWithTwoEnquiries() {
    CPPUNIT_ASSERT_EQUAL(int{kOk}, run_export(session_, " ADA@example.com", ExportFormat::kJson));
    const nlohmann::ordered_json doc = nlohmann::ordered_json::parse(out_.str());
    std::vector<std::string> top;
    for (const auto& item : doc.items()) top.push_back(item.key());
    CPPUNIT_ASSERT((top == std::vector<std::string>{"format", "generated_at", "controller",
                                                    "retention_days", "enquiries"}));
    CPPUNIT_ASSERT_EQUAL(std::string("sealform-export/1"), doc["format"].get<std::string>());
    CPPUNIT_ASSERT_EQUAL(std::size_t{2}, doc["enquiries"].size());
    CPPUNIT_ASSERT_EQUAL(ada1_, doc["enquiries"][0]["reference"].get<std::string>());
    CPPUNIT_ASSERT_EQUAL(ada2_, doc["enquiries"][1]["reference"].get<std::string>());
    const nlohmann::ordered_json& first = doc["enquiries"][0];
    std::vector<std::string> keys;
    for (const auto& item : first.items()) keys.push_back(item.key());
    CPPUNIT_ASSERT((keys == std::vector<std::string>{
                                "reference", "store", "status", "created_at", "resolved_at",
                                "category", "locale", "fields", "consent", "retention",
                                "legal_holds", "errors"}));
    CPPUNIT_ASSERT_MESSAGE("name", first["fields"]["name"] == ada_.name);
    CPPUNIT_ASSERT_MESSAGE("company", first["fields"]["company"] == ada_.company);
    CPPUNIT_ASSERT_MESSAGE("job_title", first["fields"]["job_title"] == ada_.job_title);
    CPPUNIT_ASSERT_MESSAGE("email", first["fields"]["email"] == ada_.email);
    CPPUNIT_ASSERT_MESSAGE("message", first["fields"]["message"] == ada_.message);
    CPPUNIT_ASSERT(first["store"] == "main");
    CPPUNIT_ASSERT(first["status"] == "open");
    CPPUNIT_ASSERT(first["resolved_at"].is_null());
    CPPUNIT_ASSERT(first["consent"]["age_confirmed"] == true);
    CPPUNIT_ASSERT(first["retention"]["retain_opt_in"] == false);
    CPPUNIT_ASSERT(doc["enquiries"][1]["retention"]["retain_opt_in"] == true);
    CPPUNIT_ASSERT(first["errors"].empty());
    CPPUNIT_ASSERT_MESSAGE("other person leaked", out_.str().find(bob_.name) == std::string::npos);
    // The text form says the same things.
    out_.str("");
    CPPUNIT_ASSERT_EQUAL(int{kOk}, run_export(session_, ada_.email, ExportFormat::kText));
    CPPUNIT_ASSERT(out_.str().find("Enquiry " + ada2_) != std::string::npos);
    CPPUNIT_ASSERT_MESSAGE("text has name", out_.str().find(ada_.name) != std::string::npos);
  }

  void ExportIncludesHeldRecord() {
    holds_->hold(seal(ada_, kNow - 500, false), "litigation 2026-17");
    CPPUNIT_ASSERT_EQUAL(int{kOk}, run_export(session_, ada_.email, ExportFormat::kJson));
    const nlohmann::ordered_json doc = nlohmann::ordered_json::parse(out_.str());
    CPPUNIT_ASSERT_EQUAL(std::size_t{3}, doc["enquiries"].size());
    const nlohmann::ordered_json& held = doc["enquiries"][2];
    CPPUNIT_ASSERT(held["store"] == "hold");
    CPPUNIT_ASSERT(held["status"] == "held");
    CPPUNIT_ASSERT(held["legal_holds"][0]["reason"] == "litigation 2026-17");
    CPPUNIT_ASSERT_MESSAGE("held name", held["fields"]["name"] == ada_.name);
  }

  void ExportUnknownAddressIsNotFound() {
    CPPUNIT_ASSERT_THROW(run_export(session_, "nobody@example.com", ExportFormat::kJson),
                         NotFound);
    CPPUNIT_ASSERT_THROW(run_export(session_, "not an address", ExportFormat::kJson), UsageError);
  }

  void CorrectRefusesInvalidEmail() {
    const EnquiryRecord before = *session_.records->find(ada1_);
    CPPUNIT_ASSERT_THROW(run_correct(session_, ada1_, "email", "not-an-email"), UsageError);
    CPPUNIT_ASSERT_THROW(run_correct(session_, ada1_, "name", ""), UsageError);
    CPPUNIT_ASSERT_THROW(run_correct(session_, ada1_, "name", "a\r\nb"), UsageError);
    CPPUNIT_ASSERT_THROW(run_correct(session_, ada1_, "name", std::string(101, 'x')), UsageError);
    CPPUNIT_ASSERT_THROW(run_correct(session_, ada1_, "category", "media"), UsageError);
    CPPUNIT_ASSERT(session_.records->find(ada1_)->sealed.fields == before.sealed.fields);
    CPPUNIT_ASSERT_MESSAGE("error echoes value", err_.str().find("not-an-email") == std::string::npos);
  }

  void CorrectChangesOnlyThatField() {
    const EnquiryRecord before = *session_.records->find(ada1_);
    CPPUNIT_ASSERT_EQUAL(int{kOk}, run_correct(session_, ada1_, "name", "  Augusta Ada King  "));
    const EnquiryRecord after = *session_.records->find(ada1_);
    for (const auto& [name, blob] : before.sealed.fields) {
      CPPUNIT_ASSERT_MESSAGE(name, (after.sealed.fields.at(name) == blob) == (name != "name"));
    }
    CPPUNIT_ASSERT(after.email_index == before.email_index);
    const std::map<std::string, std::string> fields = opened(ada1_);
    CPPUNIT_ASSERT_MESSAGE("trimmed new name", fields.at("name") == "Augusta Ada King");
    CPPUNIT_ASSERT_MESSAGE("message kept", fields.at("message") == ada_.message);
    const AuditEntry last = session_.records->audit_trail().list(std::nullopt).back();
    CPPUNIT_ASSERT_EQUAL(std::string("correct"), last.action);
    CPPUNIT_ASSERT_EQUAL(std::string("field=name"), last.detail);
  }

  void CorrectEmailMovesBlindIndex() {
    CPPUNIT_ASSERT_EQUAL(int{kOk}, run_correct(session_, ada1_, "email", "ada@EXAMPLE.org"));
    CPPUNIT_ASSERT_EQUAL(std::size_t{1}, locate_by_email(session_, "ada@example.org").size());
    CPPUNIT_ASSERT_EQUAL(std::size_t{1}, locate_by_email(session_, ada_.email).size());
    CPPUNIT_ASSERT_MESSAGE("stored form", opened(ada1_).at("email") == "ada@example.org");
  }

  void EraseRemovesEveryRecordAndItsBytes() {
    std::vector<std::string> blobs;
    for (const std::string& reference : {ada1_, ada2_}) {
      const EnquiryRecord record = *session_.records->find(reference);
      for (const auto& [name, blob] : record.sealed.fields) blobs.push_back(blob);
    }
    EraseRequest request;
    request.address = ada_.email;
    request.yes = true;
    CPPUNIT_ASSERT_EQUAL(int{kOk}, run_erase(session_, request));
    CPPUNIT_ASSERT(!session_.records->find(ada1_));
    CPPUNIT_ASSERT(!session_.records->find(ada2_));
    CPPUNIT_ASSERT(session_.records->find(bob1_));
    CPPUNIT_ASSERT(out_.str().find("erased 2, kept 0") != std::string::npos);
    const std::string path = session_.config.database;
    const std::string files = test::read_file(path) + test::read_file(path + "-wal");
    for (const std::string& blob : blobs) {
      CPPUNIT_ASSERT_MESSAGE("ciphertext left on disk", !test::contains_bytes(files, blob));
      CPPUNIT_ASSERT_MESSAGE("ciphertext slice left on disk",
                             !test::contains_bytes(files, blob.substr(1, 12)));
    }
    CPPUNIT_ASSERT_THROW(run_find(session_, ada_.email), NotFound);
  }

  void EraseKeepsHeldRecordAndSaysWhy() {
    EnquiryRecord held = seal(ada_, kNow - 500, false);
    holds_->hold(held, "litigation 2026-17");
    EraseRequest request;
    request.address = ada_.email;
    request.yes = true;
    // Done in part only: not an exit status to report as "done".
    CPPUNIT_ASSERT_EQUAL(int{kKept}, run_erase(session_, request));
    CPPUNIT_ASSERT(out_.str().find("kept " + held.reference + ": under legal hold since") !=
                   std::string::npos);
    CPPUNIT_ASSERT(out_.str().find("erased 2, kept 1") != std::string::npos);
    CPPUNIT_ASSERT(holds_->find(held.reference));
    // With --include-held and a reason it goes too.
    out_.str("");
    request.include_held = true;
    request.reason = "court order 12";
    CPPUNIT_ASSERT_EQUAL(int{kOk}, run_erase(session_, request));
    CPPUNIT_ASSERT(!holds_->find(held.reference));
    CPPUNIT_ASSERT(!session_.records->find(held.reference));
    const AuditEntry last = session_.records->audit_trail().list(std::nullopt).back();
    CPPUNIT_ASSERT_EQUAL(std::string("request=email; reason=court order 12"), last.detail);
  }

  // The released copy's old page images may stay in the hold database's
  // WAL when a reader keeps the checkpoint busy: the erase is done, but
  // not cleanly, and staff are told which file to checkpoint.
  void EraseSaysWhenTheHoldWalKeepsOldPages() {
    session_.config.hold_database = dir_->file("holds.db");
    EnquiryRecord held = seal(ada_, kNow - 500, false);
    holds_->hold(held, "litigation 2026-18");
    holds_->wal_truncates = false;
    EraseRequest request;
    request.reference = held.reference;
    request.include_held = true;
    request.reason = "court order 13";
    request.yes = true;
    CPPUNIT_ASSERT_EQUAL(int{kRuntimeError}, run_erase(session_, request));
    CPPUNIT_ASSERT(!holds_->find(held.reference));
    CPPUNIT_ASSERT(!session_.records->find(held.reference));
    CPPUNIT_ASSERT(err_.str().find("write-ahead log of " + session_.config.hold_database +
                                   " could not be truncated") != std::string::npos);
    CPPUNIT_ASSERT(err_.str().find(session_.config.database + " could") == std::string::npos);
  }

  // One held record that cannot be released is kept and reported; the
  // rest of the request is still carried out.
  void EraseGoesOnPastARefusedRelease() {
    EnquiryRecord stuck = seal(ada_, kNow - 600, false);
    EnquiryRecord freed = seal(ada_, kNow - 500, false);
    holds_->hold(stuck, "matter 1");
    holds_->hold(freed, "matter 2");
    holds_->refuse_release.insert(stuck.reference);
    EraseRequest request;
    request.address = ada_.email;
    request.include_held = true;
    request.reason = "court order 14";
    request.yes = true;
    CPPUNIT_ASSERT_EQUAL(int{kRuntimeError}, run_erase(session_, request));
    CPPUNIT_ASSERT(holds_->find(stuck.reference));
    CPPUNIT_ASSERT(!holds_->find(freed.reference));
    CPPUNIT_ASSERT(!session_.records->find(freed.reference));
    CPPUNIT_ASSERT(!session_.records->find(ada1_));
    CPPUNIT_ASSERT(out_.str().find("kept " + stuck.reference + ": could not be released") !=
                   std::string::npos);
    CPPUNIT_ASSERT(err_.str().find(stuck.reference + " is also in the enquiry store") !=
                   std::string::npos);
  }

  void EraseIncludeHeldNeedsReason() {
    EraseRequest request;
    request.reference = ada1_;
    request.yes = true;
    request.include_held = true;
    CPPUNIT_ASSERT_THROW(run_erase(session_, request), UsageError);
    CPPUNIT_ASSERT(session_.records->find(ada1_));
  }

  void EraseWithoutConfirmationErasesNothing() {
    in_.str("no\n");
    EraseRequest request;
    request.reference = ada1_;
    CPPUNIT_ASSERT_EQUAL(int{kRuntimeError}, run_erase(session_, request));
    CPPUNIT_ASSERT(session_.records->find(ada1_));
    in_.clear();
    in_.str("yes\n");
    CPPUNIT_ASSERT_EQUAL(int{kOk}, run_erase(session_, request));
    CPPUNIT_ASSERT(!session_.records->find(ada1_));
  }

  void TamperedCiphertextDoesNotStopListing() {
    EnquiryRecord record = *session_.records->find(ada2_);
    std::string blob = record.sealed.fields.at("name");
    blob[blob.size() / 2] = static_cast<char>(blob[blob.size() / 2] ^ 0x01);
    CPPUNIT_ASSERT(session_.records->replace_field(ada2_, "name", blob, "",
                                                   session_.note("test")));
    CPPUNIT_ASSERT_EQUAL(int{kRuntimeError}, run_list(session_, ListFilter{}, true, true));
    std::size_t lines = 0;
    for (char c : out_.str()) lines += c == '\n';
    CPPUNIT_ASSERT_EQUAL(std::size_t{3}, lines);
    CPPUNIT_ASSERT_EQUAL(
        "sealform-admin: " + ada2_ + ": cannot open field 'name': authentication failed\n",
        err_.str());
    CPPUNIT_ASSERT(out_.str().find(bob1_) != std::string::npos);
  }

  void RotateAndRekeyLeaveEveryRecordReadable() {
    const std::string old_id = load_current_public_key(keys_).id;
    CPPUNIT_ASSERT_EQUAL(int{kOk}, run_keys_rotate(session_));
    const std::string new_id = load_current_public_key(keys_).id;
    CPPUNIT_ASSERT(old_id != new_id);
    const std::string late = insert(bob_, kNow, false);  // sealed for the new key
    CPPUNIT_ASSERT_EQUAL(int{kOk}, run_rekey(session_, 1));
    CPPUNIT_ASSERT(out_.str().find("re-wrapped 3 data keys") != std::string::npos);
    const std::map<std::string, std::int64_t> usage = session_.records->key_usage();
    CPPUNIT_ASSERT_EQUAL(std::size_t{1}, usage.size());
    CPPUNIT_ASSERT_EQUAL(std::int64_t{4}, usage.at(new_id));
    for (const std::string& reference : {ada1_, ada2_, bob1_, late}) {
      CPPUNIT_ASSERT_EQUAL(std::size_t{5}, opened(reference).size());
    }
    // Nothing left: a second run re-wraps nothing.
    out_.str("");
    CPPUNIT_ASSERT_EQUAL(int{kOk}, run_rekey(session_, 10));
    CPPUNIT_ASSERT(out_.str().find("re-wrapped 0 data keys") != std::string::npos);
    out_.str("");
    CPPUNIT_ASSERT_EQUAL(int{kOk}, run_keys(session_));
    // KEY ID (14 wide), CURRENT (9), PRIVATE KEY (13), RECORDS: the old pair is unused.
    const std::string unused_row = old_id + std::string(11, ' ') + "present" + std::string(6, ' ') + "0";
    CPPUNIT_ASSERT(out_.str().find(unused_row) != std::string::npos);
  }

  void ResolveReopenAndWithdraw() {
    CPPUNIT_ASSERT_EQUAL(int{kOk}, run_resolve(session_, ada1_));
    CPPUNIT_ASSERT(session_.records->find(ada1_)->resolved_at == std::optional<std::int64_t>(kNow));
    CPPUNIT_ASSERT_EQUAL(int{kOk}, run_reopen(session_, ada1_));
    CPPUNIT_ASSERT(!session_.records->find(ada1_)->resolved());
    CPPUNIT_ASSERT_THROW(run_resolve(session_, "ENQ-ZZZZZ-ZZZZZ"), NotFound);
    CPPUNIT_ASSERT_EQUAL(int{kOk}, run_withdraw(session_, ada_.email));
    CPPUNIT_ASSERT(!session_.records->find(ada2_)->retain);
    CPPUNIT_ASSERT(out_.str().find(ada2_ + ": retention opt-in withdrawn") != std::string::npos);
    // A held record's opt-in is withdrawn too.
    const EnquiryRecord held = seal(ada_, kNow - 500, true);
    holds_->hold(held, "litigation 2026-19");
    out_.str("");
    CPPUNIT_ASSERT_EQUAL(int{kOk}, run_withdraw(session_, ada_.email));
    CPPUNIT_ASSERT(!holds_->find(held.reference)->retain);
    CPPUNIT_ASSERT(
        out_.str().find(held.reference + ": retention opt-in withdrawn; under legal hold") !=
        std::string::npos);
  }

  void AuditRowsCarryNoPersonalData() {
    run_resolve(session_, ada1_);
    run_correct(session_, ada1_, "company", "New Company Name");
    run_export(session_, ada_.email, ExportFormat::kJson);
    run_withdraw(session_, ada_.email);
    EraseRequest request;
    request.address = bob_.email;
    request.yes = true;
    run_erase(session_, request);
    out_.str("");
    CPPUNIT_ASSERT_EQUAL(int{kOk}, run_audit(session_, std::nullopt, false));
    const std::string listing = out_.str();
    CPPUNIT_ASSERT(listing.find("erase") != std::string::npos);
    for (const std::string& value : {ada_.name, ada_.email, bob_.name, bob_.email,
                                     std::string("New Company Name"), std::string("example")}) {
      CPPUNIT_ASSERT_MESSAGE("personal data in the audit trail",
                             listing.find(value) == std::string::npos);
    }
    out_.str("");
    CPPUNIT_ASSERT_EQUAL(int{kOk}, run_audit(session_, std::nullopt, true));
  }

 private:
  std::unique_ptr<test::TempDir> dir_;
  std::string keys_;
  std::unique_ptr<EnquiryStore> intake_;
  FakeHoldStore* holds_ = nullptr;
  Session session_;
  std::ostringstream out_, err_;
  std::istringstream in_;
  Person ada_, bob_;
  std::string ada1_, ada2_, bob1_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(AdminTest);

}  // namespace sealform
