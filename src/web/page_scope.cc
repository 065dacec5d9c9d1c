// page_scope.cc: the per-thread current page view (see page_scope.h).
#include "web/page_scope.h"

namespace sealform::web {
namespace {

thread_local const PageView* g_current = nullptr;

}  // namespace

const PageView& current_page() {
  static const PageView kDefault;
  return g_current != nullptr ? *g_current : kDefault;
}

ScopedPage::ScopedPage(PageView view) : view_(std::move(view)), previous_(g_current) {
  g_current = &view_;
}

ScopedPage::~ScopedPage() { g_current = previous_; }

}  // namespace sealform::web
