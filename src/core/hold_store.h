// hold_store.h: the separate store for records under legal hold.
//
// A record under hold lives in its own SQLite file (storage.hold_database),
// never in the enquiry database at the same time, with its ciphertexts and
// metadata unchanged, plus one row per hold (reason, time, admin login).
// sealform-purge never opens this file. Moving a record in (first hold) or
// out (last hold released) is crash-safe: after a crash it is in exactly
// one of the two stores (see hold_store.cc for the protocol).
#ifndef SEALFORM_CORE_HOLD_STORE_H_
#define SEALFORM_CORE_HOLD_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/store.h"

namespace sealform {

struct LegalHold {
  std::int64_t id = 0;
  std::string reference;
  std::string reason;
  std::int64_t placed_at = 0;
  std::string placed_by;   // login name
};

class HoldStore {
 public:
  virtual ~HoldStore() = default;

  // Read side, used by show/find/export (a held record is marked as held).
  virtual std::optional<EnquiryRecord> find(const std::string& reference) = 0;
  virtual std::vector<std::string> find_by_email_index(const std::string& email_index) = 0;
  virtual std::vector<LegalHold> holds_for(const std::string& reference) = 0;
  virtual std::vector<LegalHold> all_holds() = 0;
};

// Opens (creating and migrating if needed) config.hold_database.
std::unique_ptr<HoldStore> open_hold_store(const Config& config);

}  // namespace sealform

#endif  // SEALFORM_CORE_HOLD_STORE_H_
