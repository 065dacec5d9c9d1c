// utf8.cc: a strict UTF-8 decoder (RFC 3629, section 4 syntax) and the text
// clean-up the validator applies (trimming, newline normalisation).
//
// The decoder is written out by hand rather than taken from a library
// because the rules are short and the strictness is the point: every lead
// byte fixes the range its second byte may take, which is what rules out
// overlong forms, surrogates and code points above U+10FFFF.
#include "core/utf8.h"

#include <cstdint>

namespace sealform::utf8 {
namespace {

constexpr char32_t kReplacementCharacter = 0xFFFD;
constexpr char32_t kMaxCodePoint = 0x10FFFF;
constexpr char32_t kSurrogateFirst = 0xD800;
constexpr char32_t kSurrogateLast = 0xDFFF;

bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// Decodes the code point starting at text[*pos]. On success stores it in
// *cp, advances *pos past it and returns true; on a malformed sequence
// returns false and leaves *pos unchanged.
bool decode_one(std::string_view text, std::size_t* pos, char32_t* cp) {
  const std::size_t start = *pos;
  const auto lead = static_cast<unsigned char>(text[start]);
  if (lead < 0x80) {
    *cp = lead;
    *pos = start + 1;
    return true;
  }
  std::size_t length;
  char32_t value;
  // Bounds for the second byte (RFC 3629 table): these exclude overlong
  // forms (E0, F0), surrogates (ED) and values above U+10FFFF (F4).
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    value = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    value = lead & 0x0F;
    if (lead == 0xE0) second_min = 0xA0;
    if (lead == 0xED) second_max = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    value = lead & 0x07;
    if (lead == 0xF0) second_min = 0x90;
    if (lead == 0xF4) second_max = 0x8F;
  } else {
    return false;  // a continuation byte, C0, C1 or F5..FF
  }
  if (text.size() - start < length) return false;  // truncated
  const auto second = static_cast<unsigned char>(text[start + 1]);
  if (second < second_min || second > second_max) return false;
  for (std::size_t i = 1; i < length; ++i) {
    const auto byte = static_cast<unsigned char>(text[start + i]);
    if (!is_continuation(byte)) return false;
    value = (value << 6) | (byte & 0x3F);
  }
  *cp = value;
  *pos = start + length;
  return true;
}

bool is_scalar_value(char32_t cp) {
  return cp <= kMaxCodePoint && (cp < kSurrogateFirst || cp > kSurrogateLast);
}

}  // namespace

bool is_valid(std::string_view text) {
  std::size_t pos = 0;
  char32_t cp;
  while (pos < text.size()) {
    if (!decode_one(text, &pos, &cp)) return false;
  }
  return true;
}

std::optional<std::vector<char32_t>> decode(std::string_view text) {
  std::vector<char32_t> out;
  out.reserve(text.size());
  std::size_t pos = 0;
  char32_t cp;
  while (pos < text.size()) {
    if (!decode_one(text, &pos, &cp)) return std::nullopt;
    out.push_back(cp);
  }
  return out;
}

void append(std::string& out, char32_t cp) {
  if (!is_scalar_value(cp)) cp = kReplacementCharacter;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::size_t count_code_points(std::string_view text) {
  // In well-formed text every code point has exactly one non-continuation byte.
  std::size_t count = 0;
  for (char c : text) {
    if (!is_continuation(static_cast<unsigned char>(c))) ++count;
  }
  return count;
}

bool is_control(char32_t cp) {
  return cp <= 0x1F || (cp >= 0x7F && cp <= 0x9F);
}

bool is_trimmable_space(char32_t cp) {
  switch (cp) {
    case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x20:
    case 0x85: case 0xA0: case 0x1680:
    case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
    case 0xFEFF:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

std::string trim(std::string_view text) {
  // One forward pass: remember where the first and the last non-space code
  // point lie. A malformed byte (not expected here) counts as non-space, so
  // trimming never drops it.
  std::size_t begin = text.size();
  std::size_t end = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t start = pos;
    char32_t cp;
    const bool ok = decode_one(text, &pos, &cp);
    if (!ok) pos = start + 1;
    if (!ok || !is_trimmable_space(cp)) {
      if (begin == text.size()) begin = start;
      end = pos;
    }
  }
  if (begin >= end) return std::string();
  return std::string(text.substr(begin, end - begin));
}

std::string normalise_newlines(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\r') {
      out.push_back(text[i]);
      continue;
    }
    out.push_back('\n');
    if (i + 1 < text.size() && text[i + 1] == '\n') ++i;  // CRLF is one newline
  }
  return out;
}

}  // namespace sealform::utf8
