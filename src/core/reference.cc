// reference.cc: enquiry references in Crockford base32 (see reference.h).
//
// Crockford's alphabet (https://www.crockford.com/base32.html) leaves out
// I, L, O and U, so a reference read aloud or copied by hand survives the
// usual confusions; parse_reference() folds them back the way Crockford
// specifies (I, L -> 1; O -> 0). Crockford's optional check symbol is not
// used: a mistyped reference simply finds nothing.
#include "core/reference.h"

#include <openssl/rand.h>

#include <array>
#include <cstdint>

#include "core/error.h"

namespace sealform {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr std::string_view kPrefix = "ENQ";
constexpr std::size_t kGroupDigits = 5;
constexpr std::size_t kDigits = 2 * kGroupDigits;  // 10 digits x 5 bits = 50 bits
constexpr std::size_t kValueBytes = 7;             // 56 bits, of which 50 are used

// The canonical digit for a character a person might type, or '\0'.
char canonical_digit(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (c == 'I' || c == 'L') return '1';
  if (c == 'O') return '0';
  return kAlphabet.find(c) != std::string_view::npos ? c : '\0';
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Parses "XXXXX-XXXXX" or "XXXXXXXXXX" into the ten canonical digits.
std::optional<std::string> parse_digits(std::string_view text) {
  std::string digits;
  std::size_t i = 0;
  for (std::size_t group = 0; group < 2; ++group) {
    if (group == 1 && i < text.size() && text[i] == '-') ++i;
    for (std::size_t k = 0; k < kGroupDigits; ++k, ++i) {
      if (i >= text.size()) return std::nullopt;
      const char digit = canonical_digit(text[i]);
      if (digit == '\0') return std::nullopt;
      digits.push_back(digit);
    }
  }
  if (i != text.size()) return std::nullopt;
  return digits;
}

bool starts_with_prefix(std::string_view text) {
  if (text.size() < kPrefix.size()) return false;
  for (std::size_t i = 0; i < kPrefix.size(); ++i) {
    char c = text[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != kPrefix[i]) return false;
  }
  return true;
}

std::string format(std::string_view digits) {
  std::string out(kPrefix);
  out += '-';
  out += digits.substr(0, kGroupDigits);
  out += '-';
  out += digits.substr(kGroupDigits);
  return out;
}

// The reference of the first 56 bits of `bytes`; the top 6 are dropped.
std::string reference_of(const unsigned char* bytes) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < kValueBytes; ++i) value = (value << 8) | bytes[i];
  std::string digits(kDigits, '0');
  for (std::size_t i = kDigits; i-- > 0;) {
    digits[i] = kAlphabet[value & 0x1f];
    value >>= 5;
  }
  return format(digits);
}

}  // namespace

std::string new_reference() {
  std::array<unsigned char, kValueBytes> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw Error("RAND_bytes failed: cannot make an enquiry reference");
  }
  return reference_of(bytes.data());
}

std::string reference_for(const HmacKey& reference_key, std::string_view idempotency_key) {
  const std::string mac = reference_key.mac(idempotency_key);
  return reference_of(reinterpret_cast<const unsigned char*>(mac.data()));
}

std::optional<std::string> parse_reference(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  // "ENQ" is optional; try it first, then the bare form, because a bare
  // reference may itself begin with the digits E, N, Q.
  if (starts_with_prefix(text)) {
    std::string_view rest = text.substr(kPrefix.size());
    if (!rest.empty() && rest.front() == '-') rest.remove_prefix(1);
    if (auto digits = parse_digits(rest)) return format(*digits);
  }
  if (auto digits = parse_digits(text)) return format(*digits);
  return std::nullopt;
}

}  // namespace sealform
