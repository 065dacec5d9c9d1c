// report.cc: sealform-purge's text and JSON output (see report.h).
#include "purge/report.h"

#include <nlohmann/json.hpp>

#include "core/retention.h"

namespace sealform::purge {
namespace {

class TextReporter : public Reporter {
 public:
  TextReporter(std::ostream& out, bool quiet) : out_(out), quiet_(quiet) {}

  void begin(const ReportHeader& header) override { header_ = header; }

  void erased(const ErasedRecord& record) override {
    if (quiet_) return;
    out_ << (header_.dry_run ? "would erase " : "erased ") << record.reference << " created "
         << format_timestamp(record.created_at) << " resolved "
         << format_timestamp(record.resolved_at) << " rule " << record.rule << "\n";
  }

  void finish(const PurgeSummary& summary, std::int64_t on_hold) override {
    const auto& old = summary.unresolved_past_warning;
    if (!old.empty()) {
      out_ << "warning: " << old.size() << " unresolved enquiries older than the warning age:";
      for (const std::string& reference : old) out_ << " " << reference;
      out_ << "\n";
    }
    if (quiet_) return;
    const char* verb = header_.dry_run ? "would expire" : "expired";
    out_ << "summary" << (header_.dry_run ? " (dry run)" : "") << " at "
         << format_timestamp(header_.now) << ": " << (header_.dry_run ? "would erase " : "erased ")
         << summary.erased << ", kept by opt-in " << summary.kept_by_opt_in
         << ", unresolved past warning age " << old.size() << ", on hold " << on_hold
         << ", not yet due " << summary.not_yet_due << ", unresolved " << summary.unresolved
         << "\n"
         << verb << ": idempotency tokens " << summary.idempotency_expired << ", rate-limit rows "
         << summary.rate_limits_expired << ", consent records "
         << (summary.consent_expired ? std::to_string(*summary.consent_expired) : "n/a")
         << ", audit rows " << summary.audit_expired << "\n";
    if (!header_.dry_run) {
      out_ << "storage: " << summary.pages_reclaimed << " free pages reclaimed"
           << (summary.full_vacuum ? " (one-time VACUUM to incremental auto_vacuum)" : "")
           << ", WAL checkpoint " << (summary.checkpoint_complete ? "complete" : "INCOMPLETE")
           << "\n";
    }
  }

  void fail(const std::string& message) override { (void)message; }

 private:
  std::ostream& out_;
  bool quiet_;
  ReportHeader header_;
};

class JsonReporter : public Reporter {
 public:
  explicit JsonReporter(std::ostream& out) : out_(out) {}

  void begin(const ReportHeader& header) override {
    out_ << "{\"now\":" << nlohmann::json(format_timestamp(header.now)).dump()
         << ",\"dry_run\":" << (header.dry_run ? "true" : "false") << ",\"erased\":[";
  }

  void erased(const ErasedRecord& record) override {
    const nlohmann::json item = {{"reference", record.reference},
                                 {"created", format_timestamp(record.created_at)},
                                 {"resolved", format_timestamp(record.resolved_at)},
                                 {"rule", record.rule}};
    out_ << (first_ ? "\n" : ",\n") << item.dump();
    first_ = false;
  }

  void finish(const PurgeSummary& summary, std::int64_t on_hold) override {
    nlohmann::json expired = {{"idempotency", summary.idempotency_expired},
                              {"rate_limits", summary.rate_limits_expired},
                              {"audit", summary.audit_expired}};
    expired["consent_records"] =
        summary.consent_expired ? nlohmann::json(*summary.consent_expired) : nlohmann::json();
    const nlohmann::json rest = {
        {"summary",
         {{"erased", summary.erased},
          {"kept_by_opt_in", summary.kept_by_opt_in},
          {"unresolved_past_warning",
           {{"count", summary.unresolved_past_warning.size()},
            {"references", summary.unresolved_past_warning}}},
          {"on_hold", on_hold},
          {"not_yet_due", summary.not_yet_due},
          {"unresolved", summary.unresolved}}},
        {"expired", expired},
        {"storage",
         {{"pages_reclaimed", summary.pages_reclaimed},
          {"full_vacuum", summary.full_vacuum},
          {"checkpoint_complete", summary.checkpoint_complete}}}};
    // Splice the remaining members after the streamed "erased" array.
    const std::string tail = rest.dump();
    out_ << "],\n" << tail.substr(1) << "\n";
  }

  void fail(const std::string& message) override {
    out_ << "],\n\"error\":" << nlohmann::json(message).dump() << "}\n";
  }

 private:
  std::ostream& out_;
  bool first_ = true;
};

}  // namespace

std::unique_ptr<Reporter> text_reporter(std::ostream& out, bool quiet) {
  return std::make_unique<TextReporter>(out, quiet);
}

std::unique_ptr<Reporter> json_reporter(std::ostream& out) {
  return std::make_unique<JsonReporter>(out);
}

}  // namespace sealform::purge
