// consent_cookie.cc: encoding, verifying and finding the consent cookie
// (see consent_cookie.h for the layout).
#include "web/consent_cookie.h"

#include "core/error.h"
#include "core/seal.h"
#include "web/cookie_registry.h"
#include "web/token.h"

namespace sealform::web {
namespace {

constexpr unsigned char kCookieVersion = 1;
constexpr std::size_t kMacBytes = 16;
constexpr std::size_t kFixedBytes = 1 + 1 + 8 + kConsentIdBytes + 1;
constexpr std::int64_t kClockSkewSeconds = 300;

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

char choice_byte(ConsentChoice choice) { return choice == ConsentChoice::kAccept ? 'A' : 'R'; }

}  // namespace

std::string_view choice_name(ConsentChoice choice) {
  switch (choice) {
    case ConsentChoice::kAccept:
      return "accept";
    case ConsentChoice::kReject:
      return "reject";
    case ConsentChoice::kNone:
      break;
  }
  return "";
}

ConsentChoice parse_choice(std::string_view name) {
  if (name == "accept") return ConsentChoice::kAccept;
  if (name == "reject") return ConsentChoice::kReject;
  return ConsentChoice::kNone;
}

std::string ConsentSigner::encode(const ConsentCookie& cookie) const {
  if (cookie.policy_version.size() > 255) throw Error("policy version too long for the cookie");
  if (cookie.consent_id.size() != kConsentIdBytes || cookie.choice == ConsentChoice::kNone) {
    throw Error("incomplete consent cookie");
  }
  std::string payload;
  payload.push_back(static_cast<char>(kCookieVersion));
  payload.push_back(choice_byte(cookie.choice));
  for (int shift = 56; shift >= 0; shift -= 8) {
    payload.push_back(
        static_cast<char>((static_cast<std::uint64_t>(cookie.chosen_at) >> shift) & 0xFF));
  }
  payload += cookie.consent_id;
  payload.push_back(static_cast<char>(cookie.policy_version.size()));
  payload += cookie.policy_version;
  payload += key_.mac(payload).substr(0, kMacBytes);
  return base64url_encode(payload);
}

std::optional<ConsentCookie> ConsentSigner::decode(std::string_view value) const {
  std::string raw;
  if (value.empty() || value.size() > kMaxConsentValueChars) return std::nullopt;
  if (!base64url_decode(value, &raw)) return std::nullopt;
  if (raw.size() < kFixedBytes + kMacBytes) return std::nullopt;
  if (static_cast<unsigned char>(raw[0]) != kCookieVersion) return std::nullopt;
  const std::size_t version_size = static_cast<unsigned char>(raw[kFixedBytes - 1]);
  if (raw.size() != kFixedBytes + version_size + kMacBytes) return std::nullopt;
  const std::string_view payload(raw.data(), kFixedBytes + version_size);
  const std::string expected = key_.mac(payload).substr(0, kMacBytes);
  if (!equal_constant_time(expected, std::string_view(raw).substr(payload.size()))) {
    return std::nullopt;
  }
  ConsentCookie cookie;
  if (raw[1] == 'A') {
    cookie.choice = ConsentChoice::kAccept;
  } else if (raw[1] == 'R') {
    cookie.choice = ConsentChoice::kReject;
  } else {
    return std::nullopt;
  }
  std::uint64_t at = 0;
  for (int i = 2; i < 10; ++i) at = (at << 8) | static_cast<unsigned char>(raw[i]);
  cookie.chosen_at = static_cast<std::int64_t>(at);
  cookie.consent_id = raw.substr(10, kConsentIdBytes);
  cookie.policy_version = raw.substr(kFixedBytes, version_size);
  return cookie;
}

std::vector<std::string> cookie_values(std::string_view header, std::string_view name) {
  std::vector<std::string> values;
  if (header.size() > kMaxCookieHeaderBytes) return values;
  std::size_t pairs = 0;
  std::size_t start = 0;
  while (start < header.size() && pairs < kMaxCookiePairs) {
    std::size_t end = header.find(';', start);
    if (end == std::string_view::npos) end = header.size();
    const std::string_view pair = header.substr(start, end - start);
    start = end + 1;
    ++pairs;
    const std::size_t equals = pair.find('=');
    if (equals == std::string_view::npos) continue;  // a nameless value: not ours
    if (trim(pair.substr(0, equals)) != name) continue;
    std::string_view value = trim(pair.substr(equals + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    values.emplace_back(value);
  }
  return values;
}

ConsentState read_consent(const ConsentSigner& signer, std::string_view cookie_header,
                          const Config& config, std::int64_t now) {
  ConsentState state;
  std::optional<ConsentCookie> newest;
  for (const std::string& value : cookie_values(cookie_header, kConsentCookieName)) {
    std::optional<ConsentCookie> cookie = signer.decode(value);
    if (!cookie) continue;
    if (!newest || cookie->chosen_at > newest->chosen_at) newest = std::move(cookie);
  }
  if (!newest) return state;
  const std::int64_t lifetime = max_age_seconds(*find_cookie(kConsentCookieName), config);
  if (newest->chosen_at > now + kClockSkewSeconds || now - newest->chosen_at > lifetime) {
    return state;  // from the future, or older than the cookie may live
  }
  if (newest->policy_version != config.policy_version) {
    state.outdated = true;  // the policy changed since: ask again
    return state;
  }
  state.choice = newest->choice;
  state.consent_id = newest->consent_id;
  return state;
}

std::string consent_set_cookie(const std::string& value, const Config& config, bool https) {
  const CookieSpec& spec = *find_cookie(kConsentCookieName);
  std::string header = std::string(spec.name) + "=" + value +
                       "; Max-Age=" + std::to_string(max_age_seconds(spec, config)) +
                       "; Path=" + config.base_path + "; HttpOnly; SameSite=Lax";
  // A TLS proxy in front of the web server may pass the request on in
  // plain HTTP; the site's own origin says what the browser used.
  if (https || config.origin.rfind("https://", 0) == 0) header += "; Secure";
  return header;
}

}  // namespace sealform::web
