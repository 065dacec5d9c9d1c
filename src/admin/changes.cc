// changes.cc: `resolve`, `reopen`, `correct` and `withdraw`: the staff
// workflow's changes to one record or one person's records.
//
// Each change and its audit row commit in one transaction (records.h). A
// record under legal hold is not changed here: it lives in the hold store
// until released (issue 6), and the command says so.
#include <openssl/crypto.h>

#include <iostream>

#include "admin/actions.h"
#include "core/fields.h"
#include "core/seal.h"
#include "core/validate.h"

namespace sealform::admin {
namespace {

// The main-store record, or an explanation why not (held: exit 1; absent: 3).
EnquiryRecord changeable(Session& session, const std::string& reference) {
  std::optional<Located> located = locate(session, reference);
  if (!located) throw NotFound("no enquiry " + reference);
  if (located->held) {
    throw Error(reference + " is under legal hold; release it before changing it");
  }
  return std::move(located->record);
}

bool is_personal_field(const std::string& field) {
  for (std::string_view name : kPersonalFields) {
    if (name == field) return true;
  }
  return false;
}

}  // namespace

int run_resolve(Session& session, const std::string& reference) {
  const EnquiryRecord record = changeable(session, reference);
  if (record.resolved_at) {
    *session.out << reference << " was already resolved at " << format_time(*record.resolved_at)
                 << "\n";
    return kOk;
  }
  const std::int64_t now = session.now();
  if (!session.records->set_resolved(reference, now, session.note("resolve"))) {
    throw NotFound("no enquiry " + reference);
  }
  *session.out << reference << " resolved at " << format_time(now) << "\n";
  return kOk;
}

int run_reopen(Session& session, const std::string& reference) {
  const EnquiryRecord record = changeable(session, reference);
  if (!record.resolved_at) {
    *session.out << reference << " is already open\n";
    return kOk;
  }
  if (!session.records->set_resolved(reference, std::nullopt, session.note("reopen"))) {
    throw NotFound("no enquiry " + reference);
  }
  *session.out << reference << " reopened (the retention clock is stopped)\n";
  return kOk;
}

int run_correct(Session& session, const std::string& reference, const std::string& field,
                const std::string& value) {
  if (!is_personal_field(field)) {
    throw UsageError("correct: FIELD must be one of name, company, job_title, email, message");
  }
  // The intake rules, for this one field; the message names the rule only.
  FieldCheck check = validate_field(field, value, session.config.categories);
  if (!check.ok()) {
    throw UsageError("correct: the new value for '" + field + "' is refused: " + check.error);
  }
  const EnquiryRecord record = changeable(session, reference);
  const SealPrivateKey& key = session.keyring->key(record.sealed.key_id);
  const SecretBytes data_key = unwrap_data_key(key, reference, record.sealed.wrapped_key);
  const std::string blob = encrypt_field(data_key, reference, field, check.value);
  const std::string index = field == "email" ? blind_index(session.index_key, check.value) : "";
  OPENSSL_cleanse(check.value.data(), check.value.size());
  if (!session.records->replace_field(reference, field, blob, index,
                                      session.note("correct", "field=" + field))) {
    throw NotFound("no enquiry " + reference);
  }
  *session.out << "corrected field '" << field << "' of " << reference << "\n";
  return kOk;
}

int run_withdraw(Session& session, const std::string& address) {
  const std::vector<Located> found = locate_by_email(session, address);
  if (found.empty()) throw NotFound("no enquiry is held for that address");
  const std::string index = email_index_of(session, address);
  const std::vector<std::string> changed =
      session.records->withdraw_retain(index, session.note("withdraw", "retain opt-in cleared"));
  // A hold keeps a record from being erased, not its opt-in from being
  // withdrawn: the held copy changes too, and the normal rule applies to it
  // once it is released.
  const std::vector<std::string> held_changed =
      session.holds ? session.holds->withdraw_retain(index, session.actor, session.now())
                    : std::vector<std::string>();
  const auto has = [](const std::vector<std::string>& list, const std::string& reference) {
    return std::find(list.begin(), list.end(), reference) != list.end();
  };
  for (const Located& located : found) {
    const std::string& reference = located.record.reference;
    std::ostream& out = *session.out;
    if (has(changed, reference)) {
      out << reference << ": retention opt-in withdrawn; normal retention applies\n";
    } else if (has(held_changed, reference)) {
      out << reference
          << ": retention opt-in withdrawn; under legal hold, then normal retention applies\n";
    } else {
      out << reference << ": had no retention opt-in\n";
    }
  }
  return kOk;
}

}  // namespace sealform::admin
