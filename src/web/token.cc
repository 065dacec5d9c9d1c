// token.cc: issuing and checking form tokens (see token.h).
//
// Layout before encoding: version(1) | issued_at(8, big-endian) |
// nonce(16) | locale length(1) | locale | HMAC-SHA256(first part)[0..16).
#include "web/token.h"

#include "core/seal.h"

namespace sealform::web {
namespace {

constexpr unsigned char kTokenVersion = 1;
constexpr std::size_t kNonceBytes = 16;
constexpr std::size_t kMacBytes = 16;
constexpr std::size_t kMaxTokenChars = 128;
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int decode_char(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(buffer >> bits) & 0x3F];
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (6 - bits)) & 0x3F];
  return out;
}

bool base64url_decode(std::string_view text, std::string* out) {
  out->clear();
  if (text.size() % 4 == 1) return false;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    int value = decode_char(c);
    if (value < 0) return false;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  // Leftover bits must be zero, so each byte string has one encoding.
  return (buffer & ((1u << bits) - 1)) == 0;
}

std::string TokenSigner::issue(std::int64_t now, std::string_view locale) const {
  std::string payload;
  payload.push_back(static_cast<char>(kTokenVersion));
  for (int shift = 56; shift >= 0; shift -= 8) {
    payload.push_back(static_cast<char>((static_cast<std::uint64_t>(now) >> shift) & 0xFF));
  }
  payload += random_bytes(kNonceBytes);
  payload.push_back(static_cast<char>(locale.size()));
  payload += locale;
  payload += key_.mac(payload).substr(0, kMacBytes);
  return base64url_encode(payload);
}

TokenVerdict TokenSigner::verify(std::string_view token, std::string_view locale, std::int64_t now,
                                 int min_age_seconds, int lifetime_seconds) const {
  TokenVerdict verdict;
  if (token.empty()) return verdict;  // kMissing
  verdict.check = TokenCheck::kForged;
  std::string raw;
  if (token.size() > kMaxTokenChars || !base64url_decode(token, &raw)) return verdict;
  constexpr std::size_t kFixed = 1 + 8 + kNonceBytes + 1;
  if (raw.size() < kFixed + kMacBytes || static_cast<unsigned char>(raw[0]) != kTokenVersion) {
    return verdict;
  }
  const std::size_t locale_size = static_cast<unsigned char>(raw[kFixed - 1]);
  if (raw.size() != kFixed + locale_size + kMacBytes) return verdict;
  const std::string_view payload(raw.data(), kFixed + locale_size);
  const std::string expected = key_.mac(payload).substr(0, kMacBytes);
  if (!equal_constant_time(expected, std::string_view(raw).substr(payload.size()))) return verdict;
  if (payload.substr(kFixed) != locale) return verdict;

  std::uint64_t issued = 0;
  for (int i = 1; i <= 8; ++i) issued = (issued << 8) | static_cast<unsigned char>(raw[i]);
  verdict.issued_at = static_cast<std::int64_t>(issued);
  verdict.nonce = raw.substr(9, kNonceBytes);
  const std::int64_t age = now - verdict.issued_at;
  if (age > lifetime_seconds || age < -60) {
    verdict.check = TokenCheck::kExpired;  // also a clock far in the future
  } else if (age < min_age_seconds) {
    verdict.check = TokenCheck::kTooFast;
  } else {
    verdict.check = TokenCheck::kValid;
  }
  return verdict;
}

}  // namespace sealform::web
