// Tests for the private-key guard and the notify command.
#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "core/error.h"
#include "core/keys.h"
#include "test_util.h"
#include "web/notify.h"
#include "web/private_key_guard.h"

namespace sealform::web {
namespace {

// Runs `check` as the unprivileged user "nobody" when the tests run as
// root (root can read every file); returns its answer.
bool as_unprivileged(bool (*check)(const std::string&), const std::string& dir) {
  if (geteuid() != 0) return check(dir);
  const pid_t child = fork();
  if (child == 0) {
    bool ok = false;
    try {
      ok = setgid(65534) == 0 && setuid(65534) == 0 && check(dir);
    } catch (...) {
    }
    _exit(ok ? 0 : 1);
  }
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

bool guard_passes(const std::string& dir) {
  try {
    refuse_readable_private_keys(dir);
    return true;
  } catch (const Error&) {
    return false;
  }
}

bool guard_refuses(const std::string& dir) { return !guard_passes(dir); }

}  // namespace

class WebGuardTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(WebGuardTest);
  CPPUNIT_TEST(UnreadablePrivateKeyIsAccepted);
  CPPUNIT_TEST(ReadablePrivateKeyIsRefused);
  CPPUNIT_TEST(KeyInADirectoryThatCannotBeListedIsRefused);
  CPPUNIT_TEST(LinkedOrCopiedKeyIsRefused);
  CPPUNIT_TEST(NotifyGetsReferenceAndCategoryOnly);
  CPPUNIT_TEST(NotifyGetsNoRequestEnvironment);
  CPPUNIT_TEST_SUITE_END();

 public:
  void UnreadablePrivateKeyIsAccepted() {
    test::TempDir dir;
    ::chmod(dir.path().c_str(), 0755);
    create_web_secret(dir.path());
    create_seal_key_pair(dir.path(), std::nullopt);  // private key 0600, owned by us
    if (geteuid() == 0) {
      // Root itself can read it: refused.
      CPPUNIT_ASSERT(guard_refuses(dir.path()));
    }
    CPPUNIT_ASSERT(as_unprivileged(&guard_passes, dir.path()));
  }

  void ReadablePrivateKeyIsRefused() {
    test::TempDir dir;
    ::chmod(dir.path().c_str(), 0755);
    const std::string id = create_seal_key_pair(dir.path(), std::nullopt);
    ::chmod(private_key_path(dir.path(), id).c_str(), 0644);
    CPPUNIT_ASSERT(as_unprivileged(&guard_refuses, dir.path()));
    try {
      refuse_readable_private_keys(dir.path());
      CPPUNIT_FAIL("a readable private key must be refused");
    } catch (const Error& e) {
      CPPUNIT_ASSERT(std::string(e.what()).find(private_key_path(dir.path(), id)) !=
                     std::string::npos);
    }
  }

  // A directory the web user may search but not list (0711): it still
  // finds the current key by its name.
  void KeyInADirectoryThatCannotBeListedIsRefused() {
    test::TempDir dir;
    const std::string id = create_seal_key_pair(dir.path(), std::nullopt);
    ::chmod(private_key_path(dir.path(), id).c_str(), 0644);
    ::chmod(dir.path().c_str(), 0711);
    CPPUNIT_ASSERT(as_unprivileged(&guard_refuses, dir.path()));
    ::chmod(private_key_path(dir.path(), id).c_str(), 0600);
    CPPUNIT_ASSERT(as_unprivileged(&guard_passes, dir.path()));
  }

  // seal-<id>.key as a link to a readable file, or a readable copy under
  // another name: what counts is what the process can read.
  void LinkedOrCopiedKeyIsRefused() {
    test::TempDir dir;
    test::TempDir elsewhere;
    ::chmod(dir.path().c_str(), 0755);
    ::chmod(elsewhere.path().c_str(), 0755);
    const std::string id = create_seal_key_pair(dir.path(), std::nullopt);
    const std::string key = private_key_path(dir.path(), id);
    const std::string moved = elsewhere.file("moved.key");
    CPPUNIT_ASSERT_EQUAL(0, ::rename(key.c_str(), moved.c_str()));
    ::chmod(moved.c_str(), 0644);
    CPPUNIT_ASSERT_EQUAL(0, ::symlink(moved.c_str(), key.c_str()));
    CPPUNIT_ASSERT(as_unprivileged(&guard_refuses, dir.path()));
    ::unlink(key.c_str());
    CPPUNIT_ASSERT_EQUAL(0, ::rename(moved.c_str(), key.c_str()));
    ::chmod(key.c_str(), 0600);
    CPPUNIT_ASSERT(as_unprivileged(&guard_passes, dir.path()));
    const std::string copy = key + ".bak";
    test::write_file(copy, test::read_file(key));
    ::chmod(copy.c_str(), 0644);
    CPPUNIT_ASSERT(as_unprivileged(&guard_refuses, dir.path()));
  }

  void NotifyGetsReferenceAndCategoryOnly() {
    test::TempDir dir;
    const std::string out = dir.file("notified");
    CPPUNIT_ASSERT(notify_new_enquiry("printf '%s|' >" + out, "ENQ-7K3QD-M9XA2", "media"));
    std::string got;
    for (int i = 0; i < 100 && got.size() < 21; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      got = test::read_file(out);
    }
    CPPUNIT_ASSERT_EQUAL(std::string("ENQ-7K3QD-M9XA2|media|"), got);
    CPPUNIT_ASSERT(notify_new_enquiry("", "ENQ-7K3QD-M9XA2", "media"));
  }

  // Run as a CGI program the process's environment is the request's: none
  // of it reaches the command but the few variables a script needs.
  void NotifyGetsNoRequestEnvironment() {
    const char* const request[] = {"REMOTE_ADDR=203.0.113.7",
                                   "HTTP_COOKIE=sid=abc",
                                   "HTTP_PROXY=http://proxy.invalid:8080",
                                   "QUERY_STRING=x=1",
                                   "LANG=C.UTF-8",
                                   "PATHX=/nowhere",
                                   "TZ",
                                   nullptr};
    CPPUNIT_ASSERT(notify_environment(request) ==
                   (std::vector<std::string>{"LANG=C.UTF-8", "PATH=/usr/local/bin:/usr/bin:/bin"}));
    const char* const service[] = {"PATH=/opt/bin:/usr/bin", "TZ=UTC", "HOME=/root", nullptr};
    CPPUNIT_ASSERT(notify_environment(service) ==
                   (std::vector<std::string>{"PATH=/opt/bin:/usr/bin", "TZ=UTC"}));
    // And the command really runs with that list.
    test::TempDir dir;
    const std::string out = dir.file("env");
    ::setenv("HTTP_PROXY", "http://proxy.invalid:8080", 1);
    CPPUNIT_ASSERT(
        notify_new_enquiry("env >" + out + "; echo done >>" + out, "ENQ-7K3QD-M9XA2", "media"));
    ::unsetenv("HTTP_PROXY");
    std::string got;
    for (int i = 0; i < 100 && got.find("done") == std::string::npos; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      got = test::read_file(out);
    }
    CPPUNIT_ASSERT(got.find("done") != std::string::npos);
    CPPUNIT_ASSERT(got.find("HTTP_PROXY") == std::string::npos);
    CPPUNIT_ASSERT(got.find("PATH=") != std::string::npos);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WebGuardTest);

}  // namespace sealform::web
