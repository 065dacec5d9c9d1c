// commands.cc: the command-line side of each sealform-admin command:
// parse its arguments (UsageError on a mistake), open the Session, and
// hand over to the logic in actions.h. Nothing here touches data.
#include <initializer_list>
#include <set>
#include <string>

#include "admin/actions.h"
#include "admin/commands.h"

namespace sealform::admin {
namespace {

constexpr std::size_t kDefaultRekeyBatch = 100;
constexpr std::size_t kMaxRekeyBatch = 10000;

// kKeyOptions plus `more`.
std::set<std::string> with_key_options(std::initializer_list<const char*> more) {
  std::set<std::string> options = kKeyOptions;
  for (const char* option : more) options.insert(option);
  return options;
}

}  // namespace

int cmd_list(const Invocation& inv) {
  const Args args("list", inv.args, {"--with-names"},
                  with_key_options({"--status", "--since", "--category"}));
  args.expect_positionals(0, 0);
  ListFilter filter;
  filter.status = StatusFilter::kOpen;
  bool include_held = false;
  if (auto status = args.value("--status")) {
    if (*status == "open") {
      filter.status = StatusFilter::kOpen;
    } else if (*status == "resolved") {
      filter.status = StatusFilter::kResolved;
    } else if (*status == "all") {
      filter.status = StatusFilter::kAll;
      include_held = true;
    } else {
      throw UsageError("list: --status must be open, resolved or all");
    }
  }
  if (auto since = args.value("--since")) filter.since = parse_date(*since);
  filter.category = args.value("--category");
  Session session = open_session(inv, args);
  return run_list(session, filter, include_held, args.has("--with-names"));
}

int cmd_show(const Invocation& inv) {
  const Args args("show", inv.args, {}, kKeyOptions);
  args.expect_positionals(1, 1);
  const std::string reference = reference_arg(args.positionals()[0]);
  Session session = open_session(inv, args);
  return run_show(session, reference);
}

int cmd_find(const Invocation& inv) {
  const Args args("find", inv.args, {}, {"--email"});
  args.expect_positionals(0, 0);
  const std::optional<std::string> address = args.value("--email");
  if (!address) throw UsageError("find: --email ADDR is required");
  Session session = open_session(inv, args);
  return run_find(session, *address);
}

int cmd_export(const Invocation& inv) {
  const Args args("export", inv.args, {}, with_key_options({"--email", "--format"}));
  args.expect_positionals(0, 0);
  const std::optional<std::string> address = args.value("--email");
  if (!address) throw UsageError("export: --email ADDR is required");
  ExportFormat format = ExportFormat::kJson;
  if (auto name = args.value("--format")) {
    if (*name == "text") {
      format = ExportFormat::kText;
    } else if (*name != "json") {
      throw UsageError("export: --format must be json or text");
    }
  }
  Session session = open_session(inv, args);
  return run_export(session, *address, format);
}

int cmd_resolve(const Invocation& inv) {
  const Args args("resolve", inv.args, {}, {});
  args.expect_positionals(1, 1);
  const std::string reference = reference_arg(args.positionals()[0]);
  Session session = open_session(inv, args);
  return run_resolve(session, reference);
}

int cmd_reopen(const Invocation& inv) {
  const Args args("reopen", inv.args, {}, {});
  args.expect_positionals(1, 1);
  const std::string reference = reference_arg(args.positionals()[0]);
  Session session = open_session(inv, args);
  return run_reopen(session, reference);
}

int cmd_correct(const Invocation& inv) {
  const Args args("correct", inv.args, {}, kKeyOptions);
  args.expect_positionals(3, 3);
  const std::string reference = reference_arg(args.positionals()[0]);
  Session session = open_session(inv, args);
  return run_correct(session, reference, args.positionals()[1], args.positionals()[2]);
}

int cmd_withdraw(const Invocation& inv) {
  const Args args("withdraw", inv.args, {}, {"--email"});
  args.expect_positionals(0, 0);
  const std::optional<std::string> address = args.value("--email");
  if (!address) throw UsageError("withdraw: --email ADDR is required");
  Session session = open_session(inv, args);
  return run_withdraw(session, *address);
}

int cmd_erase(const Invocation& inv) {
  const Args args("erase", inv.args, {"--yes", "--include-held"}, {"--email", "--reason"});
  args.expect_positionals(0, 1);
  EraseRequest request;
  request.address = args.value("--email");
  if (!args.positionals().empty()) request.reference = reference_arg(args.positionals()[0]);
  if (request.address.has_value() == request.reference.has_value()) {
    throw UsageError("erase: give either --email ADDR or a reference");
  }
  request.yes = args.has("--yes");
  request.include_held = args.has("--include-held");
  request.reason = args.value("--reason").value_or("");
  Session session = open_session(inv, args);
  return run_erase(session, request);
}

int cmd_keys(const Invocation& inv) {
  const Args args("keys", inv.args, {}, kKeyOptions);
  args.expect_positionals(0, 1);
  if (!args.positionals().empty() && args.positionals()[0] != "rotate") {
    throw UsageError("keys: the only subcommand is 'rotate'");
  }
  Session session = open_session(inv, args);
  return args.positionals().empty() ? run_keys(session) : run_keys_rotate(session);
}

int cmd_rekey(const Invocation& inv) {
  const Args args("rekey", inv.args, {}, with_key_options({"--batch"}));
  args.expect_positionals(0, 0);
  std::size_t batch = kDefaultRekeyBatch;
  if (auto text = args.value("--batch")) {
    try {
      batch = static_cast<std::size_t>(std::stoul(*text));
    } catch (const std::exception&) {
      batch = 0;
    }
    if (batch == 0 || batch > kMaxRekeyBatch) throw UsageError("rekey: --batch must be 1..10000");
  }
  Session session = open_session(inv, args);
  return run_rekey(session, batch);
}

int cmd_audit(const Invocation& inv) {
  const Args args("audit", inv.args, {"--verify"}, {"--since"});
  args.expect_positionals(0, 0);
  std::optional<std::int64_t> since;
  if (auto text = args.value("--since")) since = parse_date(*text);
  Session session = open_session(inv, args);
  return run_audit(session, since, args.has("--verify"));
}

}  // namespace sealform::admin
