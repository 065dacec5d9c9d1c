// form_view.cc: the enquiry form's template data (see form_view.h).
#include "web/form_view.h"

#include "core/fields.h"
#include "core/utf8.h"
#include "web/form_cache.h"
#include "web/responses.h"

namespace sealform::web {
namespace {

using kainjow::mustache::list;

// Typed text goes back into the form only if it is valid UTF-8; otherwise
// the browser could not show it and the escaper could split a sequence.
std::string redisplay(const FormFields& typed, const std::string& name) {
  std::string value = first_value(typed, name);
  return utf8::is_valid(value) ? value : std::string();
}

std::string error_text(const Catalog& texts, const std::string& field, const std::string& code) {
  if (field == "age_confirm" && code == "required") return texts.text("error_age_confirm_required");
  return texts.text("error_" + code);
}

std::string autocomplete_for(std::string_view name) {
  if (name == "name") return "name";
  if (name == "company") return "organization";
  if (name == "job_title") return "organization-title";
  if (name == "email") return "email";
  return "off";
}

Response render_form_page(const AppContext& ctx, std::string_view locale, int status,
                          const FormState& state, const std::string& token) {
  const Catalog& texts = ctx.pages->catalog(locale);
  MustacheData data(MustacheData::type::object);
  data.set("action", form_path(ctx, locale));
  data.set("token", token);
  data.set("honeypot", ctx.config.honeypot_field);
  if (!state.notice_key.empty()) data.set("notice", texts.text(state.notice_key));

  list fields;
  // The summary lists errors in the order the form shows the fields: the
  // text fields first, then the category and the checkboxes.
  list error_list;
  list later_errors;
  for (const FieldSpec& spec : kEnquiryFields) {
    const std::string name(spec.name);
    auto error = state.errors.find(name);
    const std::string label = texts.text("field_" + name);
    if (error != state.errors.end()) {
      MustacheData item(MustacheData::type::object);
      item.set("field", name);
      // A checkbox's label is a sentence; the summary names it shortly.
      item.set("label", texts.has("field_" + name + "_short")
                            ? texts.text("field_" + name + "_short")
                            : label);
      item.set("message", error_text(texts, name, error->second));
      (spec.kind == FieldKind::kPersonalText ? error_list : later_errors).push_back(item);
    }
    if (spec.kind != FieldKind::kPersonalText) continue;
    MustacheData field(MustacheData::type::object);
    field.set("name", name);
    field.set("label", label);
    field.set("value", redisplay(state.typed, name));
    field.set("type", name == "email" ? "email" : "text");
    field.set("maxlength", std::to_string(spec.max_code_points));
    field.set("autocomplete", autocomplete_for(spec.name));
    field.set("required", spec.required);
    field.set("multiline", spec.multiline);
    if (error != state.errors.end()) field.set("error", error_text(texts, name, error->second));
    fields.push_back(field);
  }
  data.set("fields", fields);
  for (const auto& item : later_errors) error_list.push_back(item);
  data.set("has_errors", !error_list.empty());
  data.set("error_list", error_list);

  const std::string chosen = first_value(state.typed, "category");
  list categories;
  for (const std::string& key : ctx.config.categories) {
    MustacheData option(MustacheData::type::object);
    option.set("key", key);
    option.set("label", texts.text("category_" + key));
    option.set("selected", key == chosen);
    categories.push_back(option);
  }
  data.set("categories", categories);
  for (const char* name : {"category", "age_confirm", "retain"}) {
    auto error = state.errors.find(name);
    if (error == state.errors.end()) continue;
    const std::string key =
        std::string(name == std::string("age_confirm") ? "age" : name) + "_error";
    data.set(key, error_text(texts, name, error->second));
  }
  data.set("age_checked", first_value(state.typed, "age_confirm") == "yes");
  data.set("retain_checked", first_value(state.typed, "retain") == "yes");
  data.set("form_id", std::string(kEnquiryFormId));
  return html_page(ctx, status, "form", locale, texts.text("form_title"), std::move(data), true,
                   kEnquiryFormId);
}

}  // namespace

bool anything_typed(const FormFields& fields) {
  for (const FieldSpec& spec : kEnquiryFields) {
    const std::string value = first_value(fields, std::string(spec.name));
    if (utf8::is_valid(value) ? !utf8::trim(value).empty() : !value.empty()) return true;
  }
  return false;
}

Response form_page(const AppContext& ctx, std::string_view locale, int status,
                   const FormState& state) {
  const bool fresh =
      status == 200 && state.typed.empty() && state.errors.empty() && state.notice_key.empty();
  if (fresh) {
    return cached_page(ctx, "form", locale, [&] {
      return render_form_page(ctx, locale, status, state, std::string(kFormTokenSlot));
    });
  }
  return render_form_page(
      ctx, locale, status, state,
      state.token.empty() ? ctx.tokens.issue(ctx.clock(), locale) : state.token);
}

}  // namespace sealform::web
