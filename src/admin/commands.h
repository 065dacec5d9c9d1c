// commands.h: sealform-admin's subcommands and what they share.
//
// Each command is a function from its arguments to an exit status:
//   0 done, 1 runtime error, 2 usage or config error, 3 not found.
// Errors go to stderr on one line; personal data goes only to stdout, and
// only from commands whose purpose is to show it.
#ifndef SEALFORM_ADMIN_COMMANDS_H_
#define SEALFORM_ADMIN_COMMANDS_H_

#include <string>
#include <vector>

#include "core/config.h"

namespace sealform::admin {

// kKept: erase did what it could, but kept records (under legal hold) that
// the person asked to have erased: not a "done" to pass on.
enum ExitCode { kOk = 0, kRuntimeError = 1, kUsageError = 2, kNotFound = 3, kKept = 4 };

struct Invocation {
  std::string config_path;         // from --config, may be empty
  std::vector<std::string> args;   // after the command name
};

// Thrown for a usage error; main prints the message and the command's usage.
class UsageError : public Error {
 public:
  explicit UsageError(const std::string& m) : Error(m) {}
};

// Thrown when the reference or address asked for is not held (exit 3).
class NotFound : public Error {
 public:
  explicit NotFound(const std::string& m) : Error(m) {}
};

// One function per command; each parses inv.args and throws UsageError,
// NotFound or sealform::Error, which main turns into the exit status.
int cmd_keygen(const Invocation& inv);
int cmd_keys(const Invocation& inv);      // keys | keys rotate
int cmd_rekey(const Invocation& inv);
int cmd_list(const Invocation& inv);
int cmd_show(const Invocation& inv);
int cmd_find(const Invocation& inv);
int cmd_export(const Invocation& inv);
int cmd_resolve(const Invocation& inv);
int cmd_reopen(const Invocation& inv);
int cmd_correct(const Invocation& inv);
int cmd_withdraw(const Invocation& inv);
int cmd_erase(const Invocation& inv);
int cmd_audit(const Invocation& inv);
int cmd_hold(const Invocation& inv);      // legal holds (hold.cc)
int cmd_release(const Invocation& inv);
int cmd_holds(const Invocation& inv);

}  // namespace sealform::admin

#endif  // SEALFORM_ADMIN_COMMANDS_H_
