// pages.h: HTML pages from mustache templates and per-locale message catalogs.
//
// Pages::load() reads every template (<data_dir>/templates/*.mustache) and
// every catalog (<data_dir>/messages/<locale>.json, flat "key": "text") once,
// at start; a missing or unparsable file throws sealform::Error naming it.
// render() fills a page template, then the layout, with HTML escaping on by
// default ({{name}} escapes; {{{name}}} is used only for the already-rendered
// page body). Catalog strings are exposed to templates as {{t.key}}. The
// static files' URLs carry a version taken from their contents.
// Thread-safe: each thread parses its own copy of the templates once.
#ifndef SEALFORM_WEB_PAGES_H_
#define SEALFORM_WEB_PAGES_H_

#include <kainjow/mustache.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace sealform::web {

using MustacheData = kainjow::mustache::data;

class Catalog {
 public:
  explicit Catalog(std::map<std::string, std::string> entries);
  // The text for `key`; the key itself if the catalog lacks it (a unit test
  // keeps the shipped catalogs complete). By value: a reference could
  // outlive a temporary key.
  std::string text(const std::string& key) const;
  // The text for `key` with each "{name}" replaced by values[name] (plain
  // text; the template escapes the result). Unknown placeholders stay.
  std::string format(const std::string& key,
                     const std::map<std::string, std::string>& values) const;
  bool has(const std::string& key) const { return entries_.count(key) != 0; }
  const std::map<std::string, std::string>& entries() const { return entries_; }
  const MustacheData& as_data() const { return data_; }
  // {"t": the catalog}: the bottom layer of every render context, shared
  // read-only by all requests instead of copied into each page's data.
  const MustacheData& as_scope() const { return scope_; }

 private:
  std::map<std::string, std::string> entries_;
  MustacheData data_;
  MustacheData scope_;
};

class Pages {
 public:
  static std::shared_ptr<const Pages> load(const std::string& data_dir);

  const Catalog& catalog(std::string_view locale) const;

  // Renders templates/<page>.mustache with `page_data`, then the layout.
  // `page_data` gets "t" (the catalog); `layout_data` gets "content".
  std::string render(std::string_view page, std::string_view locale, MustacheData page_data,
                     MustacheData layout_data) const;

  const std::map<std::string, std::string>& template_sources() const { return sources_; }

  // "?v=" and the first 10 hex digits of a SHA-256 over the static files
  // the pages load (<data_dir>/static/sealform.css and consent.js), for
  // their URLs: the web server may let browsers cache them for days, and
  // after an upgrade the pages must not run an old script. "" when the
  // files are not there (served from elsewhere).
  const std::string& asset_query() const { return asset_query_; }

 private:
  Pages() = default;
  std::uint64_t generation_ = 0;
  std::string asset_query_;
  std::map<std::string, std::string> sources_;  // page name -> template text
  std::map<std::string, Catalog, std::less<>> catalogs_;
};

}  // namespace sealform::web

#endif  // SEALFORM_WEB_PAGES_H_
