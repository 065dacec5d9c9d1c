// Tests for the request adapter (src/fcgi/request_adapter.h): canned
// RFC 3875 environments in, web::Request out; web::Response to CGI output.
#include <cppunit/extensions/HelperMacros.h>

#include <map>
#include <set>
#include <string>

#include "fcgi/request_adapter.h"
#include "web/http.h"

namespace sealform::fcgi {

namespace {

using Env = std::map<std::string, std::string>;

Env get_env(const std::string& uri) {
  return {{"GATEWAY_INTERFACE", "CGI/1.1"}, {"REQUEST_METHOD", "GET"},
          {"REQUEST_URI", uri},             {"QUERY_STRING", ""},
          {"REMOTE_ADDR", "192.0.2.7"},     {"SERVER_PROTOCOL", "HTTP/1.1"}};
}

}  // namespace

class RequestAdapterTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(RequestAdapterTest);
  CPPUNIT_TEST(MapsTheBasicVariables);
  CPPUNIT_TEST(PathFromScriptNameAndPathInfoWithoutRequestUri);
  CPPUNIT_TEST(CarriesContentLengthExactly);
  CPPUNIT_TEST(HttpsFromHttpsOrScheme);
  CPPUNIT_TEST(KeepsOnlyTheListedHeaders);
  CPPUNIT_TEST(NeverCarriesHttpProxy);
  CPPUNIT_TEST(LongNamesAndValues);
  CPPUNIT_TEST(DecodesPaths);
  CPPUNIT_TEST(KeepsBadPathsUndecoded);
  CPPUNIT_TEST(AsksOnlyForKnownVariables);
  CPPUNIT_TEST(RequestIdsAreShortHexAndDistinct);
  CPPUNIT_TEST(SerialisesStatusHeadersAndBody);
  CPPUNIT_TEST(HeadOmitsTheBody);
  CPPUNIT_TEST(HeaderValuesCannotSplitLines);
  CPPUNIT_TEST(StatusLines);
  CPPUNIT_TEST_SUITE_END();

 public:
  void MapsTheBasicVariables() {
    Env env = get_env("/en-us/enquiry?lang=x");
    env["REQUEST_METHOD"] = "POST";
    env["QUERY_STRING"] = "lang=x";
    env["CONTENT_TYPE"] = "application/x-www-form-urlencoded";
    env["CONTENT_LENGTH"] = "42";
    const web::Request r = build_request(env);
    CPPUNIT_ASSERT_EQUAL(std::string("POST"), r.method);
    CPPUNIT_ASSERT_EQUAL(std::string("/en-us/enquiry"), r.path);
    CPPUNIT_ASSERT_EQUAL(std::string("lang=x"), r.query);
    CPPUNIT_ASSERT_EQUAL(std::string("42"), r.content_length);
    CPPUNIT_ASSERT_EQUAL(std::string("application/x-www-form-urlencoded"), r.content_type);
    CPPUNIT_ASSERT_EQUAL(std::string("192.0.2.7"), r.remote_addr);
    CPPUNIT_ASSERT(!r.https);
    CPPUNIT_ASSERT(r.headers.empty());
  }

  void PathFromScriptNameAndPathInfoWithoutRequestUri() {
    Env env = get_env("");
    env.erase("REQUEST_URI");
    env["SCRIPT_NAME"] = "/cgi-bin/sealform";
    env["PATH_INFO"] = "/en-us/enquiry";
    CPPUNIT_ASSERT_EQUAL(std::string("/cgi-bin/sealform/en-us/enquiry"), build_request(env).path);
    env.erase("SCRIPT_NAME");
    CPPUNIT_ASSERT_EQUAL(std::string("/en-us/enquiry"), build_request(env).path);
    env.erase("PATH_INFO");
    CPPUNIT_ASSERT_EQUAL(std::string(""), build_request(env).path);
  }

  // Validating CONTENT_LENGTH is the application's job (PITFALLS 3); the
  // adapter must hand over exactly what the server sent, whatever it is.
  void CarriesContentLengthExactly() {
    const std::string table[] = {"0",  "1",   "98304", "98305", "-1", "+5", " 5", "5 ", "0x10",
                                 "1e3", "",   "00012", "18446744073709551616",
                                 "99999999999999999999999999", std::string("5\0" "0", 3), "abc"};
    for (const std::string& value : table) {
      Env env = get_env("/en-us/enquiry");
      env["CONTENT_LENGTH"] = value;
      CPPUNIT_ASSERT_EQUAL_MESSAGE("CONTENT_LENGTH table", value,
                                   build_request(env).content_length);
    }
    CPPUNIT_ASSERT_EQUAL(std::string(""), build_request(get_env("/")).content_length);
  }

  void HttpsFromHttpsOrScheme() {
    Env env = get_env("/");
    env["HTTPS"] = "on";
    CPPUNIT_ASSERT(build_request(env).https);
    env["HTTPS"] = "off";
    CPPUNIT_ASSERT(!build_request(env).https);
    env.erase("HTTPS");
    env["REQUEST_SCHEME"] = "https";
    CPPUNIT_ASSERT(build_request(env).https);
    env["REQUEST_SCHEME"] = "http";
    CPPUNIT_ASSERT(!build_request(env).https);
  }

  void KeepsOnlyTheListedHeaders() {
    Env env = get_env("/");
    env["HTTP_ACCEPT"] = "text/html";
    env["HTTP_ACCEPT_LANGUAGE"] = "zh-TW,zh;q=0.9";
    env["HTTP_ORIGIN"] = "https://www.example.com";
    env["HTTP_REFERER"] = "https://www.example.com/en-us/enquiry";
    env["HTTP_COOKIE"] = "sealform_consent=v1";
    env["HTTP_USER_AGENT"] = "Mozilla/5.0";
    env["HTTP_X_FORWARDED_FOR"] = "198.51.100.1";
    env["HTTP_HOST"] = "www.example.com";
    const web::Request r = build_request(env);
    const std::map<std::string, std::string> expected = {
        {"accept", "text/html"},
        {"accept-language", "zh-TW,zh;q=0.9"},
        {"origin", "https://www.example.com"},
        {"referer", "https://www.example.com/en-us/enquiry"},
        {"cookie", "sealform_consent=v1"}};
    CPPUNIT_ASSERT(expected == r.headers);
    CPPUNIT_ASSERT_EQUAL(std::string(""), r.header("user-agent"));
  }

  // httpoxy (PITFALLS 14): a client's "Proxy:" header arrives as HTTP_PROXY.
  void NeverCarriesHttpProxy() {
    Env env = get_env("/");
    env["HTTP_PROXY"] = "http://attacker.example:8080";
    const web::Request r = build_request(env);
    CPPUNIT_ASSERT_EQUAL(std::string(""), r.header("proxy"));
    CPPUNIT_ASSERT_EQUAL(std::string(""), r.header("http_proxy"));
    for (const auto& [name, value] : r.headers) {
      CPPUNIT_ASSERT(value.find("attacker") == std::string::npos);
    }
  }

  // FastCGI encodes lengths above 127 bytes in four bytes (FastCGI spec
  // section 3.4); the adapter must carry such names and values whole.
  void LongNamesAndValues() {
    const std::string long_value(5000, 'a');
    const std::string long_path = "/" + std::string(300, 'p');
    const std::string long_name = "HTTP_X_" + std::string(200, 'N');
    Env env = get_env(long_path + "?" + long_value);
    env["QUERY_STRING"] = long_value;
    env["HTTP_COOKIE"] = long_value;
    env["HTTP_ACCEPT_LANGUAGE"] = std::string(128, 'l');
    env[long_name] = long_value;
    const web::Request r = build_request(env);
    CPPUNIT_ASSERT_EQUAL(long_path, r.path);
    CPPUNIT_ASSERT_EQUAL(long_value, r.query);
    CPPUNIT_ASSERT_EQUAL(long_value, r.header("cookie"));
    CPPUNIT_ASSERT_EQUAL(std::string(128, 'l'), r.header("accept-language"));
    CPPUNIT_ASSERT_EQUAL(std::size_t{2}, r.headers.size());
  }

  void DecodesPaths() {
    const std::pair<const char*, std::string> table[] = {
        {"/en-us/enquiry", "/en-us/enquiry"},
        {"/en-us/enquiry?x=%2F", "/en-us/enquiry"},
        {"/%65n-us/enquiry", "/en-us/enquiry"},
        {"/zh-tw/%E8%A1%A8", "/zh-tw/\xE8\xA1\xA8"},
        {"/a%20b", "/a b"},
        {"/a+b", "/a+b"},
        {"/%7e", "/~"},
        {"/", "/"},
        {"", ""},
        {"?only=query", ""},
    };
    for (const auto& [uri, expected] : table) {
      CPPUNIT_ASSERT_EQUAL_MESSAGE(uri, expected, decode_path(uri));
      CPPUNIT_ASSERT_EQUAL_MESSAGE(uri, expected, build_request(get_env(uri)).path);
    }
  }

  // Invalid escapes, an encoded NUL and an encoded '/' leave the path as
  // sent: it keeps its '%', matches no route and is answered 404.
  void KeepsBadPathsUndecoded() {
    const char* table[] = {"/en-us%2Fenquiry", "/en-us/enquiry%00", "/%00",  "/a%zz", "/a%",
                           "/a%4",             "/a%%41",            "/%G0",  "/%2f",  "/a%-1"};
    for (const char* uri : table) {
      CPPUNIT_ASSERT_EQUAL_MESSAGE(uri, std::string(uri), decode_path(uri));
      CPPUNIT_ASSERT_EQUAL_MESSAGE(uri, std::string(uri), build_request(get_env(uri)).path);
    }
    CPPUNIT_ASSERT_EQUAL(std::string("/a%zz"), decode_path("/a%zz?q=%41"));
  }

  // The adapter reads a fixed list of variables, never the whole
  // environment, and never HTTP_PROXY.
  void AsksOnlyForKnownVariables() {
    std::set<std::string> asked;
    build_request([&asked](const std::string& name) -> std::optional<std::string> {
      asked.insert(name);
      return std::nullopt;
    });
    const std::set<std::string> allowed = {
        "REQUEST_METHOD", "REQUEST_URI",  "SCRIPT_NAME", "PATH_INFO",      "QUERY_STRING",
        "CONTENT_LENGTH", "CONTENT_TYPE", "REMOTE_ADDR", "HTTPS",          "REQUEST_SCHEME",
        "HTTP_ACCEPT",    "HTTP_ACCEPT_LANGUAGE",        "HTTP_ORIGIN",    "HTTP_REFERER",
        "HTTP_COOKIE"};
    for (const std::string& name : asked) {
      CPPUNIT_ASSERT_MESSAGE(name, allowed.count(name) == 1);
    }
    CPPUNIT_ASSERT(asked.count("HTTP_PROXY") == 0);
    CPPUNIT_ASSERT(asked.count("REQUEST_METHOD") == 1);
  }

  void RequestIdsAreShortHexAndDistinct() {
    std::set<std::string> ids;
    for (int i = 0; i < 100; ++i) {
      const std::string id = build_request(get_env("/")).request_id;
      CPPUNIT_ASSERT_EQUAL(std::size_t{12}, id.size());
      CPPUNIT_ASSERT(id.find_first_not_of("0123456789abcdef") == std::string::npos);
      ids.insert(id);
    }
    CPPUNIT_ASSERT_EQUAL(std::size_t{100}, ids.size());
  }

  void SerialisesStatusHeadersAndBody() {
    web::Response response;
    response.status = 303;
    response.set_header("Location", "/en-us/enquiry/thanks?ref=ENQ-1");
    response.set_header("Cache-Control", "no-store");
    response.body = "see other";
    CPPUNIT_ASSERT_EQUAL(std::string("Status: 303 See Other\r\n"
                                     "Location: /en-us/enquiry/thanks?ref=ENQ-1\r\n"
                                     "Cache-Control: no-store\r\n"
                                     "\r\n"
                                     "see other"),
                         serialize_response(response, "POST"));
    web::Response empty;
    CPPUNIT_ASSERT_EQUAL(std::string("Status: 200 OK\r\n\r\n"), serialize_response(empty, "GET"));
    // A body with NUL bytes and CRLF goes out byte for byte.
    web::Response binary;
    binary.body = std::string("a\0b\r\n\r\nc", 8);
    CPPUNIT_ASSERT_EQUAL(std::string("Status: 200 OK\r\n\r\n") + binary.body,
                         serialize_response(binary, "GET"));
  }

  void HeadOmitsTheBody() {
    web::Response response;
    response.set_header("Content-Type", "text/html; charset=utf-8");
    response.body = "<!DOCTYPE html><html></html>";
    CPPUNIT_ASSERT_EQUAL(std::string("Status: 200 OK\r\n"
                                     "Content-Type: text/html; charset=utf-8\r\n\r\n"),
                         serialize_response(response, "HEAD"));
    CPPUNIT_ASSERT(serialize_response(response, "GET").find("<html>") != std::string::npos);
  }

  void HeaderValuesCannotSplitLines() {
    web::Response response;
    response.status = 303;
    response.set_header("Location", "/x\r\nSet-Cookie: evil=1");
    const std::string out = serialize_response(response, "GET");
    CPPUNIT_ASSERT_EQUAL(std::string("Status: 303 See Other\r\n"
                                     "Location: /xSet-Cookie: evil=1\r\n\r\n"),
                         out);
  }

  void StatusLines() {
    const std::pair<int, const char*> table[] = {
        {200, "200 OK"},
        {201, "201 Created"},
        {303, "303 See Other"},
        {400, "400 Bad Request"},
        {403, "403 Forbidden"},
        {404, "404 Not Found"},
        {405, "405 Method Not Allowed"},
        {413, "413 Content Too Large"},
        {415, "415 Unsupported Media Type"},
        {422, "422 Unprocessable Content"},
        {429, "429 Too Many Requests"},
        {500, "500 Internal Server Error"},
        {503, "503 Service Unavailable"},
    };
    for (const auto& [status, line] : table) {
      CPPUNIT_ASSERT_EQUAL(std::string(line), web::status_line(status));
      web::Response response;
      response.status = status;
      CPPUNIT_ASSERT_EQUAL("Status: " + std::string(line) + "\r\n\r\n",
                           serialize_response(response, "GET"));
    }
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RequestAdapterTest);

}  // namespace sealform::fcgi
