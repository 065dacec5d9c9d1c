// private_key_guard.h: the web tier must be able to encrypt but not decrypt,
// nor change the key it encrypts for.
//
// sealform-fcgi calls refuse_readable_private_keys() before it serves
// anything: if the process can open a private seal key in the key
// directory, it refuses to start, so that a deployment where the web
// process could decrypt stored enquiries cannot happen by mistake. It tries
// every name a private key goes by: seal-<id>.key for the id in `current`
// and for every seal-<id>.pub, and, when the directory can be listed, any
// file whose name starts "seal-" and holds ".key" (a copy such as
// seal-<id>.key.bak). Symbolic links are followed: what counts is what the
// process can read. A directory it can search but not list still gets the
// by-name checks. (Running as root always fails: root can read every file.)
#ifndef SEALFORM_WEB_PRIVATE_KEY_GUARD_H_
#define SEALFORM_WEB_PRIVATE_KEY_GUARD_H_

#include <string>

namespace sealform::web {

// Throws sealform::Error naming the first readable private key file.
void refuse_readable_private_keys(const std::string& key_directory);

// Nor may the web tier change what it encrypts for: a process that could
// write the key directory (or the directory holding it), `current`, the
// current public key or web.secret could plant a key pair of its own, and
// every enquiry sealed after it, until someone noticed, would be open to
// whoever holds that key. Throws sealform::Error naming the first such
// path. (Checked with access(2), after privileges are dropped: real and
// effective ids are then the same.)
void refuse_writable_key_files(const std::string& key_directory);

// Both checks, in that order: what sealform-fcgi runs before it serves and
// on every reload.
void refuse_unsafe_key_directory(const std::string& key_directory);

}  // namespace sealform::web

#endif  // SEALFORM_WEB_PRIVATE_KEY_GUARD_H_
