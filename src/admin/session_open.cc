// session_open.cc: building the Session a real command runs with.
//
// Kept apart from session.cc so that the unit tests, which build their
// Session by hand around a fake hold store, do not link the real stores.
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <iostream>

#include "admin/passphrase.h"
#include "admin/session.h"
#include "core/keys.h"

namespace sealform::admin {

Session open_session(const Invocation& inv, const Args& args) {
  Session session;
  session.config = load_config(resolve_config_path(inv.config_path));
  const std::string& directory = session.config.key_directory;
  const SecretBytes web_secret = load_web_secret(web_secret_path(directory));
  session.index_key = derive_subkey(web_secret, Subkey::kBlindIndex);
  session.records = open_sqlite_records(session.config, derive_subkey(web_secret, Subkey::kAudit));
  if (!session.config.hold_database.empty()) session.holds = open_hold_store(session.config);

  std::optional<std::string> passphrase_file = args.value("--passphrase-file");
  if (!passphrase_file) {
    const char* from_env = std::getenv("SEALFORM_PASSPHRASE_FILE");
    if (from_env != nullptr && *from_env != '\0') passphrase_file = from_env;
  }
  std::optional<std::string> passphrase;
  if (passphrase_file) passphrase = read_passphrase_file(*passphrase_file);
  // Without a file, a protected key is asked for on the terminal, if any.
  session.keyring =
      std::make_unique<Keyring>(directory, std::move(passphrase), isatty(STDIN_FILENO) == 1);

  session.actor = current_login_name();
  session.now = [] { return static_cast<std::int64_t>(std::time(nullptr)); };
  session.out = &std::cout;
  session.err = &std::cerr;
  session.in = &std::cin;
  return session;
}

}  // namespace sealform::admin
