// notify.cc: starting the notification command detached (see notify.h).
#include "web/notify.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace sealform::web {

std::vector<std::string> notify_environment(const char* const* environment) {
  static const char* const kPassed[] = {"PATH", "LANG", "LC_ALL", "TZ"};
  std::vector<std::string> kept;
  bool has_path = false;
  for (const char* const* entry = environment; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string variable(*entry);
    const std::string name = variable.substr(0, variable.find('='));
    for (const char* passed : kPassed) {
      if (name != passed || variable.size() == name.size()) continue;
      kept.push_back(variable);
      has_path = has_path || name == "PATH";
    }
  }
  if (!has_path) kept.emplace_back("PATH=/usr/local/bin:/usr/bin:/bin");
  return kept;
}

bool notify_new_enquiry(const std::string& command, const std::string& reference,
                        const std::string& category) {
  if (command.empty()) return true;

  const std::string script = command + " \"$@\"";
  const char* argv[] = {
      "/bin/sh",        "-c",   script.c_str(), "sealform-notify", reference.c_str(),
      category.c_str(), nullptr};
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attributes);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGCHLD);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGTERM);
  sigaddset(&defaults, SIGHUP);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setflags(&attributes,
                           POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  const std::vector<std::string> variables = notify_environment(environ);
  std::vector<char*> envp;
  for (const std::string& variable : variables) envp.push_back(const_cast<char*>(variable.c_str()));
  envp.push_back(nullptr);
  pid_t child = 0;
  const int rc = posix_spawn(&child, "/bin/sh", &actions, &attributes,
                             const_cast<char* const*>(argv), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (rc != 0) {
    std::fprintf(stderr, "sealform: cannot start the notify command (error %d)\n", rc);
    return false;
  }
  // Reaped by a detached thread, so no request waits for the command and
  // no zombie is left behind (the process's SIGCHLD disposition is untouched).
  std::thread([child] {
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
  }).detach();
  return true;
}

}  // namespace sealform::web
