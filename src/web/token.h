// token.h: the form's anti-forgery token: stateless, signed, cookie-free.
//
// A token carries its issue time, a random nonce and the locale of the form
// it was issued with, and an HMAC-SHA256 (under the CSRF subkey of
// web.secret) over them. It is base64url text that fits in a hidden field,
// so the form works without JavaScript and without cookies. The nonce also
// names the submission: the same token posted twice stores one enquiry.
#ifndef SEALFORM_WEB_TOKEN_H_
#define SEALFORM_WEB_TOKEN_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "core/hmac.h"
#include "core/secret.h"

namespace sealform::web {

enum class TokenCheck { kValid, kMissing, kForged, kExpired, kTooFast };

struct TokenVerdict {
  TokenCheck check = TokenCheck::kMissing;
  std::string nonce;  // raw nonce bytes when the signature is good
  std::int64_t issued_at = 0;
};

class TokenSigner {
 public:
  explicit TokenSigner(const SecretBytes& csrf_key) : key_(csrf_key) {}

  std::string issue(std::int64_t now, std::string_view locale) const;

  // A token is valid when its signature and locale match, it is not older
  // than `lifetime_seconds`, and at least `min_age_seconds` have passed
  // since it was issued (a form filled faster than a person can is a bot).
  TokenVerdict verify(std::string_view token, std::string_view locale, std::int64_t now,
                      int min_age_seconds, int lifetime_seconds) const;

 private:
  HmacKey key_;
};

// base64url without padding (RFC 4648 section 5).
std::string base64url_encode(std::string_view bytes);
bool base64url_decode(std::string_view text, std::string* out);

}  // namespace sealform::web

#endif  // SEALFORM_WEB_TOKEN_H_
