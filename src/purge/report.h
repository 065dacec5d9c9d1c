// report.h: what sealform-purge prints, as text lines or one JSON document.
//
// Only metadata is printed: references, times, rule names and counts, never
// a personal field. Erased records are written as they are erased (the
// JSON document is streamed too), so output memory does not grow with the
// number of records.
#ifndef SEALFORM_PURGE_REPORT_H_
#define SEALFORM_PURGE_REPORT_H_

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>

#include "core/purge.h"

namespace sealform::purge {

struct ReportHeader {
  std::int64_t now = 0;
  bool dry_run = false;
};

class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual void begin(const ReportHeader& header) = 0;
  virtual void erased(const ErasedRecord& record) = 0;
  virtual void finish(const PurgeSummary& summary, std::int64_t on_hold) = 0;
  // Ends the output after a failure (the message goes to stderr as well).
  virtual void fail(const std::string& message) = 0;
};

// Text: one line per erased record, then the summary; `quiet` keeps only
// the warning about old unresolved enquiries.
std::unique_ptr<Reporter> text_reporter(std::ostream& out, bool quiet);

// JSON (nlohmann/json for every value): one document on `out`.
std::unique_ptr<Reporter> json_reporter(std::ostream& out);

}  // namespace sealform::purge

#endif  // SEALFORM_PURGE_REPORT_H_
