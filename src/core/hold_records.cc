// hold_records.cc: whole-row reads and writes for the hold store's moves.
#include "core/hold_records.h"

#include "core/enquiry_row.h"
#include "core/fields.h"

namespace sealform {
namespace {

// Column order for SELECT and INSERT: enquiry_row.h.
constexpr const char* kColumns = kEnquiryColumns;
constexpr int kColumnCount = kEnquiryColumnCount;

}  // namespace

std::optional<EnquiryRecord> RecordTable::find(const std::string& reference) {
  sqlite::StatementScope select(
      db_.cached(std::string("SELECT ") + kColumns + " FROM " + table_ + " WHERE reference = ?1"));
  select->bind_text(1, reference);
  if (!select->step()) return std::nullopt;
  return read_enquiry_row(*select, 0);
}

std::vector<std::string> RecordTable::find_by_email_index(const std::string& email_index) {
  sqlite::StatementScope select(db_.cached("SELECT reference FROM " + table_ +
                                           " WHERE email_index = ?1 ORDER BY created_at"));
  select->bind_blob(1, email_index);
  std::vector<std::string> references;
  while (select->step()) references.push_back(select->column_text(0));
  return references;
}

void RecordTable::insert(const EnquiryRecord& record, const std::optional<std::int64_t>& held_at) {
  std::string sql =
      "INSERT INTO " + table_ + " (" + kColumns + (held_at ? ", held_at" : "") + ") VALUES (";
  const int count = kColumnCount + (held_at ? 1 : 0);
  for (int i = 1; i <= count; ++i) sql += (i > 1 ? ", ?" : "?") + std::to_string(i);
  sql += ")";
  sqlite::StatementScope insert(db_.cached(sql));
  bind_enquiry_row(*insert, record, db_.path());
  if (held_at) insert->bind_int64(kColumnCount + 1, *held_at);
  insert->run();
}

bool RecordTable::erase(const std::string& reference) {
  sqlite::StatementScope remove(db_.cached("DELETE FROM " + table_ + " WHERE reference = ?1"));
  remove->bind_text(1, reference);
  remove->run();
  return sqlite3_changes(db_.get()) > 0;
}

}  // namespace sealform
