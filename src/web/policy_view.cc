// policy_view.cc: template data for the policy pages (see policy_view.h).
#include "web/policy_view.h"

#include <map>
#include <string>

#include "core/fields.h"
#include "web/cookie_registry.h"
#include "web/page_scope.h"
#include "web/responses.h"

namespace sealform::web {
namespace {

using kainjow::mustache::list;
using Values = std::map<std::string, std::string>;

// One line per form field, generated from the validator's own list.
list collected_fields(const AppContext& ctx, const Catalog& texts) {
  std::string categories;
  for (const std::string& key : ctx.config.categories) {
    if (!categories.empty()) categories += texts.text("list_separator");
    categories += texts.text("category_" + key);
  }
  list items;
  for (const FieldSpec& spec : kEnquiryFields) {
    const std::string name(spec.name);
    MustacheData item(MustacheData::type::object);
    item.set("field", name);
    switch (spec.kind) {
      case FieldKind::kPersonalText:
        item.set("label", texts.text("field_" + name));
        item.set("detail", texts.format(spec.required ? "privacy_text_required"
                                                      : "privacy_text_optional",
                                        {{"max", std::to_string(spec.max_code_points)}}));
        break;
      case FieldKind::kChoice:
        item.set("label", texts.text("field_" + name));
        item.set("detail", texts.format("privacy_choice", {{"choices", categories}}));
        break;
      case FieldKind::kFlag:
        item.set("label", texts.text("privacy_flag_" + name));
        item.set("detail", texts.text(spec.required ? "privacy_flag_required"
                                                    : "privacy_flag_optional"));
        break;
    }
    items.push_back(item);
  }
  return items;
}

std::string choice_text(const Catalog& texts, const ConsentState& consent) {
  if (consent.accepted()) return texts.text("cookies_choice_accepted");
  if (consent.chosen()) return texts.text("cookies_choice_rejected");
  if (consent.outdated) return texts.text("cookies_choice_outdated");
  return texts.text("cookies_choice_none");
}

}  // namespace

Response privacy_page(const AppContext& ctx, std::string_view locale) {
  const Catalog& texts = ctx.pages->catalog(locale);
  const Config& config = ctx.config;
  const Values facts = {
      {"organisation", config.organisation_in(locale)},
      {"email", config.contact_email},
      {"location", config.data_location_in(locale)},
      {"days", std::to_string(config.retention_days)},
      {"consent_days", std::to_string(config.consent_lifetime_days)},
      {"record_days", std::to_string(config.consent_record_days)},
      {"version", config.policy_version},
      {"date", config.policy_date},
  };
  MustacheData data(MustacheData::type::object);
  for (const char* key : {"privacy_who_body", "privacy_where_body", "privacy_retention_optin",
                          "privacy_rights_body", "privacy_version", "privacy_not_collected"}) {
    data.set(key, texts.format(key, facts));
  }
  // "N days later" needs its own words for 0 and 1 in some languages.
  const char* retention = config.retention_days == 0   ? "privacy_retention_body_zero"
                          : config.retention_days == 1 ? "privacy_retention_body_one"
                                                       : "privacy_retention_body";
  data.set("privacy_retention_body", texts.format(retention, facts));
  // Without analytics there is no consent to remember: no cookie, no proof.
  const bool analytics = !config.analytics_script_url.empty();
  data.set("privacy_cookies_body",
           texts.format(analytics ? "privacy_cookies_body" : "privacy_cookies_body_none", facts));
  data.set("analytics", analytics);
  if (analytics) data.set("privacy_proof_body", texts.format("privacy_proof_body", facts));
  data.set("contact_email", config.contact_email);
  data.set("fields", collected_fields(ctx, texts));
  data.set("cookies_href", page_path(ctx, locale, "cookies"));
  return html_page(ctx, 200, "privacy", locale, texts.text("privacy_title"), std::move(data),
                   false);
}

Response cookies_page(const AppContext& ctx, std::string_view locale) {
  const Catalog& texts = ctx.pages->catalog(locale);
  const Config& config = ctx.config;
  const ConsentState& consent = current_page().consent;
  MustacheData data(MustacheData::type::object);

  list own;
  for (const CookieSpec& spec : kSealformCookies) {
    MustacheData row(MustacheData::type::object);
    row.set("name", std::string(spec.name));
    row.set("purpose", texts.text(std::string(spec.purpose_key)));
    row.set("lifetime", texts.format("cookies_lifetime_days",
                                     {{"days", std::to_string(lifetime_days(spec, config))}}));
    row.set("kind", texts.text(spec.strictly_necessary ? "cookies_necessary" : "cookies_optional"));
    own.push_back(row);
  }
  data.set("own_cookies", own);

  const bool analytics = !config.analytics_script_url.empty();
  data.set("analytics", analytics);
  if (analytics) {
    list third;
    for (const AnalyticsCookie& cookie : config.analytics_cookies_in(locale)) {
      MustacheData row(MustacheData::type::object);
      row.set("name", cookie.name);
      row.set("purpose", cookie.purpose);  // the operator's own words, from the config
      row.set("lifetime", cookie.lifetime);
      row.set("kind", texts.text("cookies_optional"));
      third.push_back(row);
    }
    data.set("has_analytics_cookies", !third.empty());
    data.set("analytics_cookies", third);
    data.set("analytics_intro",
             texts.format("cookies_analytics_body", {{"origin", config.analytics_origin()}}));
    data.set("choice_text", choice_text(texts, consent));
    data.set("consent_action", consent_path(ctx));
    data.set("consent_token", ctx.tokens.issue(ctx.clock(), kConsentTokenScope));
    data.set("return_path", page_path(ctx, locale, "cookies"));
  }
  data.set("intro", texts.text(analytics ? "cookies_intro" : "cookies_intro_none"));
  data.set("own_intro", texts.format(analytics ? "cookies_own_body" : "cookies_own_none",
                                     {{"days", std::to_string(config.consent_lifetime_days)}}));
  data.set("privacy_href", page_path(ctx, locale, "privacy"));
  return html_page(ctx, 200, "cookies", locale, texts.text("cookies_title"), std::move(data),
                   true);
}

}  // namespace sealform::web
