// purge_fixture.cc: the shared setup of the purge and hold-store tests.
#include "purge_fixture.h"

#include <sys/stat.h>

#include "core/db_connect.h"
#include "core/fields.h"
#include "core/hold_store.h"
#include "core/keys.h"
#include "core/seal.h"

namespace sealform::test {
namespace {

EnquiryRecord random_record(const std::string& reference) {
  EnquiryRecord record;
  record.reference = reference;
  record.category = "general";
  record.locale = "en-us";
  record.age_confirmed = true;
  record.policy_version = "2026-11";
  record.email_index = random_bytes(32);
  record.sealed.key_id = "0123456789ab";
  record.sealed.wrapped_key = std::string(1, '\x01') + random_bytes(92);
  for (std::string_view field : kPersonalFields) {
    record.sealed.fields[std::string(field)] = std::string(1, '\x01') + random_bytes(60);
  }
  return record;
}

}  // namespace

std::string test_reference(int number) {
  static constexpr char kDigits[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  std::string tail;
  for (int i = 0; i < 10; ++i) {
    tail.insert(tail.begin(), kDigits[number % 32]);
    number /= 32;
  }
  return "ENQ-" + tail.substr(0, 5) + "-" + tail.substr(5);
}

PurgeFixture::PurgeFixture() {
  config_.database = dir_.file("enquiries.db");
  config_.hold_database = dir_.file("holds.db");
  config_.key_directory = dir_.file("keys");
  config_.busy_timeout_ms = 5000;
  config_.synchronous = Synchronous::kNormal;
  ::mkdir(config_.key_directory.c_str(), 0750);
  create_web_secret(config_.key_directory);
  store_ = open_sqlite_store(config_);
}

EnquiryRecord PurgeFixture::add(const std::string& reference, std::int64_t created_at,
                                std::optional<std::int64_t> resolved_at, bool retain,
                                std::optional<std::int64_t> retain_changed_at) {
  EnquiryRecord record = random_record(reference);
  record.created_at = created_at;
  record.resolved_at = resolved_at;
  record.retain = retain;
  record.retain_changed_at = retain_changed_at;
  store_->insert(record);
  return record;
}

namespace {

PendingInsert keyed_insert(const std::string& reference, const std::string& key,
                           std::int64_t created_at) {
  PendingInsert item;
  item.record = random_record(reference);
  item.record.created_at = created_at;
  item.idempotency_key = key;
  item.idempotency_expires_at = created_at + kDay;
  item.reference_from_key = true;
  return item;
}

}  // namespace

EnquiryRecord PurgeFixture::add_keyed(const std::string& reference, const std::string& key,
                                      std::int64_t created_at) {
  const PendingInsert item = keyed_insert(reference, key, created_at);
  const std::vector<BatchItemResult> results = store_->insert_batch({item});
  if (!results.at(0).ok || results.at(0).outcome.replayed) {
    throw Error("add_keyed: " + reference + " was not stored");
  }
  return item.record;
}

BatchItemResult PurgeFixture::replay(const std::string& reference, const std::string& key) {
  return store_->insert_batch({keyed_insert(reference, key, kBase)}).at(0);
}

void PurgeFixture::add_many(int count, std::int64_t resolved_at) {
  constexpr int kBatch = 1000;
  for (int done = 0; done < count;) {
    std::vector<PendingInsert> items;
    for (; done < count && static_cast<int>(items.size()) < kBatch; ++done) {
      PendingInsert item;
      item.record = random_record(test_reference(100000 + done));
      item.record.created_at = resolved_at - kDay;
      item.record.resolved_at = resolved_at;
      items.push_back(std::move(item));
    }
    store_->insert_batch(items);
  }
}

SecretBytes PurgeFixture::audit_key() const {
  return derive_subkey(load_web_secret(web_secret_path(config_.key_directory)), Subkey::kAudit);
}

PurgeSummary PurgeFixture::purge(
    std::int64_t now, bool dry_run, std::vector<std::string>* erased,
    const std::function<void(const std::vector<std::int64_t>&)>& hook) {
  auto db = connect();
  AuditTrail audit(*db, audit_key());
  PurgeOptions options = purge_options(config_, now, dry_run);
  options.in_motion = references_in_motion(config_.hold_database);
  options.before_delete = hook;
  return run_purge(*db, dry_run ? nullptr : &audit, options, [&](const ErasedRecord& record) {
    if (erased != nullptr) erased->push_back(record.reference);
  });
}

std::unique_ptr<sqlite::Connection> PurgeFixture::connect() {
  return open_enquiry_database(config_);
}

std::int64_t PurgeFixture::count(const std::string& sql) { return connect()->query_int64(sql); }

bool PurgeFixture::in_enquiries(const std::string& reference) {
  return count("SELECT count(*) FROM enquiries WHERE reference = '" + reference + "'") > 0;
}

bool PurgeFixture::in_hold_db(const std::string& reference) {
  sqlite::Connection db(config_.hold_database);
  if (!has_table(db, "held_records")) return false;
  return db.query_int64("SELECT count(*) FROM held_records WHERE reference = '" + reference +
                        "'") > 0;
}

std::int64_t PurgeFixture::audit_rows(const std::string& action, const std::string& reference) {
  std::string sql = "SELECT count(*) FROM audit WHERE action = '" + action + "'";
  if (!reference.empty()) sql += " AND reference = '" + reference + "'";
  return count(sql);
}

}  // namespace sealform::test
