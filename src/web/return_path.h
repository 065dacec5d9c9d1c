// return_path.h: where POST /consent may send the visitor back to.
//
// The consent form carries the page it was shown on, so that the 303 after
// a choice returns the visitor there. The value arrives from the network,
// so it is checked before it reaches a Location header: only a path on
// this site, under the base path, written in a small safe alphabet, is
// accepted; anything else (an absolute URL, "//host", "/\host", a
// backslash, a control character, a percent-encoded anything, a dot
// segment, a fragment, a path outside the base path) is refused and the
// caller redirects to the default page instead. Being strict costs nothing:
// sealform's own page paths never need the refused characters.
#ifndef SEALFORM_WEB_RETURN_PATH_H_
#define SEALFORM_WEB_RETURN_PATH_H_

#include <cstddef>
#include <string_view>

namespace sealform::web {

inline constexpr std::size_t kMaxReturnPathChars = 512;

// True if `candidate` is a safe local return path under `base_path` (which
// starts and ends with '/'). Also used to decide whether the current
// page's path may be put into a form at all.
bool is_local_return_path(std::string_view base_path, std::string_view candidate);

}  // namespace sealform::web

#endif  // SEALFORM_WEB_RETURN_PATH_H_
