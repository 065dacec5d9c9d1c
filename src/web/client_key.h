// client_key.h: the rate-limit identity of a client, never its address.
//
// The key is HMAC-SHA256(rate-limit subkey, canonical address): an IPv4
// client by its address, an IPv6 client by its /64 (one household or office
// gets one /64, and rotating the low bits must not escape the limit). An
// IPv4-mapped IPv6 address counts as the IPv4 address. The raw address is
// never stored or logged.
#ifndef SEALFORM_WEB_CLIENT_KEY_H_
#define SEALFORM_WEB_CLIENT_KEY_H_

#include <string>
#include <string_view>

#include "core/hmac.h"

namespace sealform::web {

// "v4:a.b.c.d", "v6:xxxx:xxxx:xxxx:xxxx::/64", or "other:<text>" for
// something that is not an address (a unix socket peer).
std::string canonical_client(std::string_view remote_addr);

std::string client_key(const HmacKey& rate_key, std::string_view remote_addr);

}  // namespace sealform::web

#endif  // SEALFORM_WEB_CLIENT_KEY_H_
