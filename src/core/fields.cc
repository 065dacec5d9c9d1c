// fields.cc: lookup in the enquiry form's field list (fields.h).
#include "core/fields.h"

namespace sealform {

const FieldSpec* find_field(std::string_view name) {
  for (const FieldSpec& spec : kEnquiryFields) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

}  // namespace sealform
