// hold_records.h: whole enquiry rows read from and written to one table.
//
// The hold store moves records between `enquiries` (enquiry database) and
// `held_records` (hold database) with every column unchanged: ciphertexts,
// wrapped key, blind index and metadata. RecordTable reads and writes those
// columns of one table on one connection; it does not start transactions
// (the caller holds one). `db` must outlive the RecordTable. Not thread-safe.
#ifndef SEALFORM_CORE_HOLD_RECORDS_H_
#define SEALFORM_CORE_HOLD_RECORDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/sqlite_handle.h"
#include "core/store.h"

namespace sealform {

class RecordTable {
 public:
  // `table` is a trusted constant: "enquiries" or "held_records".
  RecordTable(sqlite::Connection& db, std::string table) : db_(db), table_(std::move(table)) {}
  RecordTable(const RecordTable&) = delete;
  RecordTable& operator=(const RecordTable&) = delete;

  std::optional<EnquiryRecord> find(const std::string& reference);
  std::vector<std::string> find_by_email_index(const std::string& email_index);

  // Inserts every column; `held_at` is set for held_records only.
  void insert(const EnquiryRecord& record, const std::optional<std::int64_t>& held_at);

  // Deletes the row; returns whether there was one.
  bool erase(const std::string& reference);

 private:
  sqlite::Connection& db_;
  std::string table_;
};

}  // namespace sealform

#endif  // SEALFORM_CORE_HOLD_RECORDS_H_
