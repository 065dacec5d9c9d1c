// actions.h: the logic of sealform-admin's commands, one function each.
//
// The cmd_* functions (commands.h) parse arguments and open a Session; the
// functions here do the work on a Session, write to session.out/err and
// return the exit status (commands.h). Unit tests call these directly.
// Every function that changes data writes its audit rows through the
// RecordStore, in the transaction of the change.
#ifndef SEALFORM_ADMIN_ACTIONS_H_
#define SEALFORM_ADMIN_ACTIONS_H_

#include <cstddef>
#include <optional>
#include <string>

#include "admin/session.h"

namespace sealform::admin {

// list: one line per record (reference, created, category, locale, status);
// with_names adds name and email (opening each record; a record that
// cannot be opened is reported on err and the listing goes on; exit 1).
int run_list(Session& session, const ListFilter& filter, bool include_held, bool with_names);

// show REF: metadata and every field; exit 3 if not held anywhere.
int run_show(Session& session, const std::string& reference);

// find --email ADDR: references, one per line ("  (held)" when held).
int run_find(Session& session, const std::string& address);

enum class ExportFormat { kJson, kText };
// export --email ADDR: everything held about the person (export.cc
// documents the JSON shape).
int run_export(Session& session, const std::string& address, ExportFormat format);

int run_resolve(Session& session, const std::string& reference);
int run_reopen(Session& session, const std::string& reference);

// correct REF FIELD VALUE: re-validated with the intake rules; only that
// field's ciphertext (and for the email, the blind index) changes.
int run_correct(Session& session, const std::string& reference, const std::string& field,
                const std::string& value);

int run_withdraw(Session& session, const std::string& address);

struct EraseRequest {
  std::optional<std::string> address;    // --email, or
  std::optional<std::string> reference;  // REF
  bool yes = false;                      // no confirmation prompt
  bool include_held = false;
  std::string reason;                    // staff-given, goes to the audit trail
};
int run_erase(Session& session, const EraseRequest& request);

int run_keys(Session& session);
int run_keys_rotate(Session& session);
// Re-wraps every data key not wrapped for the current key, `batch` per
// transaction; resumable (it simply finds what is left).
int run_rekey(Session& session, std::size_t batch);

int run_audit(Session& session, std::optional<std::int64_t> since, bool verify);

}  // namespace sealform::admin

#endif  // SEALFORM_ADMIN_ACTIONS_H_
