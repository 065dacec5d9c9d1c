// config.h: sealform's configuration, read from one INI file.
//
// load_config() parses the file named by --config or SEALFORM_CONFIG with
// inih and checks every value. An unknown section or key, a missing required
// key, a duplicate key or a bad value throws ConfigError whose message names
// the file, the line and the key ("sealform.conf:12: form.max_body_bytes: ...").
// etc/sealform.conf.example documents every key; Config's defaults below are
// the documented defaults. A Config is a plain value: copy it freely.
//
// The operator's own prose shown on the pages (the organisation's name, where
// the data is kept, the analytics cookies' purposes and lifetimes) can be
// given per locale with a suffixed key: "data_location.zh-cn = ...". A page
// in a locale without its own text shows the unsuffixed one.
#ifndef SEALFORM_CORE_CONFIG_H_
#define SEALFORM_CORE_CONFIG_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace sealform {

class ConfigError : public Error {
 public:
  explicit ConfigError(const std::string& message) : Error(message) {}
};

enum class Synchronous { kOff, kNormal, kFull, kExtra };

// One analytics cookie the operator declares, shown on the cookie policy.
struct AnalyticsCookie {
  std::string name;
  std::string purpose;
  std::string lifetime;
};

struct Config {
  std::string source_path;  // the file this was read from

  // [site]
  std::string organisation;
  std::string origin;          // scheme://host[:port], no path, no trailing slash
  std::string contact_email;
  std::string data_location;
  std::string policy_version;
  std::string policy_date;     // YYYY-MM-DD
  std::string default_locale = "en-us";  // en-us | zh-cn | zh-tw
  std::string base_path = "/";           // starts and ends with '/'

  // [storage]
  std::string database;
  std::string hold_database;
  Synchronous synchronous = Synchronous::kFull;
  int busy_timeout_ms = 5000;

  // [keys]
  std::string key_directory;

  // [form]
  std::vector<std::string> categories;  // keys, in display order
  std::int64_t max_body_bytes = 98304;
  int min_fill_seconds = 3;
  int token_lifetime_seconds = 7200;
  std::string honeypot_field = "website";

  // [rate_limit]
  int per_client_limit = 20;            // submissions per client key ...
  int per_client_window_seconds = 600;  // ... in this window
  int global_limit = 1000;              // submissions from everyone ...
  int global_window_seconds = 60;       // ... in this window

  // [retention]
  int retention_days = 180;             // after resolution
  int unresolved_warning_days = 90;     // purge reports unresolved older than this
  int audit_retention_days = 730;
  int consent_record_days = 400;

  // [cookies]
  int consent_lifetime_days = 180;
  std::string analytics_script_url;     // empty: no analytics at all
  std::vector<AnalyticsCookie> analytics_cookies;

  // [web]
  std::string data_directory;           // templates/, messages/; default PKGDATADIR
  int stop_grace_seconds = 30;          // SIGTERM/SIGHUP: in-flight requests' time to finish

  // [notify]
  std::string notify_command;           // empty: no notification

  // Per-locale texts ("KEY.LOCALE" keys), locale -> text.
  std::map<std::string, std::string, std::less<>> organisation_by_locale;
  std::map<std::string, std::string, std::less<>> data_location_by_locale;
  // Each lists the same cookies, by name and in order, as analytics_cookies.
  std::map<std::string, std::vector<AnalyticsCookie>, std::less<>> analytics_cookies_by_locale;

  // The origin (scheme://host[:port]) of analytics_script_url, "" if unset.
  std::string analytics_origin() const;

  // The texts a page in `locale` shows: its own if configured, else the
  // unsuffixed key's.
  const std::string& organisation_in(std::string_view locale) const;
  const std::string& data_location_in(std::string_view locale) const;
  const std::vector<AnalyticsCookie>& analytics_cookies_in(std::string_view locale) const;
};

// Reads and checks the file. Throws ConfigError.
Config load_config(const std::string& path);

// Parses INI text as if it were the file `path` (for tests). Throws ConfigError.
Config parse_config(const std::string& text, const std::string& path);

// The compiled-in configuration path: SYSCONFDIR/sealform/sealform.conf.
std::string default_config_path();

// The path from an explicit --config value, else SEALFORM_CONFIG, else
// default_config_path().
std::string resolve_config_path(const std::string& from_command_line);

}  // namespace sealform

#endif  // SEALFORM_CORE_CONFIG_H_
