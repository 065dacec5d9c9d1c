// private_key_guard.h: the web tier must be able to encrypt but not decrypt.
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

}  // namespace sealform::web

#endif  // SEALFORM_WEB_PRIVATE_KEY_GUARD_H_
