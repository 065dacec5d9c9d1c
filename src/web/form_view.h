// form_view.h: the enquiry form's template data.
//
// The text fields come from the same list the validator uses
// (core/fields.h), so the form's required and maxlength attributes mirror
// the server's rules; the server stays the authority. Values the visitor
// typed are put back as they were sent (the templates escape them), errors
// are shown next to their field and in a summary at the top.
#ifndef SEALFORM_WEB_FORM_VIEW_H_
#define SEALFORM_WEB_FORM_VIEW_H_

#include <map>
#include <string>
#include <string_view>

#include "core/validate.h"
#include "web/context.h"
#include "web/http.h"

namespace sealform::web {

struct FormState {
  FormFields typed;                            // what the visitor sent ("" for a new form)
  std::map<std::string, std::string> errors;   // field -> error code
  std::string notice_key;                      // catalog key of a notice, "" for none
  std::string token;  // a still valid form token to keep, "" for a fresh one
};

// True if the visitor has typed or chosen anything in the enquiry's fields
// (white space alone is nothing).
bool anything_typed(const FormFields& fields);

// The enquiry <form>'s id. On the form page the consent banner's buttons
// belong to this form (responses.h), so that a choice made without
// JavaScript posts whatever the visitor has typed along and
// handle_consent() can show it again.
inline constexpr std::string_view kEnquiryFormId = "enquiry-form";

// A complete form page with a fresh token, with the given status.
Response form_page(const AppContext& ctx, std::string_view locale, int status,
                   const FormState& state);

}  // namespace sealform::web

#endif  // SEALFORM_WEB_FORM_VIEW_H_
