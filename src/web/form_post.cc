// form_post.cc: checks shared by the form POST handlers (see form_post.h).
#include "web/form_post.h"

#include <cctype>
#include <optional>

namespace sealform::web {

bool parse_content_length(const std::string& text, std::int64_t* out) {
  if (text.empty() || text.size() > 18) return false;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *out = value;
  return true;
}

bool is_form_urlencoded(const std::string& content_type) {
  std::string media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.pop_back();
  for (char& c : media) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return media == "application/x-www-form-urlencoded";
}

int count_of(const FormFields& fields, const std::string& name) {
  int count = 0;
  for (const auto& field : fields) count += field.first == name ? 1 : 0;
  return count;
}

bool same_origin(std::string_view configured_origin, std::string_view header_value) {
  if (header_value.size() < configured_origin.size()) return false;
  if (header_value.substr(0, configured_origin.size()) != configured_origin) return false;
  // Exactly the origin, or the origin followed by a path (a Referer).
  return header_value.size() == configured_origin.size() ||
         header_value[configured_origin.size()] == '/';
}

namespace {

// Whether the page the request says it comes from (its Origin, or without
// one its Referer) is on the configured origin; nullopt when it names none.
std::optional<bool> names_this_origin(std::string_view configured_origin,
                                      const Request& request) {
  std::string stated = request.header("origin");
  if (stated.empty()) stated = request.header("referer");
  if (stated.empty()) return std::nullopt;
  return same_origin(configured_origin, stated);
}

}  // namespace

bool from_another_origin(std::string_view configured_origin, const Request& request) {
  const std::optional<bool> ours = names_this_origin(configured_origin, request);
  return ours.has_value() && !*ours;
}

bool from_this_origin(std::string_view configured_origin, const Request& request) {
  return names_this_origin(configured_origin, request).value_or(false);
}

std::string genuine_form_token(const AppContext& ctx, const FormFields& fields,
                               std::string_view locale, std::int64_t now) {
  if (count_of(fields, "token") != 1) return "";
  const std::string& token = first_value(fields, "token");
  return ctx.tokens.verify(token, locale, now, 0, ctx.config.token_lifetime_seconds).check ==
                 TokenCheck::kValid
             ? token
             : std::string();
}

}  // namespace sealform::web
