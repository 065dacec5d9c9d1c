// validate.h: validation of one posted enquiry, as a pure function.
//
// validate_enquiry() takes the posted fields (name/value pairs in arrival
// order, already percent-decoded) and the configured category keys, and
// returns either a clean Enquiry or a map of per-field error codes. It never
// throws for bad input and never logs. Error codes are stable identifiers
// (the pages map them to messages in three languages):
//   required, too_long, invalid_encoding, control_characters, invalid_email,
//   invalid_choice, duplicate_field
// Rules (in this order, first failure wins per field): a field given twice ->
// duplicate_field; not valid UTF-8 -> invalid_encoding; CRLF/CR -> LF in
// message; trimming (Unicode white space, so CR/LF/TAB at the ends go);
// control characters left (C0, DEL, C1; tab and LF allowed in message) ->
// control_characters; then required, length in code points (the email: 254
// octets of its stored form), email syntax, category key, checkbox "yes".
// Fields the form does not define are ignored and never reach the Enquiry.
#ifndef SEALFORM_CORE_VALIDATE_H_
#define SEALFORM_CORE_VALIDATE_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace sealform {

using FormFields = std::vector<std::pair<std::string, std::string>>;

struct Enquiry {
  std::string name;
  std::string company;     // may be empty
  std::string job_title;   // may be empty
  std::string email;       // stored form (A-label domain)
  std::string category;    // one of the configured keys
  std::string message;     // newlines normalised to LF
  bool age_confirmed = false;
  bool retain = false;     // opt-in to keeping the data after resolution
};

struct ValidationResult {
  bool ok() const { return errors.empty(); }
  Enquiry enquiry;                            // meaningful only when ok()
  std::map<std::string, std::string> errors;  // field name -> error code
};

ValidationResult validate_enquiry(const FormFields& fields,
                                  const std::vector<std::string>& categories);

// One field checked alone by the same rules (correcting a stored enquiry):
// the cleaned value (the stored form for an email) or a stable error code.
// A name the form does not define gives the error "unknown_field".
struct FieldCheck {
  bool ok() const { return error.empty(); }
  std::string value;
  std::string error;
};

FieldCheck validate_field(const std::string& name, const std::string& value,
                          const std::vector<std::string>& categories);

// The value the visitor typed for `name` (first occurrence), for re-showing
// a form; "" if absent. Not validated: the caller must escape it.
std::string first_value(const FormFields& fields, const std::string& name);

}  // namespace sealform

#endif  // SEALFORM_CORE_VALIDATE_H_
