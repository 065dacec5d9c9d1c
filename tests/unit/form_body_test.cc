// Tests for parse_form_body(): cgicc decoding plus sealform's own checks.
#include "core/form_body.h"

#include <cppunit/extensions/HelperMacros.h>

#include <string>

namespace sealform {

class FormBodyTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(FormBodyTest);
  CPPUNIT_TEST(DecodesPlusAndPercent);
  CPPUNIT_TEST(KeepsOrderAndDuplicates);
  CPPUNIT_TEST(DecodesUtf8AndNul);
  CPPUNIT_TEST(RejectsMalformedEscapes);
  CPPUNIT_TEST(EmptyNamesAndSegments);
  CPPUNIT_TEST(FieldLimit);
  CPPUNIT_TEST(RawSemicolonRefused);
  CPPUNIT_TEST(FieldWithoutEqualsRefused);
  CPPUNIT_TEST(TenThousandFieldsRefused);
  CPPUNIT_TEST(LongNamesAndValues);
  CPPUNIT_TEST(EmptyBody);
  CPPUNIT_TEST_SUITE_END();

 public:
  void DecodesPlusAndPercent() {
    FormParseResult r = parse_form_body("a=x+y&b=x%2By&c=%41%62");
    CPPUNIT_ASSERT(r.ok);
    CPPUNIT_ASSERT_EQUAL(std::size_t{3}, r.fields.size());
    CPPUNIT_ASSERT_EQUAL(std::string("x y"), r.fields[0].second);
    CPPUNIT_ASSERT_EQUAL(std::string("x+y"), r.fields[1].second);
    CPPUNIT_ASSERT_EQUAL(std::string("Ab"), r.fields[2].second);
  }

  void KeepsOrderAndDuplicates() {
    FormParseResult r = parse_form_body("name=one&email=e&name=two");
    CPPUNIT_ASSERT(r.ok);
    CPPUNIT_ASSERT_EQUAL(std::size_t{3}, r.fields.size());
    CPPUNIT_ASSERT_EQUAL(std::string("name"), r.fields[0].first);
    CPPUNIT_ASSERT_EQUAL(std::string("name"), r.fields[2].first);
    CPPUNIT_ASSERT_EQUAL(std::string("two"), r.fields[2].second);
  }

  void DecodesUtf8AndNul() {
    FormParseResult r = parse_form_body("name=%E5%BC%A0%E4%BC%9F&x=a%00b");
    CPPUNIT_ASSERT(r.ok);
    CPPUNIT_ASSERT_EQUAL(std::string("\xE5\xBC\xA0\xE4\xBC\x9F"), r.fields[0].second);
    // %00 decodes to a NUL byte inside the value; the validator refuses it.
    CPPUNIT_ASSERT_EQUAL(std::string("a\0b", 3), r.fields[1].second);
  }

  void RejectsMalformedEscapes() {
    const char* bad[] = {"a=%zz", "a=%",        "a=%4",  "a=b%", "a=%g1",
                         "%zz=1", "a=1&b=%%41", "a=%-1", "a=% 1"};
    for (const char* body : bad) {
      FormParseResult r = parse_form_body(body);
      CPPUNIT_ASSERT_MESSAGE(body, !r.ok);
      CPPUNIT_ASSERT_EQUAL(std::string("bad_percent_encoding"), r.error);
      CPPUNIT_ASSERT(r.fields.empty());
    }
  }

  void EmptyNamesAndSegments() {
    // An empty name is kept as such (the validator ignores unknown names);
    // empty segments between '&' are not fields.
    FormParseResult r = parse_form_body("=orphan&&name=x&");
    CPPUNIT_ASSERT(r.ok);
    for (const auto& field : r.fields) {
      CPPUNIT_ASSERT(field.first == "" || field.first == "name");
    }
    bool found = false;
    for (const auto& field : r.fields)
      found = found || (field.first == "name" && field.second == "x");
    CPPUNIT_ASSERT(found);
  }

  void FieldLimit() {
    std::string body;
    for (std::size_t i = 0; i < kMaxFormFields; ++i) {
      body += (i ? "&f" : "f") + std::to_string(i) + "=v";
    }
    FormParseResult at_limit = parse_form_body(body);
    CPPUNIT_ASSERT(at_limit.ok);
    CPPUNIT_ASSERT_EQUAL(kMaxFormFields, at_limit.fields.size());
    FormParseResult over = parse_form_body(body + "&one=more");
    CPPUNIT_ASSERT(!over.ok);
    CPPUNIT_ASSERT_EQUAL(std::string("too_many_fields"), over.error);
  }

  // cgicc also splits at a raw ';', which the form encoding does not (a
  // browser sends %3B): it cut a message short, turned part of it into
  // another field, and let ';'-joined fields pass the field limit.
  void RawSemicolonRefused() {
    std::string joined;
    for (std::size_t i = 0; i <= kMaxFormFields; ++i) joined += (i ? ";a=" : "a=");
    const std::string bad[] = {"message=Hello;+world", "name=A&message=Hi;name=B", joined};
    for (const std::string& body : bad) {
      FormParseResult r = parse_form_body(body);
      CPPUNIT_ASSERT_MESSAGE(body.substr(0, 40), !r.ok);
      CPPUNIT_ASSERT_EQUAL(std::string("malformed"), r.error);
      CPPUNIT_ASSERT(r.fields.empty());
    }
    FormParseResult encoded = parse_form_body("message=Hello%3B+world");
    CPPUNIT_ASSERT(encoded.ok);
    CPPUNIT_ASSERT_EQUAL(std::string("Hello; world"), encoded.fields.at(0).second);
  }

  // cgicc kept a first field without '=' and dropped a last one: neither
  // is what a form sends, and the two must not be answered differently.
  void FieldWithoutEqualsRefused() {
    for (const char* body : {"a=1&b", "b&a=1", "a=1&b&c=2", "b"}) {
      FormParseResult r = parse_form_body(body);
      CPPUNIT_ASSERT_MESSAGE(body, !r.ok);
      CPPUNIT_ASSERT_EQUAL(std::string("malformed"), r.error);
    }
  }

  void TenThousandFieldsRefused() {
    std::string body;
    for (int i = 0; i < 10000; ++i) body += (i ? "&a=" : "a=") + std::to_string(i);
    FormParseResult r = parse_form_body(body);
    CPPUNIT_ASSERT(!r.ok);
    CPPUNIT_ASSERT_EQUAL(std::string("too_many_fields"), r.error);
  }

  void LongNamesAndValues() {
    // Longer than the 127 bytes where FastCGI switches to 4-byte lengths.
    std::string name(300, 'n');
    std::string value(70000, 'v');
    FormParseResult r = parse_form_body(name + "=" + value);
    CPPUNIT_ASSERT(r.ok);
    CPPUNIT_ASSERT_EQUAL(std::size_t{1}, r.fields.size());
    CPPUNIT_ASSERT_EQUAL(name, r.fields[0].first);
    CPPUNIT_ASSERT_EQUAL(value.size(), r.fields[0].second.size());
  }

  void EmptyBody() {
    FormParseResult r = parse_form_body("");
    CPPUNIT_ASSERT(r.ok);
    CPPUNIT_ASSERT(r.fields.empty());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FormBodyTest);

}  // namespace sealform
