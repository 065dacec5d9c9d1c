// config.cc: reading sealform.conf with inih and checking every key.
//
// inih does the INI lexing; this file owns the key table (section, key,
// parser), required keys, and messages of the form
//   FILE:LINE: section.key: what is wrong
// inih hands lines to us through a reader callback, so we know the line
// number of every key (Debian's inih is built without INI_HANDLER_LINENO)
// and can refuse lines longer than inih's fixed buffer instead of letting
// it split them silently.
#include "core/config.h"

#include <arpa/inet.h>
#include <ini.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "core/fields.h"

namespace sealform {
namespace {

constexpr int kIniMaxLine = 200;  // INI_MAX_LINE of Debian's libinih

using Setter = std::function<std::string(Config&, const std::string&)>;

struct KeySpec {
  const char* section;
  std::string key;
  bool required;
  Setter set;  // returns "" on success, else what is wrong with the value
};

std::string parse_int(const std::string& text, long min, long max, long* out) {
  if (text.empty()) return "a number is required";
  for (char c : text) {
    if (c < '0' || c > '9') return "must be a whole number";
  }
  errno = 0;
  char* end = nullptr;
  long value = std::strtol(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0' || value < min || value > max) {
    return "must be between " + std::to_string(min) + " and " + std::to_string(max);
  }
  *out = value;
  return "";
}

Setter int_setter(int Config::*member, long min, long max) {
  return [member, min, max](Config& c, const std::string& v) {
    long n = 0;
    std::string err = parse_int(v, min, max, &n);
    if (err.empty()) c.*member = static_cast<int>(n);
    return err;
  };
}

Setter text_setter(std::string Config::*member, bool allow_empty = false) {
  return [member, allow_empty](Config& c, const std::string& v) {
    if (v.empty() && !allow_empty) return std::string("must not be empty");
    c.*member = v;
    return std::string();
  };
}

// Every item between separators, trimmed, empty ones included ("" is one
// empty item, "a," two), so that a list's checks see them.
std::vector<std::string> split_list(const std::string& text, char sep) {
  std::vector<std::string> items;
  std::size_t start = 0;
  for (;;) {
    std::size_t end = text.find(sep, start);
    const std::string item = text.substr(start, end == std::string::npos ? end : end - start);
    const auto begin = item.find_first_not_of(" \t");
    const auto last = item.find_last_not_of(" \t");
    items.push_back(begin == std::string::npos ? "" : item.substr(begin, last - begin + 1));
    if (end == std::string::npos) return items;
    start = end + 1;
  }
}

bool is_category_key(const std::string& key) {
  if (key.empty() || key.size() > 32) return false;
  for (char c : key) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// A lower-case DNS name or IPv4 address: dot-separated labels of a-z, 0-9
// and '-', none empty, none starting or ending with '-'.
bool is_host_name(const std::string& host) {
  if (host.empty() || host.size() > 253) return false;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = host.find('.', start);
    const std::string label = host.substr(start, end == std::string::npos ? end : end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    }
    if (end == std::string::npos) return true;
    start = end + 1;
  }
}

// scheme://host[:port] with scheme http or https, no path, query or
// userinfo; host a lower-case name, an IPv4 address or a bracketed IPv6
// address, port 1-65535 in decimal.
bool is_origin(const std::string& text) {
  std::string rest;
  if (text.rfind("https://", 0) == 0) {
    rest = text.substr(8);
  } else if (text.rfind("http://", 0) == 0) {
    rest = text.substr(7);
  } else {
    return false;
  }
  std::string host = rest;
  std::string port;
  if (!rest.empty() && rest.front() == '[') {
    const std::size_t close = rest.find(']');
    if (close == std::string::npos) return false;
    host = rest.substr(0, close + 1);
    const std::string after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return false;
      port = after.substr(1);
      if (port.empty()) return false;
    }
    const std::string literal = host.substr(1, host.size() - 2);
    in6_addr address{};
    if (literal.find_first_of("ABCDEF") != std::string::npos ||
        inet_pton(AF_INET6, literal.c_str(), &address) != 1) {
      return false;
    }
  } else {
    const std::size_t colon = rest.find(':');
    if (colon != std::string::npos) {
      host = rest.substr(0, colon);
      port = rest.substr(colon + 1);
      if (port.empty()) return false;
    }
    if (!is_host_name(host)) return false;
  }
  if (!port.empty()) {
    if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return false;
    const long number = std::strtol(port.c_str(), nullptr, 10);
    if (number < 1 || number > 65535) return false;
  }
  return true;
}

std::string origin_of_url(const std::string& url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return "";
  auto path_start = url.find('/', scheme_end + 3);
  return url.substr(0, path_start);
}

bool is_iso_date(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  const int year = std::atoi(text.substr(0, 4).c_str());
  const int month = std::atoi(text.substr(5, 2).c_str());
  const int day = std::atoi(text.substr(8, 2).c_str());
  if (month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

// The locales a "KEY.LOCALE" text can be given for.
constexpr const char* kLocales[] = {"en-us", "zh-cn", "zh-tw"};

// name | purpose | lifetime, name | purpose | lifetime ...
std::string parse_cookie_list(const std::string& text, std::vector<AnalyticsCookie>* out) {
  out->clear();
  if (text.empty()) return "";
  for (const auto& entry : split_list(text, ',')) {
    std::vector<std::string> parts = split_list(entry, '|');
    if (parts.size() != 3 || parts[0].empty() || parts[1].empty() || parts[2].empty()) {
      return "must be a comma-separated list of 'name | purpose | lifetime'";
    }
    out->push_back({parts[0], parts[1], parts[2]});
  }
  return "";
}

std::string cookie_names(const std::vector<AnalyticsCookie>& cookies) {
  std::string names;
  for (const AnalyticsCookie& cookie : cookies) names += (names.empty() ? "" : ", ") + cookie.name;
  return names.empty() ? "none" : names;
}

// The "KEY.LOCALE" keys: the operator's prose in each page language.
void add_localised_keys(std::vector<KeySpec>& table) {
  for (const std::string locale : kLocales) {
    table.push_back({"site", "organisation." + locale, false,
                     [locale](Config& c, const std::string& v) {
                       if (v.empty()) return std::string("must not be empty");
                       c.organisation_by_locale[locale] = v;
                       return std::string();
                     }});
    table.push_back({"site", "data_location." + locale, false,
                     [locale](Config& c, const std::string& v) {
                       if (v.empty()) return std::string("must not be empty");
                       c.data_location_by_locale[locale] = v;
                       return std::string();
                     }});
    table.push_back({"cookies", "analytics_cookies." + locale, false,
                     [locale](Config& c, const std::string& v) {
                       return parse_cookie_list(v, &c.analytics_cookies_by_locale[locale]);
                     }});
  }
}

const std::vector<KeySpec>& key_table() {
  static const std::vector<KeySpec> table = [] {
    std::vector<KeySpec> specs = {
      {"site", "organisation", true, text_setter(&Config::organisation)},
      {"site", "origin", true,
       [](Config& c, const std::string& v) {
         if (!is_origin(v)) {
           return std::string("must be scheme://host[:port] in lower case, http or https, no path");
         }
         c.origin = v;
         return std::string();
       }},
      {"site", "contact_email", true,
       [](Config& c, const std::string& v) {
         auto at = v.find('@');
         if (at == std::string::npos || at == 0 || at + 1 == v.size()) {
           return std::string("must be an email address");
         }
         c.contact_email = v;
         return std::string();
       }},
      {"site", "data_location", true, text_setter(&Config::data_location)},
      {"site", "policy_version", true, text_setter(&Config::policy_version)},
      {"site", "policy_date", true,
       [](Config& c, const std::string& v) {
         if (!is_iso_date(v)) return std::string("must be a date YYYY-MM-DD");
         c.policy_date = v;
         return std::string();
       }},
      {"site", "default_locale", false,
       [](Config& c, const std::string& v) {
         if (v != "en-us" && v != "zh-cn" && v != "zh-tw") {
           return std::string("must be en-us, zh-cn or zh-tw");
         }
         c.default_locale = v;
         return std::string();
       }},
      {"site", "base_path", false,
       [](Config& c, const std::string& v) {
         // It goes into URLs, HTML and the cookie's Path attribute as it
         // is: unreserved path characters only, no dot segments.
         static constexpr std::string_view kPathCharacters =
             "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/";
         if (v.empty() || v.front() != '/' || v.back() != '/' ||
             v.find("//") != std::string::npos || v.find("/./") != std::string::npos ||
             v.find("/../") != std::string::npos ||
             v.find_first_not_of(kPathCharacters) != std::string::npos) {
           return std::string(
               "must start and end with '/' and hold only letters, digits, '-', '.', '_', '~' "
               "and '/' (for example / or /contact/)");
         }
         c.base_path = v;
         return std::string();
       }},
      {"storage", "database", true, text_setter(&Config::database)},
      {"storage", "hold_database", true, text_setter(&Config::hold_database)},
      {"storage", "synchronous", false,
       [](Config& c, const std::string& v) {
         static const std::map<std::string, Synchronous> names = {{"off", Synchronous::kOff},
                                                                  {"normal", Synchronous::kNormal},
                                                                  {"full", Synchronous::kFull},
                                                                  {"extra", Synchronous::kExtra}};
         auto it = names.find(v);
         if (it == names.end()) return std::string("must be off, normal, full or extra");
         c.synchronous = it->second;
         return std::string();
       }},
      {"storage", "busy_timeout_ms", false, int_setter(&Config::busy_timeout_ms, 0, 600000)},
      {"keys", "directory", true, text_setter(&Config::key_directory)},
      {"form", "categories", true,
       [](Config& c, const std::string& v) {
         std::vector<std::string> keys = split_list(v, ',');
         std::set<std::string> seen;
         for (const auto& key : keys) {
           if (!is_category_key(key)) {
             return std::string(
                 "must be a comma-separated list of keys (a-z, 0-9, '_' or '-', at most 32 each)");
           }
           if (!seen.insert(key).second) return "lists '" + key + "' twice";
         }
         c.categories = keys;
         return std::string();
       }},
      {"form", "max_body_bytes", false,
       [](Config& c, const std::string& v) {
         long n = 0;
         std::string err = parse_int(v, 1024, 16L * 1024 * 1024, &n);
         if (err.empty()) c.max_body_bytes = n;
         return err;
       }},
      {"form", "min_fill_seconds", false, int_setter(&Config::min_fill_seconds, 0, 3600)},
      {"form", "token_lifetime_seconds", false,
       int_setter(&Config::token_lifetime_seconds, 60, 7 * 86400)},
      {"form", "honeypot_field", false,
       [](Config& c, const std::string& v) {
         if (!is_category_key(v)) return std::string("must be a field name (a-z, 0-9, '_' or '-')");
         if (find_field(v) != nullptr || v == "token") {
           return std::string("must not be the name of a real form field");
         }
         c.honeypot_field = v;
         return std::string();
       }},
      {"rate_limit", "per_client", false, int_setter(&Config::per_client_limit, 1, 1000000)},
      {"rate_limit", "per_client_window_seconds", false,
       int_setter(&Config::per_client_window_seconds, 1, 86400)},
      {"rate_limit", "global", false, int_setter(&Config::global_limit, 1, 100000000)},
      {"rate_limit", "global_window_seconds", false,
       int_setter(&Config::global_window_seconds, 1, 86400)},
      {"retention", "days_after_resolution", false, int_setter(&Config::retention_days, 0, 36500)},
      {"retention", "unresolved_warning_days", false,
       int_setter(&Config::unresolved_warning_days, 1, 36500)},
      {"retention", "audit_days", false, int_setter(&Config::audit_retention_days, 1, 36500)},
      {"retention", "consent_record_days", false,
       int_setter(&Config::consent_record_days, 1, 36500)},
      {"cookies", "consent_lifetime_days", false,
       int_setter(&Config::consent_lifetime_days, 1, 395)},
      {"cookies", "analytics_script_url", false,
       [](Config& c, const std::string& v) {
         if (!v.empty() && (v.rfind("https://", 0) != 0 && v.rfind("http://", 0) != 0)) {
           return std::string("must be an absolute http(s) URL, or empty for no analytics");
         }
         if (!v.empty() && !is_origin(origin_of_url(v))) {
           return std::string("must have a lower-case host without user name");
         }
         c.analytics_script_url = v;
         return std::string();
       }},
      {"cookies", "analytics_cookies", false,
       [](Config& c, const std::string& v) { return parse_cookie_list(v, &c.analytics_cookies); }},
      {"web", "data_directory", false, text_setter(&Config::data_directory)},
      {"web", "stop_grace_seconds", false, int_setter(&Config::stop_grace_seconds, 1, 3600)},
      {"notify", "command", false, text_setter(&Config::notify_command, true)},
    };
    add_localised_keys(specs);
    return specs;
  }();
  return table;
}

// Feeds inih one line at a time and remembers which line it is on.
struct Reader {
  std::istringstream input;
  int line = 0;
  int first_long_line = 0;
};

char* read_line(char* buffer, int size, void* stream) {
  auto* reader = static_cast<Reader*>(stream);
  std::string line;
  if (!std::getline(reader->input, line)) return nullptr;
  ++reader->line;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  // Leading white space would make inih treat the line as a continuation of
  // the previous value; sealform's format has no continuation lines.
  auto start = line.find_first_not_of(" \t");
  line = start == std::string::npos ? "" : line.substr(start);
  if (static_cast<int>(line.size()) + 2 > size) {
    if (reader->first_long_line == 0) reader->first_long_line = reader->line;
    line = ";";  // keep inih's line count; the error is reported after parsing
  }
  std::memcpy(buffer, line.data(), line.size());
  buffer[line.size()] = '\n';
  buffer[line.size() + 1] = '\0';
  return buffer;
}

struct ParseState {
  Config config;
  Reader* reader = nullptr;
  std::map<std::string, int> seen;  // "section.key" -> line
  int error_line = 0;
  std::string error;
};

int on_key(void* user, const char* section, const char* name, const char* value) {
  auto* state = static_cast<ParseState*>(user);
  const int line = state->reader->line;
  const std::string full = std::string(section) + "." + name;
  auto fail = [&](const std::string& what) {
    if (state->error_line == 0) {
      state->error_line = line;
      state->error = full + ": " + what;
    }
    return 0;
  };
  const KeySpec* spec = nullptr;
  for (const auto& candidate : key_table()) {
    if (candidate.section == std::string(section) && candidate.key == std::string(name)) {
      spec = &candidate;
      break;
    }
  }
  if (spec == nullptr) return fail("unknown key");
  auto [it, inserted] = state->seen.emplace(full, line);
  if (!inserted) return fail("given twice (first on line " + std::to_string(it->second) + ")");
  std::string problem = spec->set(state->config, value);
  if (!problem.empty()) return fail(problem);
  return 1;
}

}  // namespace

std::string Config::analytics_origin() const {
  return analytics_script_url.empty() ? "" : origin_of_url(analytics_script_url);
}

const std::string& Config::organisation_in(std::string_view locale) const {
  const auto found = organisation_by_locale.find(locale);
  return found == organisation_by_locale.end() ? organisation : found->second;
}

const std::string& Config::data_location_in(std::string_view locale) const {
  const auto found = data_location_by_locale.find(locale);
  return found == data_location_by_locale.end() ? data_location : found->second;
}

const std::vector<AnalyticsCookie>& Config::analytics_cookies_in(std::string_view locale) const {
  const auto found = analytics_cookies_by_locale.find(locale);
  return found == analytics_cookies_by_locale.end() ? analytics_cookies : found->second;
}

Config parse_config(const std::string& text, const std::string& path) {
  Reader reader;
  reader.input.str(text);
  ParseState state;
  state.reader = &reader;
  state.config.source_path = path;
#ifdef PKGDATADIR
  state.config.data_directory = PKGDATADIR;
#else
  state.config.data_directory = "/usr/share/sealform";
#endif

  const int result = ini_parse_stream(&read_line, &reader, &on_key, &state);
  if (reader.first_long_line != 0 &&
      (state.error_line == 0 || reader.first_long_line < state.error_line)) {
    throw ConfigError(path + ":" + std::to_string(reader.first_long_line) +
                      ": line too long (at most " + std::to_string(kIniMaxLine - 2) +
                      " characters)");
  }
  if (result != 0 && (state.error_line == 0 || result < state.error_line)) {
    throw ConfigError(path + ":" + std::to_string(result) +
                      ": cannot parse this line (expected [section] or key = value)");
  }
  if (state.error_line != 0) {
    throw ConfigError(path + ":" + std::to_string(state.error_line) + ": " + state.error);
  }
  for (const auto& spec : key_table()) {
    const std::string full = std::string(spec.section) + "." + spec.key;
    if (spec.required && state.seen.count(full) == 0) {
      throw ConfigError(path + ":" + std::to_string(reader.line) + ": " + full +
                        ": missing (required key in [" + spec.section + "])");
    }
  }
  if (state.config.database == state.config.hold_database) {
    throw ConfigError(path + ":" + std::to_string(state.seen["storage.hold_database"]) +
                      ": storage.hold_database: must be a different file from storage.database");
  }
  // A translation of the analytics cookies describes the same cookies.
  for (const auto& [locale, cookies] : state.config.analytics_cookies_by_locale) {
    const auto& defaults = state.config.analytics_cookies;
    bool same = cookies.size() == defaults.size();
    for (std::size_t i = 0; same && i < cookies.size(); ++i) {
      same = cookies[i].name == defaults[i].name;
    }
    if (!same) {
      const std::string key = "cookies.analytics_cookies." + locale;
      throw ConfigError(path + ":" + std::to_string(state.seen[key]) + ": " + key +
                        ": must list the same cookies in the same order as "
                        "cookies.analytics_cookies (" +
                        cookie_names(defaults) + ")");
    }
  }
  // The proof of a consent choice must outlive the cookie that carries it.
  if (state.config.consent_record_days < state.config.consent_lifetime_days) {
    const int line = state.seen.count("retention.consent_record_days") != 0
                         ? state.seen["retention.consent_record_days"]
                         : state.seen["cookies.consent_lifetime_days"];
    throw ConfigError(path + ":" + std::to_string(line) +
                      ": retention.consent_record_days: must be at least "
                      "cookies.consent_lifetime_days (" +
                      std::to_string(state.config.consent_lifetime_days) +
                      "): a choice's proof must outlive its cookie");
  }
  return state.config;
}

Config load_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw ConfigError(path + ":0: cannot open configuration file: " + std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_config(text.str(), path);
}

std::string default_config_path() {
#ifdef SYSCONFDIR
  return std::string(SYSCONFDIR) + "/sealform/sealform.conf";
#else
  return "/etc/sealform/sealform.conf";
#endif
}

std::string resolve_config_path(const std::string& from_command_line) {
  if (!from_command_line.empty()) return from_command_line;
  const char* env = std::getenv("SEALFORM_CONFIG");
  if (env != nullptr && *env != '\0') return env;
  return default_config_path();
}

}  // namespace sealform
