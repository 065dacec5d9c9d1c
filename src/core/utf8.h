// utf8.h: strict UTF-8 checks and the text clean-up the validator applies.
//
// Strict means RFC 3629: no overlong forms, no surrogates (U+D800..DFFF), no
// code point above U+10FFFF, no truncated sequence. All functions are pure and
// thread-safe.
#ifndef SEALFORM_CORE_UTF8_H_
#define SEALFORM_CORE_UTF8_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sealform::utf8 {

// True if `text` is well-formed UTF-8.
bool is_valid(std::string_view text);

// Decodes well-formed UTF-8 into code points; nullopt if malformed.
std::optional<std::vector<char32_t>> decode(std::string_view text);

// Appends the UTF-8 encoding of `cp` (which must be a scalar value).
void append(std::string& out, char32_t cp);

// Number of code points in well-formed `text`.
std::size_t count_code_points(std::string_view text);

// C0 (U+0000..U+001F), DEL (U+007F) and C1 (U+0080..U+009F).
bool is_control(char32_t cp);

// White space trimmed at both ends: Unicode White_Space, i.e. ASCII space,
// TAB, LF, VT, FF, CR, U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028,
// U+2029, U+202F, U+205F, U+3000; plus U+FEFF (a stray byte-order mark).
bool is_trimmable_space(char32_t cp);

// Returns `text` (well-formed) without leading and trailing trimmable space.
std::string trim(std::string_view text);

// CRLF and lone CR become LF.
std::string normalise_newlines(std::string_view text);

}  // namespace sealform::utf8

#endif  // SEALFORM_CORE_UTF8_H_
