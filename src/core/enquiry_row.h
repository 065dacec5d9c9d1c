// enquiry_row.h: the enquiry row's columns, named once; reading one row
// into an EnquiryRecord and binding one as an insert's parameters. The
// enquiries table (store.h), the staff operations (records.h) and the hold
// store's copy of the table (hold_store.h) all select and insert these
// columns in this order.
#ifndef SEALFORM_CORE_ENQUIRY_ROW_H_
#define SEALFORM_CORE_ENQUIRY_ROW_H_

#include <string>
#include <string_view>

#include "core/error.h"
#include "core/fields.h"
#include "core/sqlite_handle.h"
#include "core/store.h"

namespace sealform {

// The metadata columns, then one ciphertext column per personal field in
// kPersonalFields order.
inline constexpr const char* kEnquiryColumns =
    "reference, created_at, resolved_at, category, locale, age_confirmed, retain, "
    "retain_changed_at, policy_version, key_id, wrapped_key, email_index, name_ct, "
    "company_ct, job_title_ct, email_ct, message_ct";
inline constexpr int kEnquiryColumnCount = 17;
// Offset of name_ct, the first ciphertext column, within kEnquiryColumns.
inline constexpr int kEnquiryFirstFieldOffset = 12;

// Reads kEnquiryColumns from `row`, starting at result column `first`.
inline EnquiryRecord read_enquiry_row(const sqlite::Statement& row, int first) {
  EnquiryRecord record;
  record.reference = row.column_text(first);
  record.created_at = row.column_int64(first + 1);
  record.resolved_at = row.column_optional_int64(first + 2);
  record.category = row.column_text(first + 3);
  record.locale = row.column_text(first + 4);
  record.age_confirmed = row.column_int64(first + 5) != 0;
  record.retain = row.column_int64(first + 6) != 0;
  record.retain_changed_at = row.column_optional_int64(first + 7);
  record.policy_version = row.column_text(first + 8);
  record.sealed.key_id = row.column_text(first + 9);
  record.sealed.wrapped_key = row.column_blob(first + 10);
  record.email_index = row.column_blob(first + 11);
  int column = first + kEnquiryFirstFieldOffset;
  for (std::string_view field : kPersonalFields) {
    record.sealed.fields[std::string(field)] = row.column_blob(column++);
  }
  return record;
}

// Binds `record` as parameters 1 to kEnquiryColumnCount of `insert`, in
// kEnquiryColumns order. A record without one of the sealed fields throws
// Error naming `database` and the field (never its value).
inline void bind_enquiry_row(sqlite::Statement& insert, const EnquiryRecord& record,
                             const std::string& database) {
  insert.bind_text(1, record.reference);
  insert.bind_int64(2, record.created_at);
  insert.bind_optional_int64(3, record.resolved_at);
  insert.bind_text(4, record.category);
  insert.bind_text(5, record.locale);
  insert.bind_int64(6, record.age_confirmed ? 1 : 0);
  insert.bind_int64(7, record.retain ? 1 : 0);
  insert.bind_optional_int64(8, record.retain_changed_at);
  insert.bind_text(9, record.policy_version);
  insert.bind_text(10, record.sealed.key_id);
  insert.bind_blob(11, record.sealed.wrapped_key);
  insert.bind_blob(12, record.email_index);
  int parameter = kEnquiryFirstFieldOffset + 1;
  for (std::string_view field : kPersonalFields) {
    const auto it = record.sealed.fields.find(std::string(field));
    if (it == record.sealed.fields.end()) {
      throw Error("database " + database + ": record lacks the sealed field " + std::string(field));
    }
    insert.bind_blob(parameter++, it->second);
  }
}

}  // namespace sealform

#endif  // SEALFORM_CORE_ENQUIRY_ROW_H_
