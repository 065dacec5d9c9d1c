// session.cc: the pieces commands share (session.h): private keys,
// opening records field by field, lookups across both stores, dates and
// argument parsing.
#include "admin/session.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <ctime>

#include "admin/passphrase.h"
#include "core/email.h"
#include "core/keys.h"
#include "core/reference.h"
#include "core/seal.h"
#include "core/secret.h"
#include "core/utf8.h"

namespace sealform::admin {
namespace {

// The part of an open.h message after "<what> <reference>: ", so that the
// report reads "ENQ-...: cannot open field 'name': authentication failed".
std::string reason_after(const std::string& message, const std::string& prefix) {
  return message.compare(0, prefix.size(), prefix) == 0 ? message.substr(prefix.size())
                                                         : message;
}

}  // namespace

Keyring::~Keyring() {
  if (passphrase_) wipe(*passphrase_);
}

const SealPrivateKey& Keyring::key(const std::string& id) {
  if (auto it = keys_.find(id); it != keys_.end()) return it->second;
  if (auto it = failures_.find(id); it != failures_.end()) throw Error(it->second);
  if (!is_key_id(id)) {
    failures_[id] = "the record names a malformed key id";
    throw Error(failures_[id]);
  }
  const std::string path = private_key_path(directory_, id);
  try {
    try {
      SealPrivateKey key = SealPrivateKey::load(path, passphrase_);
      return keys_.emplace(id, std::move(key)).first->second;
    } catch (const PassphraseNeeded&) {
      if (!may_prompt_) throw;
      may_prompt_ = false;  // asks once
      passphrase_ = read_passphrase_file("");
      SealPrivateKey key = SealPrivateKey::load(path, passphrase_);
      return keys_.emplace(id, std::move(key)).first->second;
    }
  } catch (const Error& e) {
    failures_[id] = e.what();
    throw;
  }
}

const std::optional<std::string>& Keyring::passphrase_for_new_key() {
  if (!passphrase_ && may_prompt_) {
    may_prompt_ = false;
    passphrase_ = read_new_passphrase();
  }
  return passphrase_;
}

OpenedRecord::~OpenedRecord() {
  for (auto& entry : fields) OPENSSL_cleanse(entry.second.data(), entry.second.size());
}

OpenedRecord open_fields(Keyring& keyring, const EnquiryRecord& record) {
  OpenedRecord opened;
  const std::string& reference = record.reference;
  SecretBytes data_key;
  try {
    const SealPrivateKey& key = keyring.key(record.sealed.key_id);
    data_key = unwrap_data_key(key, reference, record.sealed.wrapped_key);
  } catch (const Error& e) {
    const std::string prefix = "cannot unwrap the data key of " + reference + ": ";
    const std::string message = e.what();
    opened.errors.push_back(reference + ": " +
                            (message.compare(0, prefix.size(), prefix) == 0
                                 ? "cannot unwrap the data key: " + message.substr(prefix.size())
                                 : "key " + record.sealed.key_id + ": " + message));
    return opened;
  }
  for (const auto& [name, blob] : record.sealed.fields) {
    try {
      opened.fields[name] = decrypt_field(data_key, reference, name, blob);
    } catch (const Error& e) {
      const std::string prefix = "cannot open field '" + name + "' of " + reference + ": ";
      opened.errors.push_back(reference + ": cannot open field '" + name +
                              "': " + reason_after(e.what(), prefix));
    }
  }
  return opened;
}

std::optional<Located> locate(Session& session, const std::string& reference) {
  if (auto record = session.records->find(reference)) return Located{std::move(*record), false};
  if (session.holds) {
    if (auto record = session.holds->find(reference)) return Located{std::move(*record), true};
  }
  return std::nullopt;
}

std::string email_index_of(const Session& session, const std::string& address) {
  const std::string trimmed = utf8::trim(address);
  if (!utf8::is_valid(trimmed)) throw UsageError("the address is not valid UTF-8");
  const EmailCheck check = check_email(trimmed);
  if (!check.ok) throw UsageError("the address given is not a valid email address");
  return blind_index(session.index_key, check.address);
}

std::vector<Located> locate_by_email(Session& session, const std::string& address) {
  const std::string index = email_index_of(session, address);
  std::vector<Located> found;
  for (const std::string& reference : session.records->find_by_email_index(index)) {
    if (auto record = session.records->find(reference)) found.push_back({std::move(*record), false});
  }
  if (session.holds) {
    for (const std::string& reference : session.holds->find_by_email_index(index)) {
      if (auto record = session.holds->find(reference)) found.push_back({std::move(*record), true});
    }
  }
  return found;
}

std::string reference_arg(const std::string& text) {
  std::optional<std::string> reference = parse_reference(text);
  // Not echoed: the argument may be a personal value typed in the wrong
  // place (an email address without --email).
  if (!reference) throw UsageError("expected an enquiry reference (ENQ-XXXXX-XXXXX)");
  return *reference;
}

std::int64_t parse_date(const std::string& text) {
  for (const char* format : {"%Y-%m-%d", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S",
                             "%Y-%m-%dT%H:%MZ", "%Y-%m-%dT%H:%M"}) {
    std::tm tm{};
    const char* end = strptime(text.c_str(), format, &tm);
    if (end != nullptr && *end == '\0') return static_cast<std::int64_t>(timegm(&tm));
  }
  throw UsageError("expected a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)");
}

std::string format_time(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

Args::Args(const std::string& command, const std::vector<std::string>& args,
           const std::set<std::string>& flags, const std::set<std::string>& options)
    : command_(command) {
  bool options_ended = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_ended) {
      positionals_.push_back(arg);
    } else if (arg == "--") {
      options_ended = true;  // what follows is values, even if it starts with '-'
    } else if (flags.count(arg) != 0) {
      flags_.insert(arg);
    } else if (options.count(arg) != 0) {
      if (i + 1 >= args.size()) throw UsageError(command + ": " + arg + " needs a value");
      values_[arg] = args[++i];
    } else if (arg.size() > 1 && arg[0] == '-') {
      // The word is not echoed: it may be a personal value that starts
      // with '-'. The known options are named instead.
      std::string known;
      for (const auto* names : {&flags, &options}) {
        for (const std::string& name : *names) known += (known.empty() ? "" : ", ") + name;
      }
      throw UsageError(command + ": unknown option (" +
                       (known.empty() ? "this command takes none" : "known: " + known) +
                       "); put -- before a value that starts with '-'");
    } else {
      positionals_.push_back(arg);
    }
  }
}

std::optional<std::string> Args::value(const std::string& option) const {
  auto it = values_.find(option);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

void Args::expect_positionals(std::size_t min, std::size_t max) const {
  if (positionals_.size() < min) throw UsageError(command_ + ": missing argument");
  if (positionals_.size() > max) {
    // The extra words are not echoed: they may be part of a personal value.
    throw UsageError(command_ + ": too many arguments (quote a value that has spaces)");
  }
}

}  // namespace sealform::admin
