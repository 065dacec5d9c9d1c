// session.h: what sealform-admin's commands share once they run.
//
// A Session holds the configuration, the enquiry database (RecordStore,
// with the audit trail), the hold store, the blind-index subkey, the
// private keys (loaded on first use, one per key id) and the streams the
// command writes to. Commands are functions of a Session and their parsed
// arguments, so the unit tests run them against a temporary database with
// a fake hold store and string streams. open_session() (session_open.cc)
// builds the real one; a Session lives as long as one command.
//
// Personal data goes to `out` only from commands whose purpose is to show
// it; `err` gets one line per problem, never a field value.
#ifndef SEALFORM_ADMIN_SESSION_H_
#define SEALFORM_ADMIN_SESSION_H_

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "admin/commands.h"
#include "core/hold_store.h"
#include "core/records.h"
#include "open/open.h"

namespace sealform::admin {

// Private keys from the key directory, loaded when first needed. A key
// that cannot be loaded is remembered with its error, so a listing reports
// it per record without retrying.
class Keyring {
 public:
  // With no passphrase given and `may_prompt`, a passphrase-protected key
  // makes it ask on the terminal, once.
  Keyring(std::string directory, std::optional<std::string> passphrase, bool may_prompt = false)
      : directory_(std::move(directory)),
        passphrase_(std::move(passphrase)),
        may_prompt_(may_prompt && !passphrase_) {}
  ~Keyring();  // wipes the passphrase
  Keyring(const Keyring&) = delete;
  Keyring& operator=(const Keyring&) = delete;

  // Throws sealform::Error (missing file, wrong mode, wrong passphrase).
  const SealPrivateKey& key(const std::string& id);

  const std::string& directory() const { return directory_; }
  const std::optional<std::string>& passphrase() const { return passphrase_; }
  // The passphrase given, else (if allowed) one asked for on the terminal
  // now, typed twice; nullopt when there is neither.
  const std::optional<std::string>& passphrase_for_new_key();

 private:
  std::string directory_;
  std::optional<std::string> passphrase_;
  bool may_prompt_;
  std::map<std::string, SealPrivateKey> keys_;
  std::map<std::string, std::string> failures_;
};

struct Session {
  Config config;
  std::unique_ptr<RecordStore> records;
  std::unique_ptr<HoldStore> holds;  // null: no hold store configured
  SecretBytes index_key;             // blind-index subkey of web.secret
  std::unique_ptr<Keyring> keyring;
  std::string actor;                 // login name for audit rows
  std::function<std::int64_t()> now;
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  std::istream* in = nullptr;        // confirmation prompts

  AuditNote note(const std::string& action, const std::string& detail = "") const {
    return AuditNote{now(), actor, action, detail};
  }
};

// Plaintext of one record's fields, wiped when it dies. `errors` has one
// line per field (or data key) that could not be opened, in the form
// "ENQ-...: cannot open field 'name': authentication failed".
struct OpenedRecord {
  OpenedRecord() = default;
  ~OpenedRecord();
  OpenedRecord(OpenedRecord&&) = default;
  OpenedRecord(const OpenedRecord&) = delete;
  OpenedRecord& operator=(const OpenedRecord&) = delete;

  std::map<std::string, std::string> fields;
  std::vector<std::string> errors;
};

// Opens every field it can; never throws for a damaged record.
OpenedRecord open_fields(Keyring& keyring, const EnquiryRecord& record);

// A record from the enquiry database or, failing that, the hold store.
struct Located {
  EnquiryRecord record;
  bool held = false;
};
std::optional<Located> locate(Session& session, const std::string& reference);

// "held", "resolved" or "open".
inline const char* status_name(const Located& located) {
  if (located.held) return "held";
  return located.record.resolved() ? "resolved" : "open";
}

// The references held for an address: main store first, then held ones,
// each oldest first. Throws UsageError for an address that is not one.
std::vector<Located> locate_by_email(Session& session, const std::string& address);

// The blind index of a typed address (checked and put in stored form).
std::string email_index_of(const Session& session, const std::string& address);

// A canonical reference from what staff typed; UsageError if malformed.
std::string reference_arg(const std::string& text);

// "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS][Z]", UTC; UsageError otherwise.
std::int64_t parse_date(const std::string& text);
// ISO 8601 UTC, "2026-11-29T10:12:33Z".
std::string format_time(std::int64_t unix_seconds);

// Parsed command-line arguments: `--flag`, `--option VALUE`, positionals;
// after `--`, every word is a positional. An unknown option is a
// UsageError that names the known ones, never the word itself.
class Args {
 public:
  Args(const std::string& command, const std::vector<std::string>& args,
       const std::set<std::string>& flags, const std::set<std::string>& options);
  bool has(const std::string& flag) const { return flags_.count(flag) != 0; }
  std::optional<std::string> value(const std::string& option) const;
  const std::vector<std::string>& positionals() const { return positionals_; }
  // UsageError unless there are between `min` and `max` positionals.
  void expect_positionals(std::size_t min, std::size_t max) const;

 private:
  std::string command_;
  std::set<std::string> flags_;
  std::map<std::string, std::string> values_;
  std::vector<std::string> positionals_;
};

// The real session for a command (session_open.cc): loads the config,
// web.secret, opens both stores; the passphrase comes from
// --passphrase-file, else $SEALFORM_PASSPHRASE_FILE, else none.
Session open_session(const Invocation& inv, const Args& args);

// Options every command that reads private keys accepts.
inline const std::set<std::string> kKeyOptions = {"--passphrase-file"};

}  // namespace sealform::admin

#endif  // SEALFORM_ADMIN_SESSION_H_
