// form_body.cc: application/x-www-form-urlencoded bodies, decoded by cgicc.
//
// cgicc is lenient where sealform must not be: it passes a malformed
// percent-escape through as a literal '%', accepts any number of fields,
// also ends a field at a raw ';' (which the form encoding does not: a
// browser sends ';' as %3B), and drops a last field that has no '=' while
// keeping an earlier one. So the raw body is checked here first (field
// count, every field "name=value", no raw ';', every escape well formed),
// and only then handed to cgicc through an in-memory CgiInput that presents
// a POST with an empty query string: the body alone is the form.
#include "core/form_body.h"

#include <cgicc/CgiInput.h>
#include <cgicc/Cgicc.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <stdexcept>

namespace sealform {
namespace {

// cgicc reads the request through this; the environment it sees is a fixed,
// minimal POST (never the process environment: PITFALLS 2).
class InMemoryInput : public cgicc::CgiInput {
 public:
  explicit InMemoryInput(std::string_view body)
      : body_(body),
        env_{{"REQUEST_METHOD", "POST"},
             {"CONTENT_TYPE", "application/x-www-form-urlencoded"},
             {"CONTENT_LENGTH", std::to_string(body.size())},
             {"QUERY_STRING", ""}} {}

  size_t read(char* data, size_t length) override {
    const size_t n = std::min(length, body_.size() - offset_);
    std::memcpy(data, body_.data() + offset_, n);
    offset_ += n;
    return n;
  }

  std::string getenv(const char* name) override {
    auto it = env_.find(name);
    return it == env_.end() ? std::string() : it->second;
  }

 private:
  std::string_view body_;
  size_t offset_ = 0;
  std::map<std::string, std::string> env_;
};

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool percent_escapes_well_formed(std::string_view body) {
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '%') continue;
    if (i + 2 >= body.size() || !is_hex(body[i + 1]) || !is_hex(body[i + 2])) return false;
    i += 2;
  }
  return true;
}

// The non-empty '&'-separated pieces: how many, and whether every one has
// a '='. With that and no raw ';', cgicc splits the body exactly where the
// form encoding does.
struct FieldScan {
  std::size_t count = 0;
  bool each_has_equals = true;
};

FieldScan scan_fields(std::string_view body) {
  FieldScan scan;
  std::size_t start = 0;
  while (start < body.size()) {
    std::size_t end = body.find('&', start);
    if (end == std::string_view::npos) end = body.size();
    if (end > start) {
      ++scan.count;
      if (body.substr(start, end - start).find('=') == std::string_view::npos) {
        scan.each_has_equals = false;
      }
    }
    start = end + 1;
  }
  return scan;
}

}  // namespace

FormParseResult parse_form_body(std::string_view body) {
  FormParseResult result;
  const FieldScan scan = scan_fields(body);
  if (scan.count > kMaxFormFields) {
    result.error = "too_many_fields";
    return result;
  }
  if (!percent_escapes_well_formed(body)) {
    result.error = "bad_percent_encoding";
    return result;
  }
  if (!scan.each_has_equals || body.find(';') != std::string_view::npos) {
    result.error = "malformed";
    return result;
  }
  try {
    InMemoryInput input(body);
    cgicc::Cgicc form(&input);
    for (const cgicc::FormEntry& entry : form.getElements()) {
      result.fields.emplace_back(entry.getName(), entry.getValue());
    }
  } catch (const std::exception&) {
    // cgicc throws std::runtime_error when the body is shorter than its
    // length; our in-memory input never is, but no exception may escape.
    result.fields.clear();
    result.error = "malformed";
    return result;
  }
  result.ok = true;
  return result;
}

}  // namespace sealform
