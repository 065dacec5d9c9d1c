// reference.h: enquiry references, short and easy to read aloud.
//
// A reference is "ENQ-" followed by two groups of five Crockford base32
// digits (0-9, A-Z without I, L, O, U): ENQ-7K3QD-M9XA2, 50 bits.
// new_reference() draws the bits at random. reference_for() takes them from
// an HMAC of a submission's idempotency key (its form token's issue time
// and nonce) under the reference subkey: unpredictable without the key, and
// the same for every post of the same token, so that the reference's unique
// index also recognises a replayed form (see PendingInsert).
// parse_reference() accepts what a person might type: lower case, I/L read as
// 1, O read as 0, with or without the dashes, and returns the canonical form.
#ifndef SEALFORM_CORE_REFERENCE_H_
#define SEALFORM_CORE_REFERENCE_H_

#include <optional>
#include <string>
#include <string_view>

#include "core/hmac.h"

namespace sealform {

std::string new_reference();
std::string reference_for(const HmacKey& reference_key, std::string_view idempotency_key);
std::optional<std::string> parse_reference(std::string_view text);

}  // namespace sealform

#endif  // SEALFORM_CORE_REFERENCE_H_
