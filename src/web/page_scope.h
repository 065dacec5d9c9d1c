// page_scope.h: what a page needs to know about the request it answers.
//
// Every HTML page carries request-dependent parts in its layout: the
// consent banner (until the visitor has chosen), the analytics script
// (after an accept), links to the same page in the other two languages,
// and the path the consent form returns to. The router computes these once
// per request and installs them for the duration of Application::handle()
// with a ScopedPage; html_page() reads them through current_page().
//
// Why a thread-local rather than a parameter: pages are rendered from many
// handlers (form, submit, errors) that run synchronously on the thread that
// called handle(), and threading the request through every one of them
// would change each signature for data only the layout uses. Outside a
// ScopedPage (a handler called directly) current_page() returns a default
// view: no consent, no banner, links to the form page.
#ifndef SEALFORM_WEB_PAGE_SCOPE_H_
#define SEALFORM_WEB_PAGE_SCOPE_H_

#include <string>

#include "web/consent_cookie.h"

namespace sealform::web {

struct PageView {
  ConsentState consent;
  // The page's path after "/{locale}/" ("enquiry", "privacy", ...), "" when
  // the request matched no page: language links then lead to the form.
  std::string page;
  // The part of the query that the same page in another language keeps
  // ("?ref=..." on the thanks page, checked), "" for none.
  std::string page_query;
  // Path (and query) the consent form returns to; "" when the current one
  // is not a safe local path (the consent handler then picks the default).
  std::string return_path;
};

const PageView& current_page();

class ScopedPage {
 public:
  explicit ScopedPage(PageView view);
  ~ScopedPage();
  ScopedPage(const ScopedPage&) = delete;
  ScopedPage& operator=(const ScopedPage&) = delete;

 private:
  PageView view_;
  const PageView* previous_;
};

}  // namespace sealform::web

#endif  // SEALFORM_WEB_PAGE_SCOPE_H_
