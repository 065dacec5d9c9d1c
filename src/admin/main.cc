// sealform-admin: keys, the staff workflow and data-subject requests.
//
// git-style: sealform-admin [--config FILE] COMMAND [ARGS...]; `--help`
// on the program or a command prints its usage. This file only parses the
// global options and dispatches; each command lives in its own file.
#include <sys/stat.h>

#include <cstring>
#include <iostream>
#include <map>

#include "admin/commands.h"
#include "core/config.h"

namespace {

using sealform::admin::Invocation;

struct Command {
  int (*run)(const Invocation&);
  const char* usage;
  const char* summary;
};

const std::map<std::string, Command>& commands() {
  static const std::map<std::string, Command> table = {
      {"keygen",
       {&sealform::admin::cmd_keygen, "keygen [--passphrase-file FILE | --passphrase-prompt]",
        "create web.secret and a seal key pair in the key directory (never overwrites)"}},
      {"keys",
       {&sealform::admin::cmd_keys, "keys [rotate] [--passphrase-file FILE]",
        "list key ids and the records each wraps; `rotate` makes a new current pair"}},
      {"rekey",
       {&sealform::admin::cmd_rekey, "rekey [--batch N] [--passphrase-file FILE]",
        "re-wrap every data key to the current pair (resumable, safe while intake runs)"}},
      {"list",
       {&sealform::admin::cmd_list,
        "list [--status open|resolved|all] [--since DATE] [--category C] [--with-names]",
        "enquiries, oldest first (default: open); --with-names opens name and email"}},
      {"show",
       {&sealform::admin::cmd_show, "show REF [--passphrase-file FILE]",
        "every field of one enquiry, decrypted, with its metadata"}},
      {"resolve",
       {&sealform::admin::cmd_resolve, "resolve REF",
        "mark an enquiry resolved (starts the retention clock)"}},
      {"reopen",
       {&sealform::admin::cmd_reopen, "reopen REF", "clear the resolution time"}},
      {"find",
       {&sealform::admin::cmd_find, "find --email ADDR",
        "the references held for an address (blind index; no private key needed)"}},
      {"export",
       {&sealform::admin::cmd_export, "export --email ADDR [--format json|text]",
        "everything held about a person (access and portability requests)"}},
      {"correct",
       {&sealform::admin::cmd_correct, "correct REF FIELD VALUE [--passphrase-file FILE]",
        "re-validate and re-encrypt one field (name, company, job_title, email, message)"}},
      {"erase",
       {&sealform::admin::cmd_erase,
        "erase (--email ADDR | REF) [--yes] [--include-held --reason TEXT]",
        "erase at once, leaving no recoverable bytes; reports what was kept and why"}},
      {"withdraw",
       {&sealform::admin::cmd_withdraw, "withdraw --email ADDR",
        "clear a person's retention opt-in (normal retention then applies)"}},
      {"audit",
       {&sealform::admin::cmd_audit, "audit [--since DATE] [--verify]",
        "the tamper-evident audit trail; --verify checks the whole chain"}},
      {"hold",
       {&sealform::admin::cmd_hold, "hold REF --reason TEXT",
        "place a legal hold: move the record to the hold store (or add a hold)"}},
      {"release",
       {&sealform::admin::cmd_release, "release REF [--hold ID]",
        "remove one hold (or all); the record moves back when none remains"}},
      {"holds", {&sealform::admin::cmd_holds, "holds", "list held records with their holds"}},
  };
  return table;
}

void print_usage(std::ostream& out) {
  out << "usage: sealform-admin [--config FILE] COMMAND [ARGS...]\n\ncommands:\n";
  for (const auto& [name, command] : commands()) {
    out << "  " << command.usage << "\n      " << command.summary << "\n";
  }
  out << "\nThe configuration comes from --config, else $SEALFORM_CONFIG, else\n"
      << sealform::default_config_path()
      << ".\nExit status: 0 done, 1 runtime error, 2 usage or config error,\n"
         "3 not found, 4 erase kept records under a legal hold.\n";
}

}  // namespace

int main(int argc, char** argv) {
  // What this program creates holds personal data (a database it opens
  // first, its -wal and -shm) or keys: owner-only unless a mode is set
  // on purpose (web.secret, the public key, the key directory).
  umask(0077);
  Invocation inv;
  int i = 1;
  for (; i < argc; ++i) {
    if (std::strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
      inv.config_path = argv[++i];
    } else if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      print_usage(std::cout);
      return 0;
    } else {
      break;
    }
  }
  if (i >= argc) {
    print_usage(std::cerr);
    return sealform::admin::kUsageError;
  }
  const std::string name = argv[i++];
  auto it = commands().find(name);
  if (it == commands().end()) {
    std::cerr << "sealform-admin: unknown command\n";  // not echoed: it may be a personal value
    print_usage(std::cerr);
    return sealform::admin::kUsageError;
  }
  for (; i < argc; ++i) inv.args.emplace_back(argv[i]);
  for (const auto& arg : inv.args) {
    if (arg == "--help" || arg == "-h") {
      std::cout << "usage: sealform-admin [--config FILE] " << it->second.usage << "\n  "
                << it->second.summary << "\n";
      return 0;
    }
  }
  try {
    return it->second.run(inv);
  } catch (const sealform::admin::UsageError& e) {
    std::cerr << "sealform-admin: " << e.what() << "\nusage: sealform-admin [--config FILE] "
              << it->second.usage << "\n";
    return sealform::admin::kUsageError;
  } catch (const sealform::admin::NotFound& e) {
    std::cerr << "sealform-admin: " << e.what() << "\n";
    return sealform::admin::kNotFound;
  } catch (const sealform::ConfigError& e) {
    std::cerr << "sealform-admin: " << e.what() << "\n";
    return sealform::admin::kUsageError;
  } catch (const std::exception& e) {
    std::cerr << "sealform-admin: " << e.what() << "\n";
    return sealform::admin::kRuntimeError;
  }
}
