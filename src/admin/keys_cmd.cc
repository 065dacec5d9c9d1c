// keys_cmd.cc: `keys`, `keys rotate` and `rekey`: seal key pairs and the
// data keys wrapped for them.
//
// keys lists each pair with the number of records whose data key it wraps;
// rotate makes a new pair current (sealform-fcgi picks it up on SIGHUP);
// rekey re-wraps every data key to the current pair in short batches, each
// one transaction with a compare-and-set per record, so intake keeps
// running and an interrupted rekey simply continues when run again. When
// keys shows an old pair with no records left, its files can be deleted.
#include <openssl/crypto.h>
#include <unistd.h>

#include <iomanip>
#include <iostream>
#include <set>

#include "admin/actions.h"
#include "core/keys.h"
#include "core/seal.h"
#include "open/open.h"

namespace sealform::admin {
namespace {

// Records in the hold store per key id (they are re-wrapped once released).
std::map<std::string, std::int64_t> held_usage(Session& session) {
  std::map<std::string, std::int64_t> usage;
  if (!session.holds) return usage;
  std::set<std::string> seen;
  for (const LegalHold& hold : session.holds->all_holds()) {
    if (!seen.insert(hold.reference).second) continue;
    if (auto record = session.holds->find(hold.reference)) ++usage[record->sealed.key_id];
  }
  return usage;
}

std::string current_id(const Session& session) {
  return load_current_public_key(session.config.key_directory).id;
}

}  // namespace

int run_keys(Session& session) {
  const std::string& directory = session.config.key_directory;
  const std::string current = current_id(session);
  std::map<std::string, std::int64_t> usage = session.records->key_usage();
  std::map<std::string, std::int64_t> held = held_usage(session);
  std::set<std::string> ids;
  for (const std::string& id : list_key_ids(directory)) ids.insert(id);
  for (const auto& entry : usage) ids.insert(entry.first);
  for (const auto& entry : held) ids.insert(entry.first);
  std::ostream& out = *session.out;
  out << std::left << std::setw(14) << "KEY ID" << std::setw(9) << "CURRENT" << std::setw(13)
      << "PRIVATE KEY" << std::setw(9) << "RECORDS"
      << "HELD\n";
  for (const std::string& id : ids) {
    const bool has_private = access(private_key_path(directory, id).c_str(), F_OK) == 0;
    const bool has_public = access(public_key_path(directory, id).c_str(), F_OK) == 0;
    out << std::setw(14) << id << std::setw(9) << (id == current ? "yes" : "")
        << std::setw(13) << (has_private ? "present" : has_public ? "missing" : "no pair")
        << std::setw(9) << usage[id] << held[id] << "\n";
  }
  return kOk;
}

int run_keys_rotate(Session& session) {
  const std::string& directory = session.config.key_directory;
  const std::string previous = current_id(session);
  // A protected current key is replaced by a protected one: never silently
  // by a key anyone who reads the file can use. A current private key that
  // is not here (kept offline) counts as protected.
  const std::string previous_path = private_key_path(directory, previous);
  const bool present = access(previous_path.c_str(), F_OK) == 0;
  const bool protect = !present || is_passphrase_protected(previous_path);
  const std::optional<std::string>& passphrase =
      protect ? session.keyring->passphrase_for_new_key() : session.keyring->passphrase();
  if (protect && !passphrase) {
    throw Error("the current private key " + previous_path +
                (present ? " is passphrase-protected" : " is not here (kept offline?)") +
                ", so the new one must be protected too: give --passphrase-file "
                "(or $SEALFORM_PASSPHRASE_FILE), or run on a terminal to be asked");
  }
  // The same passphrase protects both: one that does not open the current
  // key is a typo, which would lock the new key for good.
  if (passphrase && present) session.keyring->key(previous);
  const std::string id = create_seal_key_pair(directory, passphrase);
  session.records->audit("", session.note("keys-rotate", "new=" + id + "; previous=" + previous));
  *session.out << "created " << public_key_path(directory, id) << " (mode 0644)\n"
               << "created " << private_key_path(directory, id) << " (mode 0600"
               << (passphrase ? ", passphrase-protected" : "") << ")\n"
               << "current seal key: " << id << " (was " << previous << ")\n"
               << "send SIGHUP to sealform-fcgi so new enquiries use it, then run "
                  "`sealform-admin rekey`\n";
  return kOk;
}

int run_rekey(Session& session, std::size_t batch) {
  const SealPublicKey target = load_current_public_key(session.config.key_directory);
  // Before any record is re-wrapped for the current pair, its private key
  // must open (a wrong passphrase given at rotation would otherwise lock
  // every record re-wrapped for it) and undo what the public key wraps.
  try {
    const SecretBytes probe = new_data_key();
    const std::string reference = "ENQ-CHECK-00000";
    const SecretBytes back = unwrap_data_key(session.keyring->key(target.id), reference,
                                             wrap_data_key(target, reference, probe));
    if (back.size() != probe.size() ||
        CRYPTO_memcmp(back.data(), probe.data(), probe.size()) != 0) {
      throw Error("it does not open what its public key seals");
    }
  } catch (const Error& e) {
    throw Error("nothing re-wrapped: the current private key " +
                private_key_path(session.config.key_directory, target.id) + " cannot be used (" +
                e.what() + "); a record re-wrapped for it could not be read");
  }
  std::int64_t cursor = 0;
  std::size_t rewrapped = 0;
  std::size_t failed = 0;
  for (;;) {
    const std::vector<EnquiryRecord> records =
        session.records->wrapped_for_other_keys(target.id, &cursor, batch);
    if (records.empty()) break;
    std::vector<RecordStore::Rewrap> work;
    for (const EnquiryRecord& record : records) {
      try {
        const SealPrivateKey& key = session.keyring->key(record.sealed.key_id);
        const SecretBytes data_key =
            unwrap_data_key(key, record.reference, record.sealed.wrapped_key);
        work.push_back({record.reference, record.sealed.wrapped_key, target.id,
                        wrap_data_key(target, record.reference, data_key)});
      } catch (const Error& e) {
        ++failed;
        *session.err << "sealform-admin: " << record.reference << ": not re-wrapped: " << e.what()
                     << "\n";
      }
    }
    if (!work.empty()) {
      rewrapped += session.records->rewrap(work, session.note("rekey", "to=" + target.id));
    }
  }
  // The replaced wrapped keys open with the retired private key: they
  // leave the database file and the WAL now, not at the next checkpoint.
  const bool wal_clean = rewrapped == 0 || session.records->clear_wal();
  const std::map<std::string, std::int64_t> held = held_usage(session);
  std::int64_t held_old = 0;
  for (const auto& [id, count] : held) held_old += id == target.id ? 0 : count;
  *session.out << "re-wrapped " << rewrapped << " data keys for " << target.id;
  if (failed != 0) *session.out << "; " << failed << " could not be re-wrapped";
  if (held_old != 0) {
    *session.out << "; " << held_old
                 << " held records keep older keys: keep those private keys, and run rekey again "
                    "after the records are released";
  }
  *session.out << "\n";
  if (!wal_clean) {
    *session.err << "sealform-admin: the write-ahead log of " << session.config.database
                 << " could not be truncated (a reader was busy); the replaced wrapped keys "
                    "remain in it until the next checkpoint: run `sqlite3 "
                 << session.config.database << " 'PRAGMA wal_checkpoint(TRUNCATE)'`\n";
  }
  return failed == 0 && held_old == 0 ? kOk : kRuntimeError;
}

}  // namespace sealform::admin
