// consent_cookie.h: the consent cookie's value, and reading it back from a
// Cookie header.
//
// The cookie records the visitor's choice, the policy version they chose
// under, the time, and a random consent id (the same id names the proof row
// in consent_records). Its value is base64url (RFC 4648 section 5, so it is
// a valid cookie-octet string, RFC 6265 section 4.1.1) of
//   version(1) | choice(1) | chosen_at(8, big-endian) | consent id(16) |
//   policy version length(1) | policy version | HMAC-SHA256(first part)[0..16)
// under the consent subkey of web.secret. A value that does not verify is
// treated exactly like no cookie: a forged or edited cookie cannot switch
// analytics on, it only makes the banner ask again.
//
// Cookie headers are hostile input: read_consent() bounds the header size,
// the number of pairs it looks at and the length of a value, tolerates any
// byte, and never throws for bad input. Thread-safe (immutable after
// construction).
#ifndef SEALFORM_WEB_CONSENT_COOKIE_H_
#define SEALFORM_WEB_CONSENT_COOKIE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "core/hmac.h"
#include "core/secret.h"

namespace sealform::web {

enum class ConsentChoice { kNone, kAccept, kReject };

// "accept" / "reject" (the form values and the stored choice), "" for none.
std::string_view choice_name(ConsentChoice choice);
ConsentChoice parse_choice(std::string_view name);  // kNone unless exact

struct ConsentCookie {
  ConsentChoice choice = ConsentChoice::kNone;
  std::string policy_version;
  std::int64_t chosen_at = 0;
  std::string consent_id;  // kConsentIdBytes raw bytes
};

inline constexpr std::size_t kConsentIdBytes = 16;
inline constexpr std::size_t kMaxCookieHeaderBytes = 16384;
inline constexpr std::size_t kMaxCookiePairs = 256;
inline constexpr std::size_t kMaxConsentValueChars = 512;

class ConsentSigner {
 public:
  explicit ConsentSigner(const SecretBytes& consent_key) : key_(consent_key) {}

  // The cookie value for `cookie`. Throws sealform::Error if the policy
  // version is longer than 255 bytes (the config keeps it short).
  std::string encode(const ConsentCookie& cookie) const;

  // The cookie a value encodes, or nullopt unless it verifies.
  std::optional<ConsentCookie> decode(std::string_view value) const;

 private:
  HmacKey key_;
};

// The values of every cookie named `name` in a Cookie request header
// (RFC 6265 section 5.4 syntax, read leniently: pairs split at ';', names
// and values trimmed of spaces and tabs, a value's surrounding DQUOTEs
// dropped). Empty if the header exceeds kMaxCookieHeaderBytes; at most
// kMaxCookiePairs pairs are looked at.
std::vector<std::string> cookie_values(std::string_view header, std::string_view name);

// The visitor's consent as this request shows it.
struct ConsentState {
  // Effective choice: kNone when there is no cookie, or it is forged,
  // expired, from the future, or made under another policy version.
  ConsentChoice choice = ConsentChoice::kNone;
  bool outdated = false;  // a genuine choice made under an older policy version
  std::string consent_id;

  bool chosen() const { return choice != ConsentChoice::kNone; }
  bool accepted() const { return choice == ConsentChoice::kAccept; }
};

// Reads the consent cookie from a Cookie header. Among several genuine
// cookies (duplicates from other paths) the most recent choice counts.
ConsentState read_consent(const ConsentSigner& signer, std::string_view cookie_header,
                          const Config& config, std::int64_t now);

// The Set-Cookie header value for the consent cookie: Max-Age from the
// cookie registry, Path = the base path, HttpOnly, SameSite=Lax, and Secure
// when the request came over HTTPS.
std::string consent_set_cookie(const std::string& value, const Config& config, bool https);

}  // namespace sealform::web

#endif  // SEALFORM_WEB_CONSENT_COOKIE_H_
