// responses.cc: complete responses with the headers every answer carries.
#include "web/responses.h"

#include "web/locale.h"

namespace sealform::web {

void add_security_headers(Response& response, bool no_store) {
  response.set_header("Content-Security-Policy",
                      "default-src 'self'; frame-ancestors 'none'; form-action 'self'; "
                      "base-uri 'none'");
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("Referrer-Policy", "same-origin");
  response.set_header("X-Frame-Options", "DENY");
  response.set_header("Permissions-Policy",
                      "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
                      "interest-cohort=()");
  if (no_store) response.set_header("Cache-Control", "no-store");
}

std::string form_path(const AppContext& ctx, std::string_view locale) {
  return ctx.config.base_path + std::string(locale) + "/enquiry";
}

Response html_page(const AppContext& ctx, int status, std::string_view page,
                   std::string_view locale, const std::string& title, MustacheData page_data,
                   bool no_store) {
  MustacheData layout(MustacheData::type::object);
  layout.set("lang", html_lang(locale));
  layout.set("locale", std::string(locale));
  layout.set("title", title);
  layout.set("organisation", ctx.config.organisation);
  layout.set("static", ctx.config.base_path + "static/");
  page_data.set("form_href", form_path(ctx, locale));
  Response response;
  response.status = status;
  response.set_header("Content-Type", "text/html; charset=utf-8");
  response.set_header("Content-Language", html_lang(locale));
  add_security_headers(response, no_store);
  response.body = ctx.pages->render(page, locale, std::move(page_data), std::move(layout));
  return response;
}

Response json_response(int status, const nlohmann::json& body) {
  Response response;
  response.status = status;
  response.set_header("Content-Type", "application/json; charset=utf-8");
  add_security_headers(response, true);
  response.body = body.dump() + "\n";
  return response;
}

Response redirect(const std::string& location) {
  Response response;
  response.status = 303;
  response.set_header("Location", location);
  response.set_header("Content-Type", "text/plain; charset=utf-8");
  add_security_headers(response, true);
  response.body = "See " + location + "\n";
  return response;
}

bool wants_json(const Request& request) {
  return request.header("accept").find("application/json") != std::string::npos;
}

Response error_response(const AppContext& ctx, int status, std::string_view locale,
                        bool json) {
  const std::string code = std::to_string(status);
  const Catalog& texts = ctx.pages->catalog(locale);
  if (json) {
    return json_response(status, {{"error", texts.text("error_" + code + "_heading")}});
  }
  if (status == 404) {
    return html_page(ctx, 404, "not_found", locale, texts.text("not_found_title"),
                     MustacheData(MustacheData::type::object), false);
  }
  MustacheData data(MustacheData::type::object);
  data.set("heading", texts.text("error_" + code + "_heading"));
  data.set("message", texts.text("error_" + code + "_body"));
  return html_page(ctx, status, "error", locale, texts.text("error_" + code + "_heading"),
                   std::move(data), true);
}

}  // namespace sealform::web
