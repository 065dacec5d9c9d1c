// peer_filter.cc: parsing FCGI_WEB_SERVER_ADDRS and matching peers against it.
#include "fcgi/peer_filter.h"

#include <arpa/inet.h>

#include <cstdlib>
#include <cstring>

#include "core/error.h"

namespace sealform::fcgi {

namespace {

constexpr const char* kVariable = "FCGI_WEB_SERVER_ADDRS";
constexpr auto kReportInterval = std::chrono::minutes(1);

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

bool same(const in_addr& a, const in_addr& b) { return a.s_addr == b.s_addr; }
bool same(const in6_addr& a, const in6_addr& b) {
  return std::memcmp(a.s6_addr, b.s6_addr, sizeof a.s6_addr) == 0;
}

template <typename Address>
bool listed(const std::vector<Address>& list, const Address& address) {
  for (const Address& entry : list) {
    if (same(entry, address)) return true;
  }
  return false;
}

bool is_wildcard(const sockaddr_storage& bound) {
  if (bound.ss_family == AF_INET) {
    return reinterpret_cast<const sockaddr_in&>(bound).sin_addr.s_addr == htonl(INADDR_ANY);
  }
  if (bound.ss_family == AF_INET6) {
    return IN6_IS_ADDR_UNSPECIFIED(&reinterpret_cast<const sockaddr_in6&>(bound).sin6_addr);
  }
  return false;
}

}  // namespace

PeerFilter PeerFilter::parse(const std::string& list) {
  std::vector<in_addr> v4;
  std::vector<in6_addr> v6;
  std::size_t start = 0;
  const std::string whole = trimmed(list);
  while (!whole.empty()) {
    const std::size_t comma = whole.find(',', start);
    const std::string entry = trimmed(
        whole.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    in_addr a4{};
    in6_addr a6{};
    if (inet_pton(AF_INET, entry.c_str(), &a4) == 1) {
      v4.push_back(a4);
    } else if (inet_pton(AF_INET6, entry.c_str(), &a6) == 1) {
      if (IN6_IS_ADDR_V4MAPPED(&a6)) {
        std::memcpy(&a4.s_addr, a6.s6_addr + 12, sizeof a4.s_addr);
        v4.push_back(a4);
      } else {
        v6.push_back(a6);
      }
    } else {
      throw Error(std::string(kVariable) + ": '" + entry +
                  "' is not a numeric IPv4 or IPv6 address (expected a comma-separated list "
                  "such as 127.0.0.1,::1)");
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return PeerFilter(std::move(v4), std::move(v6));
}

bool PeerFilter::allows(const sockaddr* peer, socklen_t length) const {
  if (!restricts() || peer == nullptr) return true;
  if (peer->sa_family == AF_INET && length >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    return listed(v4_, reinterpret_cast<const sockaddr_in*>(peer)->sin_addr);
  }
  if (peer->sa_family == AF_INET6 && length >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    const in6_addr& address = reinterpret_cast<const sockaddr_in6*>(peer)->sin6_addr;
    if (IN6_IS_ADDR_V4MAPPED(&address)) {
      in_addr a4{};
      std::memcpy(&a4.s_addr, address.s6_addr + 12, sizeof a4.s_addr);
      return listed(v4_, a4);
    }
    return listed(v6_, address);
  }
  if (peer->sa_family == AF_INET || peer->sa_family == AF_INET6) return false;  // truncated
  return true;
}

std::optional<std::string> PeerFilter::note_refusal(
    std::chrono::steady_clock::time_point now) const {
  refused_since_report_.fetch_add(1);
  const auto ticks = now.time_since_epoch().count();
  auto last = last_report_.load();
  const auto interval =
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(kReportInterval).count();
  if (last != kNever && ticks - last < interval) return std::nullopt;
  // One thread wins the right to report; the others keep counting.
  if (!last_report_.compare_exchange_strong(last, ticks)) return std::nullopt;
  const unsigned long count = refused_since_report_.exchange(0);
  return "refused " + std::to_string(count) + (count == 1 ? " connection" : " connections") +
         " from a peer not listed in " + kVariable + (last == kNever ? "" : " in the last minute");
}

PeerFilter peer_filter_for(int listen_fd, std::vector<std::string>& notes) {
  sockaddr_storage bound{};
  socklen_t length = sizeof bound;
  const bool tcp = getsockname(listen_fd, reinterpret_cast<sockaddr*>(&bound), &length) == 0 &&
                   (bound.ss_family == AF_INET || bound.ss_family == AF_INET6);
  const char* value = std::getenv(kVariable);
  const bool set = value != nullptr && !trimmed(value).empty();
  if (!tcp) {
    if (set) {
      notes.push_back(std::string(kVariable) +
                      " is ignored: the socket is a unix socket (its file mode decides who "
                      "may connect)");
    }
    return PeerFilter();
  }
  if (!set) {
    if (is_wildcard(bound)) {
      notes.push_back(
          "warning: the socket accepts FastCGI connections on every network interface; bind it "
          "to 127.0.0.1 or list the web servers' addresses in " +
          std::string(kVariable));
    }
    return PeerFilter();
  }
  return PeerFilter::parse(value);
}

}  // namespace sealform::fcgi
