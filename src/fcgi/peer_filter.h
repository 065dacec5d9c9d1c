// peer_filter.h: FCGI_WEB_SERVER_ADDRS, the FastCGI convention that names
// the web servers allowed to connect to a TCP listening socket.
//
// libfcgi checks the variable only when it accepts connections itself;
// sealform-fcgi accepts them in its own threads (server.cc), so it checks
// them here. The value is a comma-separated list of numeric IPv4 or IPv6
// addresses ("127.0.0.1,10.0.0.5"); spaces around an entry are ignored. An
// IPv4 peer on a dual-stack IPv6 socket (::ffff:a.b.c.d) matches its IPv4
// address. Unlike libfcgi, which compares strings and so silently never
// matches a mistyped entry, a malformed list stops sealform-fcgi at start.
// The list applies to TCP sockets only: a unix socket is guarded by its
// file mode, and an unset or empty list lets every peer in.
#ifndef SEALFORM_FCGI_PEER_FILTER_H_
#define SEALFORM_FCGI_PEER_FILTER_H_

#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sealform::fcgi {

// Made once at start and shared by a worker's accept threads (by const
// reference: the refusal count is its only mutable state).
class PeerFilter {
 public:
  // Lets every peer in.
  PeerFilter() = default;
  // Parses a FCGI_WEB_SERVER_ADDRS value. Throws sealform::Error naming the
  // entry that is not a numeric address.
  static PeerFilter parse(const std::string& list);

  PeerFilter(const PeerFilter&) = delete;
  PeerFilter& operator=(const PeerFilter&) = delete;
  // For returning one from a function, before any thread shares it.
  PeerFilter(PeerFilter&& other) noexcept
      : v4_(std::move(other.v4_)),
        v6_(std::move(other.v6_)),
        refused_since_report_(other.refused_since_report_.load()),
        last_report_(other.last_report_.load()) {}
  PeerFilter& operator=(PeerFilter&&) = delete;

  // True when the list is not empty, i.e. some peers are refused.
  bool restricts() const { return !v4_.empty() || !v6_.empty(); }
  // The peer address accept(2) returned. Peers of other families (unix
  // sockets) are always allowed.
  bool allows(const sockaddr* peer, socklen_t length) const;

  // Counts one refused connection. Returns the line to log for the first
  // refusal and then at most one per minute, with the number refused since
  // the last line; std::nullopt otherwise. Thread-safe. The peer's address
  // is not logged: the refusals are counted, not traced.
  std::optional<std::string> note_refusal(std::chrono::steady_clock::time_point now) const;

 private:
  PeerFilter(std::vector<in_addr> v4, std::vector<in6_addr> v6)
      : v4_(std::move(v4)), v6_(std::move(v6)) {}

  std::vector<in_addr> v4_;
  std::vector<in6_addr> v6_;
  mutable std::atomic<unsigned long> refused_since_report_{0};
  // steady_clock ticks of the last line logged; kNever before the first.
  static constexpr std::chrono::steady_clock::rep kNever = -1;
  mutable std::atomic<std::chrono::steady_clock::rep> last_report_{kNever};
};

// The filter for a listening socket: FCGI_WEB_SERVER_ADDRS from the
// environment for a TCP socket, no filter for a unix socket. Throws
// sealform::Error if the variable is malformed. `notes` receives warnings
// a sysadmin should see at start (the variable set for a unix socket, where
// it means nothing; a TCP socket listening on every interface with no list).
PeerFilter peer_filter_for(int listen_fd, std::vector<std::string>& notes);

}  // namespace sealform::fcgi

#endif  // SEALFORM_FCGI_PEER_FILTER_H_
