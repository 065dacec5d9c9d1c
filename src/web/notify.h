// notify.h: the optional "new enquiry" command (config [notify] command).
//
// After an enquiry is stored, the web tier runs the configured command with
// exactly two arguments, the reference and the category key: never personal
// data. It is started detached (its own session, stdin/stdout/stderr on
// /dev/null, reaped by a background thread), so it can neither slow nor fail a submission;
// a command that cannot be started is logged and otherwise ignored. The
// command's environment is a short fixed list (notify_environment()), never
// the process's own: run as a CGI program, that environment is the
// request's (the visitor's address, cookies, a Proxy: header as HTTP_PROXY).
// The command line is run by /bin/sh, so it may carry its own fixed arguments:
//   command = /usr/local/bin/notify-new-enquiry --to enquiries@example.com
// receives: --to enquiries@example.com ENQ-7K3QD-M9XA2 media
#ifndef SEALFORM_WEB_NOTIFY_H_
#define SEALFORM_WEB_NOTIFY_H_

#include <string>
#include <vector>

namespace sealform::web {

// The command's environment: PATH, LANG, LC_ALL and TZ taken from
// `environment` (a NULL-ended "NAME=value" list, like environ) when set
// there, PATH=/usr/local/bin:/usr/bin:/bin when not; nothing else.
std::vector<std::string> notify_environment(const char* const* environment);

// Starts `command` with (reference, category); returns false if it could
// not be started. An empty command does nothing and returns true.
bool notify_new_enquiry(const std::string& command, const std::string& reference,
                        const std::string& category);

}  // namespace sealform::web

#endif  // SEALFORM_WEB_NOTIFY_H_
