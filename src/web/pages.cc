// pages.cc: loading templates and catalogs once; rendering with escaping.
#include "web/pages.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <sstream>

#include "core/error.h"
#include "web/locale.h"

namespace sealform::web {
namespace {

std::string read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot read " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::atomic<std::uint64_t> next_generation{1};

using Mustache = kainjow::mustache::mustache;

// One thread's parsed copy of a Pages' templates.
struct ParsedTemplates {
  std::uint64_t generation = 0;
  std::map<std::string, std::unique_ptr<Mustache>, std::less<>> by_name;
};

}  // namespace

Catalog::Catalog(std::map<std::string, std::string> entries)
    : entries_(std::move(entries)),
      data_(MustacheData::type::object),
      scope_(MustacheData::type::object) {
  for (const auto& [key, value] : entries_) data_.set(key, value);
  scope_.set("t", data_);
}

std::string Catalog::text(const std::string& key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? key : it->second;
}

std::string Catalog::format(const std::string& key,
                            const std::map<std::string, std::string>& values) const {
  const std::string pattern = text(key);
  std::string out;
  std::size_t at = 0;
  while (at < pattern.size()) {
    const std::size_t open = pattern.find('{', at);
    const std::size_t close = open == std::string::npos ? open : pattern.find('}', open);
    if (close == std::string::npos) break;
    out.append(pattern, at, open - at);
    auto value = values.find(pattern.substr(open + 1, close - open - 1));
    if (value == values.end()) {
      out.append(pattern, open, close - open + 1);
    } else {
      out += value->second;
    }
    at = close + 1;
  }
  if (at < pattern.size()) out.append(pattern, at, std::string::npos);
  return out;
}

namespace {

// See Pages::asset_query().
std::string asset_query_for(const std::string& static_dir) {
  std::string contents;
  for (const char* name : {"sealform.css", "consent.js"}) {
    const std::string path = static_dir + "/" + name;
    if (!std::filesystem::exists(path)) return "";
    contents += name;
    contents += '\0';
    contents += read_whole_file(path);
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(contents.data(), contents.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    throw Error("cannot hash the static files in " + static_dir);
  }
  static const char kHex[] = "0123456789abcdef";
  std::string query = "?v=";
  for (unsigned int i = 0; i < 5 && i < length; ++i) {
    query += kHex[digest[i] >> 4];
    query += kHex[digest[i] & 0x0f];
  }
  return query;
}

}  // namespace

std::shared_ptr<const Pages> Pages::load(const std::string& data_dir) {
  std::shared_ptr<Pages> pages(new Pages());
  pages->generation_ = next_generation++;
  const std::string template_dir = data_dir + "/templates";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(template_dir, ec)) {
    if (entry.path().extension() != ".mustache") continue;
    const std::string path = entry.path().string();
    std::string source = read_whole_file(path);
    Mustache check(source);
    if (!check.is_valid()) throw Error(path + ": " + check.error_message());
    pages->sources_[entry.path().stem().string()] = std::move(source);
  }
  if (ec) throw Error("cannot read template directory " + template_dir + ": " + ec.message());
  for (const char* required :
       {"layout", "banner", "form", "thanks", "not_found", "error", "privacy", "cookies"}) {
    if (pages->sources_.count(required) == 0) {
      throw Error("missing template " + template_dir + "/" + required + ".mustache");
    }
  }
  for (std::string_view locale : kLocales) {
    const std::string path = data_dir + "/messages/" + std::string(locale) + ".json";
    if (!std::filesystem::exists(path)) continue;  // falls back to en-us below
    std::map<std::string, std::string> entries;
    try {
      nlohmann::json json = nlohmann::json::parse(read_whole_file(path));
      for (const auto& [key, value] : json.items()) entries[key] = value.get<std::string>();
    } catch (const nlohmann::json::exception& e) {
      throw Error(path + ": not a flat JSON object of strings (" + e.what() + ")");
    }
    pages->catalogs_.emplace(std::string(locale), Catalog(std::move(entries)));
  }
  if (pages->catalogs_.count("en-us") == 0) {
    throw Error("missing message catalog " + data_dir + "/messages/en-us.json");
  }
  pages->asset_query_ = asset_query_for(data_dir + "/static");
  return pages;
}

const Catalog& Pages::catalog(std::string_view locale) const {
  auto it = catalogs_.find(locale);
  return it == catalogs_.end() ? catalogs_.find("en-us")->second : it->second;
}

std::string Pages::render(std::string_view page, std::string_view locale, MustacheData page_data,
                          MustacheData layout_data) const {
  thread_local ParsedTemplates parsed;
  if (parsed.generation != generation_) {
    parsed.by_name.clear();
    for (const auto& [name, source] : sources_) {
      parsed.by_name.emplace(name, std::make_unique<Mustache>(source));
    }
    parsed.generation = generation_;
  }
  auto body_template = parsed.by_name.find(page);
  if (body_template == parsed.by_name.end()) throw Error("no template named " + std::string(page));
  // Names resolve in the page's own data first, then in {"t": catalog}.
  const MustacheData& texts = catalog(locale).as_scope();
  kainjow::mustache::context<std::string> page_context(&texts);
  page_context.push(&page_data);
  layout_data.set("content", body_template->second->render(page_context));
  kainjow::mustache::context<std::string> layout_context(&texts);
  layout_context.push(&layout_data);
  // The consent banner goes before the page's content, except where its
  // buttons belong to the enquiry form (responses.h): there it follows the
  // form, so that the form's own button stays its default (Enter) button.
  if (const MustacheData* banner = layout_data.get("banner"); banner && banner->is_true()) {
    const bool after_main = layout_data.get("banner_form_owner") != nullptr;
    layout_data.set(after_main ? "banner_after_main" : "banner_before_main",
                    parsed.by_name.find("banner")->second->render(layout_context));
  }
  return parsed.by_name.find("layout")->second->render(layout_context);
}

}  // namespace sealform::web
