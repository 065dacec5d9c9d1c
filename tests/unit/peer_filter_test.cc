// Tests for FCGI_WEB_SERVER_ADDRS (src/fcgi/peer_filter.h): parsing, matching
// IPv4, IPv6 and IPv4-mapped peers, the throttled refusal line, and the
// filter chosen for unix and TCP listening sockets.
#include "fcgi/peer_filter.h"

#include <arpa/inet.h>
#include <cppunit/extensions/HelperMacros.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/unique_fd.h"

namespace sealform::fcgi {

namespace {

sockaddr_in v4(const char* text) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  CPPUNIT_ASSERT_EQUAL(1, inet_pton(AF_INET, text, &address.sin_addr));
  return address;
}

sockaddr_in6 v6(const char* text) {
  sockaddr_in6 address{};
  address.sin6_family = AF_INET6;
  CPPUNIT_ASSERT_EQUAL(1, inet_pton(AF_INET6, text, &address.sin6_addr));
  return address;
}

template <typename Address>
bool allows(const PeerFilter& filter, const Address& address) {
  return filter.allows(reinterpret_cast<const sockaddr*>(&address), sizeof address);
}

// Sets or unsets an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      setenv(name, value, 1);
    } else {
      unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_.empty()) {
      unsetenv(name_);
    } else {
      setenv(name_, old_.c_str(), 1);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::string old_;
};

UniqueFd listening_tcp(const char* address, int family) {
  UniqueFd fd(socket(family, SOCK_STREAM, 0));
  CPPUNIT_ASSERT(fd.valid());
  int rc;
  if (family == AF_INET) {
    sockaddr_in bound = v4(address);
    rc = bind(fd.get(), reinterpret_cast<sockaddr*>(&bound), sizeof bound);
  } else {
    sockaddr_in6 bound = v6(address);
    rc = bind(fd.get(), reinterpret_cast<sockaddr*>(&bound), sizeof bound);
  }
  CPPUNIT_ASSERT_EQUAL(0, rc);
  CPPUNIT_ASSERT_EQUAL(0, listen(fd.get(), 1));
  return fd;
}

}  // namespace

class PeerFilterTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PeerFilterTest);
  CPPUNIT_TEST(AnEmptyListLetsEveryoneIn);
  CPPUNIT_TEST(MatchesListedIpv4AndIpv6Peers);
  CPPUNIT_TEST(MatchesMappedIpv4PeersBothWays);
  CPPUNIT_TEST(RefusesMalformedEntries);
  CPPUNIT_TEST(TruncatedAddressesAreRefused);
  CPPUNIT_TEST(ReportsTheFirstRefusalThenOncePerMinute);
  CPPUNIT_TEST(UnixSocketsIgnoreTheVariable);
  CPPUNIT_TEST(TcpSocketsReadTheVariable);
  CPPUNIT_TEST(WarnsAboutAWildcardSocketWithoutAList);
  CPPUNIT_TEST_SUITE_END();

 public:
  void AnEmptyListLetsEveryoneIn() {
    const PeerFilter none;
    CPPUNIT_ASSERT(!none.restricts());
    CPPUNIT_ASSERT(allows(none, v4("192.0.2.1")));
    const PeerFilter blank = PeerFilter::parse("  ");
    CPPUNIT_ASSERT(!blank.restricts());
    CPPUNIT_ASSERT(allows(blank, v6("2001:db8::1")));
  }

  void MatchesListedIpv4AndIpv6Peers() {
    const PeerFilter filter = PeerFilter::parse(" 127.0.0.1 , 10.0.0.5,2001:db8::7 ");
    CPPUNIT_ASSERT(filter.restricts());
    CPPUNIT_ASSERT(allows(filter, v4("127.0.0.1")));
    CPPUNIT_ASSERT(allows(filter, v4("10.0.0.5")));
    CPPUNIT_ASSERT(!allows(filter, v4("10.0.0.6")));
    CPPUNIT_ASSERT(allows(filter, v6("2001:db8::7")));
    CPPUNIT_ASSERT(!allows(filter, v6("2001:db8::8")));
    CPPUNIT_ASSERT(!allows(filter, v6("::1")));
    // A unix-socket peer is not an address the list could name.
    sockaddr_un local{};
    local.sun_family = AF_UNIX;
    CPPUNIT_ASSERT(filter.allows(reinterpret_cast<const sockaddr*>(&local), sizeof local));
  }

  void MatchesMappedIpv4PeersBothWays() {
    const PeerFilter plain = PeerFilter::parse("127.0.0.1");
    CPPUNIT_ASSERT(allows(plain, v6("::ffff:127.0.0.1")));
    CPPUNIT_ASSERT(!allows(plain, v6("::ffff:127.0.0.2")));
    const PeerFilter mapped = PeerFilter::parse("::ffff:10.0.0.5");
    CPPUNIT_ASSERT(allows(mapped, v4("10.0.0.5")));
    CPPUNIT_ASSERT(allows(mapped, v6("::ffff:10.0.0.5")));
  }

  void RefusesMalformedEntries() {
    for (const char* bad : {"localhost", "127.0.0.1,,::1", "127.0.0.1,", "10.0.0.0/8",
                            "127.0.0.1;10.0.0.5", "256.0.0.1"}) {
      try {
        PeerFilter::parse(bad);
        CPPUNIT_FAIL(std::string("accepted ") + bad);
      } catch (const Error& e) {
        const std::string message = e.what();
        CPPUNIT_ASSERT(message.find("FCGI_WEB_SERVER_ADDRS") != std::string::npos);
        CPPUNIT_ASSERT(message.find("not a numeric") != std::string::npos);
      }
    }
  }

  void TruncatedAddressesAreRefused() {
    const PeerFilter filter = PeerFilter::parse("127.0.0.1");
    const sockaddr_in peer = v4("127.0.0.1");
    CPPUNIT_ASSERT(!filter.allows(reinterpret_cast<const sockaddr*>(&peer), 4));
  }

  void ReportsTheFirstRefusalThenOncePerMinute() {
    const PeerFilter filter = PeerFilter::parse("10.0.0.5");
    const auto start = std::chrono::steady_clock::now();
    const auto first = filter.note_refusal(start);
    CPPUNIT_ASSERT(first);
    CPPUNIT_ASSERT_EQUAL(
        std::string("refused 1 connection from a peer not listed in FCGI_WEB_SERVER_ADDRS"),
        *first);
    CPPUNIT_ASSERT(!filter.note_refusal(start + std::chrono::seconds(1)));
    CPPUNIT_ASSERT(!filter.note_refusal(start + std::chrono::seconds(59)));
    const auto later = filter.note_refusal(start + std::chrono::seconds(61));
    CPPUNIT_ASSERT(later);
    CPPUNIT_ASSERT_EQUAL(std::string("refused 3 connections from a peer not listed in "
                                     "FCGI_WEB_SERVER_ADDRS in the last minute"),
                         *later);
    CPPUNIT_ASSERT(!filter.note_refusal(start + std::chrono::seconds(62)));
  }

  void UnixSocketsIgnoreTheVariable() {
    UniqueFd fd(socket(AF_UNIX, SOCK_STREAM, 0));
    CPPUNIT_ASSERT(fd.valid());
    {
      const ScopedEnv env("FCGI_WEB_SERVER_ADDRS", "10.0.0.5");
      std::vector<std::string> notes;
      const PeerFilter filter = peer_filter_for(fd.get(), notes);
      CPPUNIT_ASSERT(!filter.restricts());
      CPPUNIT_ASSERT_EQUAL(std::size_t{1}, notes.size());
      CPPUNIT_ASSERT(notes[0].find("ignored") != std::string::npos);
    }
    {
      // Malformed, but meaningless for a unix socket: no error.
      const ScopedEnv env("FCGI_WEB_SERVER_ADDRS", "not an address");
      std::vector<std::string> notes;
      CPPUNIT_ASSERT(!peer_filter_for(fd.get(), notes).restricts());
    }
    {
      const ScopedEnv env("FCGI_WEB_SERVER_ADDRS", nullptr);
      std::vector<std::string> notes;
      CPPUNIT_ASSERT(!peer_filter_for(fd.get(), notes).restricts());
      CPPUNIT_ASSERT(notes.empty());
    }
  }

  void TcpSocketsReadTheVariable() {
    const UniqueFd fd = listening_tcp("127.0.0.1", AF_INET);
    {
      const ScopedEnv env("FCGI_WEB_SERVER_ADDRS", "127.0.0.2");
      std::vector<std::string> notes;
      const PeerFilter filter = peer_filter_for(fd.get(), notes);
      CPPUNIT_ASSERT(filter.restricts());
      CPPUNIT_ASSERT(notes.empty());
      CPPUNIT_ASSERT(!allows(filter, v4("127.0.0.1")));
      CPPUNIT_ASSERT(allows(filter, v4("127.0.0.2")));
    }
    {
      const ScopedEnv env("FCGI_WEB_SERVER_ADDRS", "127.0.0.1,web.example");
      std::vector<std::string> notes;
      CPPUNIT_ASSERT_THROW(peer_filter_for(fd.get(), notes), Error);
    }
    {
      const ScopedEnv env("FCGI_WEB_SERVER_ADDRS", nullptr);
      std::vector<std::string> notes;
      CPPUNIT_ASSERT(!peer_filter_for(fd.get(), notes).restricts());
      CPPUNIT_ASSERT(notes.empty());  // a loopback address needs no warning
    }
  }

  void WarnsAboutAWildcardSocketWithoutAList() {
    const ScopedEnv env("FCGI_WEB_SERVER_ADDRS", nullptr);
    // An unbound TCP socket reports the wildcard address: nothing here
    // listens beyond 127.0.0.1.
    for (const int family : {AF_INET, AF_INET6}) {
      const UniqueFd fd(socket(family, SOCK_STREAM, 0));
      CPPUNIT_ASSERT(fd.valid());
      std::vector<std::string> notes;
      CPPUNIT_ASSERT(!peer_filter_for(fd.get(), notes).restricts());
      CPPUNIT_ASSERT_EQUAL(std::size_t{1}, notes.size());
      CPPUNIT_ASSERT(notes[0].find("every network interface") != std::string::npos);
    }
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PeerFilterTest);

}  // namespace sealform::fcgi
