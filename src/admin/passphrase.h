// passphrase.h: reading a private key's passphrase, from a file or the
// terminal, so that no stream buffer ever holds it: read(2) a byte at a
// time into one reserved buffer, which its owner wipes (core/secret.h).
#ifndef SEALFORM_ADMIN_PASSPHRASE_H_
#define SEALFORM_ADMIN_PASSPHRASE_H_

#include <string>

namespace sealform::admin {

// The first line of the file at `path` (at most 1024 bytes, OpenSSL's limit
// for a PEM passphrase) or, when the path is empty and stdin is a
// terminal, a line typed at a prompt without echo (`quiet_prompt`: the
// caller printed its own prompt). Throws sealform::Error (unreadable,
// empty, too long, no terminal).
std::string read_passphrase_file(const std::string& path, bool quiet_prompt = false);

// A passphrase for a new key, typed twice on the terminal: a typo in the
// only copy would lock the key for good. Throws sealform::Error when the
// two differ.
std::string read_new_passphrase();

}  // namespace sealform::admin

#endif  // SEALFORM_ADMIN_PASSPHRASE_H_
