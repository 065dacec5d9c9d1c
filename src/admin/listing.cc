// listing.cc: `list`, `show` and `find`: reading enquiries.
//
// list prints metadata only unless --with-names (which needs the private
// keys); show opens every field of one record; find uses the blind index
// and needs no private key. A record that cannot be opened (a flipped
// byte, a missing key file) is reported on stderr as
// "ENQ-...: cannot open field 'name': authentication failed" and the
// listing goes on; the exit status is then 1.
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "admin/actions.h"
#include "core/fields.h"

namespace sealform::admin {
namespace {

// Prints `value` with every line after the first indented, so a message
// cannot fake another "key: value" line of the show output.
void print_field(std::ostream& out, const std::string& label, const std::string& value) {
  out << label << ": ";
  for (char c : value) {
    out << c;
    if (c == '\n') out << "    ";
  }
  out << "\n";
}

bool matches(const ListFilter& filter, const EnquiryRecord& record) {
  if (filter.since && record.created_at < *filter.since) return false;
  if (filter.category && record.category != *filter.category) return false;
  return true;
}

void report_errors(Session& session, const OpenedRecord& opened) {
  for (const std::string& error : opened.errors) *session.err << "sealform-admin: " << error << "\n";
}

}  // namespace

int run_list(Session& session, const ListFilter& filter, bool include_held, bool with_names) {
  std::vector<Located> rows;
  for (EnquiryRecord& record : session.records->list(filter)) rows.push_back({std::move(record), false});
  if (include_held && session.holds) {
    std::set<std::string> seen;
    for (const LegalHold& hold : session.holds->all_holds()) {
      if (!seen.insert(hold.reference).second) continue;
      std::optional<EnquiryRecord> record = session.holds->find(hold.reference);
      if (record && matches(filter, *record)) rows.push_back({std::move(*record), true});
    }
  }
  int status = kOk;
  // Decrypting names and addresses is recorded before anything is shown,
  // one row per enquiry, so that the trail tells whose data a listing
  // showed (a person asking who read their data gets a true answer).
  if (with_names && !rows.empty()) {
    std::vector<std::string> shown;
    for (const Located& row : rows) shown.push_back(row.record.reference);
    session.records->audit_each(shown,
                                session.note("list", "name and address shown in a listing of " +
                                                         std::to_string(rows.size())));
  }
  for (const Located& row : rows) {
    const EnquiryRecord& record = row.record;
    std::ostream& out = *session.out;
    out << record.reference << "  " << format_time(record.created_at) << "  " << record.category
        << "  " << record.locale << "  " << status_name(row);
    if (with_names) {
      const OpenedRecord opened = open_fields(*session.keyring, record);
      auto field = [&](const char* name) {
        auto it = opened.fields.find(name);
        return it == opened.fields.end() ? std::string("?") : it->second;
      };
      out << "  " << field("name") << "  <" << field("email") << ">";
      if (!opened.errors.empty()) {
        out << std::flush;
        report_errors(session, opened);
        status = kRuntimeError;
      }
    }
    out << "\n";
  }
  return status;
}

int run_show(Session& session, const std::string& reference) {
  const std::optional<Located> located = locate(session, reference);
  if (!located) throw NotFound("no enquiry " + reference);
  const EnquiryRecord& record = located->record;
  std::ostream& out = *session.out;
  out << "reference: " << record.reference << "\n"
      << "status: " << status_name(*located) << "\n"
      << "created: " << format_time(record.created_at) << "\n"
      << "resolved: " << (record.resolved_at ? format_time(*record.resolved_at) : "-") << "\n"
      << "category: " << record.category << "\n"
      << "locale: " << record.locale << "\n"
      << "age_confirmed: " << (record.age_confirmed ? "yes" : "no") << "\n"
      << "retain: " << (record.retain ? "yes" : "no") << "\n"
      << "retain_changed: "
      << (record.retain_changed_at ? format_time(*record.retain_changed_at) : "-") << "\n"
      << "policy_version: " << record.policy_version << "\n"
      << "key_id: " << record.sealed.key_id << "\n";
  const OpenedRecord opened = open_fields(*session.keyring, record);
  // Reading personal data is recorded (the reference only), like an export.
  if (!opened.fields.empty()) {
    session.records->audit(reference,
                           session.note("show", located->held ? "store=hold" : "store=main"));
  }
  for (std::string_view name : kPersonalFields) {
    auto it = opened.fields.find(std::string(name));
    print_field(out, std::string(name), it == opened.fields.end() ? "(cannot open)" : it->second);
  }
  if (located->held && session.holds) {
    for (const LegalHold& hold : session.holds->holds_for(reference)) {
      out << "legal_hold: since " << format_time(hold.placed_at) << " by " << hold.placed_by
          << ": " << hold.reason << "\n";
    }
  }
  out << std::flush;
  report_errors(session, opened);
  return opened.errors.empty() ? kOk : kRuntimeError;
}

int run_find(Session& session, const std::string& address) {
  const std::vector<Located> found = locate_by_email(session, address);
  if (found.empty()) throw NotFound("no enquiry is held for that address");
  for (const Located& located : found) {
    *session.out << located.record.reference << (located.held ? "  (held)" : "") << "\n";
  }
  return kOk;
}

}  // namespace sealform::admin
