// export.cc: `export --email ADDR [--format json|text]`: everything held
// about one person, for an access or portability request.
//
// The JSON shape is a stable contract (format "sealform-export/1"); a
// change that removes or renames a member needs a new format version.
// Members are always present (null or [] when empty), in this order:
//
// {
//   "format": "sealform-export/1",
//   "generated_at": "2026-11-29T10:00:00Z",         // ISO 8601, UTC
//   "controller": {"organisation": "...", "contact_email": "...",
//                  "data_location": "..."},
//   "retention_days": 180,                           // after resolution
//   "enquiries": [                                   // oldest first; main store, then held
//     {
//       "reference": "ENQ-7K3QD-M9XA2",
//       "store": "main" | "hold",
//       "status": "open" | "resolved" | "held",
//       "created_at": "...Z",
//       "resolved_at": "...Z" | null,
//       "category": "general",
//       "locale": "en-us",
//       "fields": {"name": "...", "company": "...", "job_title": "...",
//                  "email": "...", "message": "..."},  // a field that cannot be opened is null
//       "consent": {"age_confirmed": true, "policy_version": "2026-11"},
//       "retention": {"retain_opt_in": false, "retain_changed_at": "...Z" | null,
//                     "erase_after": "...Z" | null},  // null: not resolved, opted in, or held
//       "legal_holds": [{"placed_at": "...Z", "reason": "..."}],
//       "errors": ["ENQ-...: cannot open field 'name': authentication failed"]
//     }
//   ]
// }
//
// The text format shows the same facts for reading aloud or printing.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>

#include "admin/actions.h"
#include "core/fields.h"

namespace sealform::admin {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kExportFormat = "sealform-export/1";
constexpr std::int64_t kSecondsPerDay = 86400;

Json time_or_null(const std::optional<std::int64_t>& t) {
  return t ? Json(format_time(*t)) : Json(nullptr);
}

Json enquiry_json(Session& session, const Located& located) {
  const EnquiryRecord& record = located.record;
  const OpenedRecord opened = open_fields(*session.keyring, record);
  Json fields = Json::object();
  for (std::string_view name : kPersonalFields) {
    auto it = opened.fields.find(std::string(name));
    fields[std::string(name)] = it == opened.fields.end() ? Json(nullptr) : Json(it->second);
  }
  std::optional<std::int64_t> erase_after;
  if (record.resolved_at && !record.retain && !located.held) {
    erase_after = *record.resolved_at + session.config.retention_days * kSecondsPerDay;
  }
  Json holds = Json::array();
  if (located.held && session.holds) {
    for (const LegalHold& hold : session.holds->holds_for(record.reference)) {
      holds.push_back(Json{{"placed_at", format_time(hold.placed_at)}, {"reason", hold.reason}});
    }
  }
  Json errors = Json::array();
  for (const std::string& error : opened.errors) errors.push_back(error);
  Json out;
  out["reference"] = record.reference;
  out["store"] = located.held ? "hold" : "main";
  out["status"] = status_name(located);
  out["created_at"] = format_time(record.created_at);
  out["resolved_at"] = time_or_null(record.resolved_at);
  out["category"] = record.category;
  out["locale"] = record.locale;
  out["fields"] = std::move(fields);
  out["consent"] = Json{{"age_confirmed", record.age_confirmed},
                        {"policy_version", record.policy_version}};
  out["retention"] = Json{{"retain_opt_in", record.retain},
                          {"retain_changed_at", time_or_null(record.retain_changed_at)},
                          {"erase_after", time_or_null(erase_after)}};
  out["legal_holds"] = std::move(holds);
  out["errors"] = std::move(errors);
  return out;
}

Json export_json(Session& session, const std::vector<Located>& found) {
  Json doc;
  doc["format"] = kExportFormat;
  doc["generated_at"] = format_time(session.now());
  doc["controller"] = Json{{"organisation", session.config.organisation},
                           {"contact_email", session.config.contact_email},
                           {"data_location", session.config.data_location}};
  doc["retention_days"] = session.config.retention_days;
  doc["enquiries"] = Json::array();
  for (const Located& located : found) doc["enquiries"].push_back(enquiry_json(session, located));
  return doc;
}

std::string text_or_dash(const Json& value) {
  return value.is_null() ? "-" : value.is_string() ? value.get<std::string>() : value.dump();
}

void write_text(std::ostream& out, const Json& doc) {
  out << "Data held by " << doc["controller"]["organisation"].get<std::string>() << " (contact "
      << doc["controller"]["contact_email"].get<std::string>() << ", stored in "
      << doc["controller"]["data_location"].get<std::string>() << ")\n"
      << "Generated " << doc["generated_at"].get<std::string>() << "; "
      << doc["enquiries"].size() << " enquiries.\n";
  for (const Json& enquiry : doc["enquiries"]) {
    out << "\nEnquiry " << enquiry["reference"].get<std::string>() << " ("
        << enquiry["status"].get<std::string>() << ")\n"
        << "  received: " << enquiry["created_at"].get<std::string>() << "\n"
        << "  resolved: " << text_or_dash(enquiry["resolved_at"]) << "\n"
        << "  category: " << enquiry["category"].get<std::string>() << "\n"
        << "  language: " << enquiry["locale"].get<std::string>() << "\n";
    for (const auto& [name, value] : enquiry["fields"].items()) {
      std::string text = text_or_dash(value);
      std::string indented;
      for (char c : text) {
        indented += c;
        if (c == '\n') indented += "      ";
      }
      out << "  " << name << ": " << indented << "\n";
    }
    out << "  confirmed 18 or older / guardian consent: "
        << (enquiry["consent"]["age_confirmed"].get<bool>() ? "yes" : "no") << "\n"
        << "  privacy policy version: "
        << enquiry["consent"]["policy_version"].get<std::string>() << "\n"
        << "  kept for more information later: "
        << (enquiry["retention"]["retain_opt_in"].get<bool>() ? "yes" : "no") << "\n"
        << "  to be erased after: " << text_or_dash(enquiry["retention"]["erase_after"]) << "\n";
    for (const Json& hold : enquiry["legal_holds"]) {
      out << "  legal hold since " << hold["placed_at"].get<std::string>() << ": "
          << hold["reason"].get<std::string>() << "\n";
    }
  }
}

}  // namespace

int run_export(Session& session, const std::string& address, ExportFormat format) {
  const std::vector<Located> found = locate_by_email(session, address);
  if (found.empty()) throw NotFound("no enquiry is held for that address");
  const Json doc = export_json(session, found);
  // An access request is recorded (references only), like every change.
  for (const Located& located : found) {
    session.records->audit(located.record.reference,
                           session.note("export", located.held ? "store=hold" : "store=main"));
  }
  if (format == ExportFormat::kJson) {
    // Plaintext was valid UTF-8 when stored; replace rather than throw if not.
    *session.out << doc.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
  } else {
    write_text(*session.out, doc);
  }
  *session.out << std::flush;
  int status = kOk;
  for (const Json& enquiry : doc["enquiries"]) {
    for (const Json& error : enquiry["errors"]) {
      *session.err << "sealform-admin: " << error.get<std::string>() << "\n";
      status = kRuntimeError;
    }
  }
  return status;
}

}  // namespace sealform::admin
