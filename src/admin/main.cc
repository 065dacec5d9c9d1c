// sealform-admin: keys, the staff workflow and data-subject requests.
//
// git-style: sealform-admin [--config FILE] COMMAND [ARGS...]; `--help`
// on the program or a command prints its usage. This file only parses the
// global options and dispatches; each command lives in its own file.
#include <cstring>
#include <iostream>
#include <map>

#include "admin/commands.h"

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
  };
  return table;
}

void print_usage(std::ostream& out) {
  out << "usage: sealform-admin [--config FILE] COMMAND [ARGS...]\n\ncommands:\n";
  for (const auto& [name, command] : commands()) {
    out << "  " << command.usage << "\n      " << command.summary << "\n";
  }
  out << "\nThe configuration comes from --config, else $SEALFORM_CONFIG, else\n"
         "/etc/sealform/sealform.conf. Exit status: 0 done, 1 runtime error,\n"
         "2 usage or config error, 3 not found.\n";
}

}  // namespace

int main(int argc, char** argv) {
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
    std::cerr << "sealform-admin: unknown command '" << name << "'\n";
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
  } catch (const sealform::ConfigError& e) {
    std::cerr << "sealform-admin: " << e.what() << "\n";
    return sealform::admin::kUsageError;
  } catch (const std::exception& e) {
    std::cerr << "sealform-admin: " << e.what() << "\n";
    return sealform::admin::kRuntimeError;
  }
}
