// web_fixture.h: a real Application in a temporary directory for the web
// tests (keys, SQLite, the shipped www/ templates and catalogs), with a
// controllable clock and helpers for canned GET and POST requests.
#ifndef SEALFORM_TESTS_WEB_FIXTURE_H_
#define SEALFORM_TESTS_WEB_FIXTURE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "core/config.h"
#include "test_util.h"
#include "web/app.h"

namespace sealform::test {

class WebFixture {
 public:
  // `extra` is appended to the base config (INI text; may add sections).
  explicit WebFixture(const std::string& extra = "");

  web::Response get(const std::string& path_and_query, const std::string& cookie = "",
                    bool https = false);
  web::Response post(const std::string& path, const std::string& body,
                     const std::string& cookie = "", const std::string& origin = "",
                     const std::string& accept = "");

  // Rebuilds the Application with a changed config (same keys and data).
  void reconfigure(const std::string& extra);
  void set_policy_version(const std::string& version);
  void set_retention_days(int days);

  // The value of a hidden input named `name` in `html` ("" if none).
  static std::string hidden_value(const std::string& html, const std::string& name);
  // "name=value" of a Set-Cookie header, without attributes.
  static std::string cookie_pair(const web::Response& response);
  static std::string percent_encode(const std::string& text);

  // Counts rows in consent_records.
  std::int64_t consent_rows() const;

  const Config& config() const { return config_; }
  web::Application& app() { return *app_; }

  static std::int64_t now;

 private:
  std::string base_text() const;

  std::unique_ptr<TempDir> dir_;
  std::string extra_;
  std::string policy_version_ = "1";
  int retention_days_ = 180;
  Config config_;
  std::unique_ptr<web::Application> app_;
};

}  // namespace sealform::test

#endif  // SEALFORM_TESTS_WEB_FIXTURE_H_
