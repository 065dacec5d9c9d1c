// web_fixture.cc: the shared web test fixture (see web_fixture.h).
#include "web_fixture.h"

#include <sys/stat.h>

#include <cctype>

#include "core/keys.h"
#include "core/sqlite_handle.h"

namespace sealform::test {
namespace {

std::int64_t fixture_clock() { return WebFixture::now; }

}  // namespace

std::int64_t WebFixture::now = 1796000000;

WebFixture::WebFixture(const std::string& extra) : dir_(std::make_unique<TempDir>()) {
  const std::string keys = dir_->file("keys");
  ::mkdir(keys.c_str(), 0750);
  create_web_secret(keys);
  create_seal_key_pair(keys, std::nullopt);
  now = 1796000000;
  reconfigure(extra);
}

std::string WebFixture::base_text() const {
  return "[site]\norganisation = Example Ltd\norigin = https://www.example.com\n"
         "contact_email = privacy@example.com\ndata_location = Frankfurt, Germany\n"
         "policy_version = " + policy_version_ + "\npolicy_date = 2026-11-29\n"
         "[retention]\ndays_after_resolution = " + std::to_string(retention_days_) +
         "\n[storage]\ndatabase = " +
         dir_->file("e.db") + "\nhold_database = " + dir_->file("h.db") +
         "\n[keys]\ndirectory = " + dir_->file("keys") +
         "\n[form]\ncategories = general, media\n[web]\ndata_directory = " +
         std::string(SOURCEDIR) + "/www\n";
}

void WebFixture::set_policy_version(const std::string& version) {
  policy_version_ = version;
  reconfigure(extra_);
}

void WebFixture::set_retention_days(int days) {
  retention_days_ = days;
  reconfigure(extra_);
}

void WebFixture::reconfigure(const std::string& extra) {
  app_.reset();
  extra_ = extra;
  config_ = parse_config(base_text() + extra, "web_fixture.conf");
  app_ = web::make_application(config_, web::WriterMode::kDirect, &fixture_clock);
}

web::Response WebFixture::get(const std::string& path_and_query, const std::string& cookie,
                              bool https) {
  web::Request r;
  r.method = "GET";
  const auto mark = path_and_query.find('?');
  r.path = path_and_query.substr(0, mark);
  if (mark != std::string::npos) r.query = path_and_query.substr(mark + 1);
  if (!cookie.empty()) r.headers["cookie"] = cookie;
  r.https = https;
  web::StringBody body("");
  return app_->handle(r, body);
}

web::Response WebFixture::post(const std::string& path, const std::string& body,
                               const std::string& cookie, const std::string& origin,
                               const std::string& accept) {
  web::Request r;
  r.method = "POST";
  r.path = path;
  r.content_length = std::to_string(body.size());
  r.content_type = "application/x-www-form-urlencoded";
  r.remote_addr = "192.0.2.1";
  if (!cookie.empty()) r.headers["cookie"] = cookie;
  if (!origin.empty()) r.headers["origin"] = origin;
  if (!accept.empty()) r.headers["accept"] = accept;
  web::StringBody source(body);
  return app_->handle(r, source);
}

std::string WebFixture::hidden_value(const std::string& html, const std::string& name) {
  const std::string marker = "name=\"" + name + "\" value=\"";
  auto at = html.find(marker);
  if (at == std::string::npos) return "";
  at += marker.size();
  return html.substr(at, html.find('"', at) - at);
}

std::string WebFixture::cookie_pair(const web::Response& response) {
  const std::string header = response.header("Set-Cookie");
  return header.substr(0, header.find(';'));
}

std::string WebFixture::percent_encode(const std::string& text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::int64_t WebFixture::consent_rows() const {
  sqlite::Connection db(config_.database);
  return db.query_int64("SELECT count(*) FROM consent_records");
}

}  // namespace sealform::test
