// purge_fixture.h: a temporary enquiry database, hold database and key
// directory for the purge and hold-store tests, and rows written in-process.
//
// Records carry random "ciphertexts" (the tests look for their bytes on
// disk); nothing personal is ever generated or printed.
#ifndef SEALFORM_TESTS_PURGE_FIXTURE_H_
#define SEALFORM_TESTS_PURGE_FIXTURE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/audit.h"
#include "core/config.h"
#include "core/purge.h"
#include "core/sqlite_handle.h"
#include "core/store.h"
#include "test_util.h"

namespace sealform::test {

inline constexpr std::int64_t kDay = 86400;
inline constexpr std::int64_t kBase = 1780000000;  // 2026-05-28, a fixed "now" anchor

class PurgeFixture {
 public:
  PurgeFixture();

  const Config& config() const { return config_; }
  Config& config() { return config_; }

  // Stores a record with fresh random blobs; returns it as stored.
  EnquiryRecord add(const std::string& reference, std::int64_t created_at,
                    std::optional<std::int64_t> resolved_at, bool retain = false,
                    std::optional<std::int64_t> retain_changed_at = std::nullopt);
  // Stores an open record as the intake stores one whose reference was
  // derived from its form token: `key` (the token's) kept in the row.
  EnquiryRecord add_keyed(const std::string& reference, const std::string& key,
                          std::int64_t created_at);
  // Stores the form of `key` again, with other content, as the intake's
  // writer would: what the store answers (a replay names the first
  // reference and stores nothing).
  BatchItemResult replay(const std::string& reference, const std::string& key);
  // Stores `count` resolved, expired records in batches (fast seeding).
  void add_many(int count, std::int64_t resolved_at);

  // Runs the purge at `now`; fills `erased` with the references.
  PurgeSummary purge(std::int64_t now, bool dry_run = false,
                     std::vector<std::string>* erased = nullptr,
                     const std::function<void(const std::vector<std::int64_t>&)>& hook = {});

  // A fresh connection to the enquiry database (migrated, configured).
  std::unique_ptr<sqlite::Connection> connect();
  std::int64_t count(const std::string& sql);
  bool in_enquiries(const std::string& reference);
  bool in_hold_db(const std::string& reference);
  // Audit rows with this action (and reference, when given).
  std::int64_t audit_rows(const std::string& action, const std::string& reference = "");

  SecretBytes audit_key() const;

 private:
  TempDir dir_;
  Config config_;
  std::unique_ptr<EnquiryStore> store_;
};

// A reference of the canonical form, distinct per number.
std::string test_reference(int number);

}  // namespace sealform::test

#endif  // SEALFORM_TESTS_PURGE_FIXTURE_H_
