// hold_records.cc: whole-row reads and writes for the hold store's moves.
#include "core/hold_records.h"

#include "core/enquiry_row.h"
#include "core/fields.h"

namespace sealform {
namespace {

// Column order for SELECT and INSERT: enquiry_row.h.
constexpr const char* kColumns = kEnquiryColumns;
constexpr int kColumnCount = kEnquiryColumnCount;
constexpr int kFirstField = kEnquiryFirstFieldOffset;

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
  insert->bind_text(1, record.reference);
  insert->bind_int64(2, record.created_at);
  insert->bind_optional_int64(3, record.resolved_at);
  insert->bind_text(4, record.category);
  insert->bind_text(5, record.locale);
  insert->bind_int64(6, record.age_confirmed ? 1 : 0);
  insert->bind_int64(7, record.retain ? 1 : 0);
  insert->bind_optional_int64(8, record.retain_changed_at);
  insert->bind_text(9, record.policy_version);
  insert->bind_text(10, record.sealed.key_id);
  insert->bind_blob(11, record.sealed.wrapped_key);
  insert->bind_blob(12, record.email_index);
  int parameter = kFirstField + 1;
  for (std::string_view field : kPersonalFields) {
    const auto it = record.sealed.fields.find(std::string(field));
    if (it == record.sealed.fields.end()) {
      throw Error("database " + db_.path() + ": record lacks the sealed field " +
                  std::string(field));
    }
    insert->bind_blob(parameter++, it->second);
  }
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
