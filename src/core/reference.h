// reference.h: enquiry references, short and easy to read aloud.
//
// A reference is "ENQ-" followed by two groups of five Crockford base32
// digits (0-9, A-Z without I, L, O, U): ENQ-7K3QD-M9XA2, 50 random bits.
// parse_reference() accepts what a person might type: lower case, I/L read as
// 1, O read as 0, with or without the dashes, and returns the canonical form.
#ifndef SEALFORM_CORE_REFERENCE_H_
#define SEALFORM_CORE_REFERENCE_H_

#include <optional>
#include <string>
#include <string_view>

namespace sealform {

std::string new_reference();
std::optional<std::string> parse_reference(std::string_view text);

}  // namespace sealform

#endif  // SEALFORM_CORE_REFERENCE_H_
