// Tests for utf8.h: the strict decoder, code point counting, trimming and
// newline normalisation. Failure messages name the case, never the bytes.
#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

#include "core/utf8.h"

namespace sealform {
namespace {

struct BytesCase {
  const char* label;
  std::string bytes;
};

struct TrimCase {
  const char* label;
  std::string input;
  std::string expected;
};

}  // namespace

class Utf8Test : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(Utf8Test);
  CPPUNIT_TEST(AcceptsWellFormed);
  CPPUNIT_TEST(RejectsMalformed);
  CPPUNIT_TEST(DecodesCodePoints);
  CPPUNIT_TEST(AppendRoundTrips);
  CPPUNIT_TEST(CountsCodePoints);
  CPPUNIT_TEST(ClassifiesControls);
  CPPUNIT_TEST(TrimsUnicodeSpace);
  CPPUNIT_TEST(NormalisesNewlines);
  CPPUNIT_TEST_SUITE_END();

 public:
  void AcceptsWellFormed() {
    const std::vector<BytesCase> cases = {
        {"empty", ""},
        {"ascii", "Ada Lovelace"},
        {"nul is well-formed", std::string("a\0b", 3)},
        {"two-byte min U+0080", "\xC2\x80"},
        {"two-byte max U+07FF", "\xDF\xBF"},
        {"three-byte min U+0800", "\xE0\xA0\x80"},
        {"last before surrogates U+D7FF", "\xED\x9F\xBF"},
        {"first after surrogates U+E000", "\xEE\x80\x80"},
        {"U+FFFF", "\xEF\xBF\xBF"},
        {"four-byte min U+10000", "\xF0\x90\x80\x80"},
        {"max U+10FFFF", "\xF4\x8F\xBF\xBF"},
        {"CJK", "\xE5\xBC\xA0\xE4\xBC\x9F"},          // 张伟
        {"emoji", "\xF0\x9F\x98\x80"},                // U+1F600
        {"BOM", "\xEF\xBB\xBF"},
    };
    for (const BytesCase& c : cases) {
      CPPUNIT_ASSERT_MESSAGE(c.label, utf8::is_valid(c.bytes));
      CPPUNIT_ASSERT_MESSAGE(c.label, utf8::decode(c.bytes).has_value());
    }
  }

  void RejectsMalformed() {
    const std::vector<BytesCase> cases = {
        {"overlong 2-byte C0 80", "\xC0\x80"},
        {"overlong 2-byte C1 BF", "\xC1\xBF"},
        {"overlong 3-byte E0 80 80", "\xE0\x80\x80"},
        {"overlong 3-byte E0 9F BF", "\xE0\x9F\xBF"},
        {"overlong 4-byte F0 80 80 80", "\xF0\x80\x80\x80"},
        {"overlong 4-byte F0 8F BF BF", "\xF0\x8F\xBF\xBF"},
        {"lone high surrogate ED A0 80", "\xED\xA0\x80"},
        {"lone low surrogate ED BF BF", "\xED\xBF\xBF"},
        {"surrogate pair CESU-8", "\xED\xA0\xBD\xED\xB8\x80"},
        {"above U+10FFFF F4 90 80 80", "\xF4\x90\x80\x80"},
        {"F5 lead", "\xF5\x80\x80\x80"},
        {"F8 five-byte lead", "\xF8\x88\x80\x80\x80"},
        {"FC six-byte lead", "\xFC\x84\x80\x80\x80\x80"},
        {"FE", "\xFE"},
        {"FF", "\xFF"},
        {"lone continuation", "\x80"},
        {"continuation after ascii", "a\xBF"},
        {"truncated 2-byte", "\xC3"},
        {"truncated 3-byte", "\xE5\xBC"},
        {"truncated 4-byte", "\xF0\x9F\x98"},
        {"truncated then ascii", "\xE5\xBCx"},
        {"truncated mid-string", "ab\xF0\x9F" "cd"},
        {"latin-1 byte", "caf\xE9"},
    };
    for (const BytesCase& c : cases) {
      CPPUNIT_ASSERT_MESSAGE(c.label, !utf8::is_valid(c.bytes));
      CPPUNIT_ASSERT_MESSAGE(c.label, !utf8::decode(c.bytes).has_value());
    }
  }

  void DecodesCodePoints() {
    const auto cps = utf8::decode("A\xC3\xA9\xE5\xBC\xA0\xF0\x9F\x98\x80");
    CPPUNIT_ASSERT(cps.has_value());
    const std::vector<char32_t> expected = {U'A', 0xE9, 0x5F20, 0x1F600};
    CPPUNIT_ASSERT(*cps == expected);
  }

  void AppendRoundTrips() {
    const std::vector<char32_t> cps = {0x0, 0x41, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF,
                                       0xE000, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF};
    std::string text;
    for (char32_t cp : cps) utf8::append(text, cp);
    const auto back = utf8::decode(text);
    CPPUNIT_ASSERT(back.has_value());
    CPPUNIT_ASSERT(*back == cps);
    // Not scalar values: written as U+FFFD, never as malformed bytes.
    std::string bad;
    utf8::append(bad, 0xD800);
    utf8::append(bad, 0x110000);
    CPPUNIT_ASSERT_EQUAL(std::string("\xEF\xBF\xBD\xEF\xBF\xBD"), bad);
  }

  void CountsCodePoints() {
    struct CountCase {
      const char* label;
      std::string text;
      std::size_t expected;
    };
    const std::vector<CountCase> cases = {
        {"empty", "", 0},
        {"ascii", "Ada", 3},
        {"latin", "Jos\xC3\xA9", 4},
        {"CJK two", "\xE5\xBC\xA0\xE4\xBC\x9F", 2},                   // 张伟
        {"CJK three", "\xE9\x99\xB3\xE5\xA4\xA7\xE6\x96\x87", 3},     // 陳大文
        {"emoji", "\xF0\x9F\x98\x80", 1},
        {"emoji ZWJ family", "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9", 3},
        {"mixed", "a\xE5\xBC\xA0\xF0\x9F\x98\x80z", 4},
    };
    for (const CountCase& c : cases) {
      CPPUNIT_ASSERT_EQUAL_MESSAGE(c.label, c.expected, utf8::count_code_points(c.text));
    }
  }

  void ClassifiesControls() {
    for (char32_t cp : {0x00, 0x09, 0x0A, 0x0D, 0x1F, 0x7F, 0x80, 0x85, 0x9F}) {
      CPPUNIT_ASSERT(utf8::is_control(cp));
    }
    for (char32_t cp : {0x20, 0x41, 0x7E, 0xA0, 0x3000, 0xFEFF, 0x1F600}) {
      CPPUNIT_ASSERT(!utf8::is_control(cp));
    }
  }

  void TrimsUnicodeSpace() {
    const std::vector<TrimCase> cases = {
        {"empty", "", ""},
        {"nothing to trim", "Ada", "Ada"},
        {"ascii spaces", "  Ada  ", "Ada"},
        {"inner space kept", " Ada Lovelace ", "Ada Lovelace"},
        {"tabs and newlines", "\t\r\nAda\r\n\t", "Ada"},
        {"VT FF", "\x0B\x0C" "Ada\x0B", "Ada"},
        {"ideographic space U+3000", "\xE3\x80\x80\xE5\xBC\xA0\xE4\xBC\x9F\xE3\x80\x80",
         "\xE5\xBC\xA0\xE4\xBC\x9F"},
        {"inner U+3000 kept", "\xE5\xBC\xA0\xE3\x80\x80\xE4\xBC\x9F",
         "\xE5\xBC\xA0\xE3\x80\x80\xE4\xBC\x9F"},
        {"no-break space U+00A0", "\xC2\xA0" "Ada\xC2\xA0", "Ada"},
        {"em space U+2003", "\xE2\x80\x83" "Ada\xE2\x80\x83", "Ada"},
        {"BOM U+FEFF", "\xEF\xBB\xBF" "Ada", "Ada"},
        {"NEL U+0085", "\xC2\x85" "Ada\xC2\x85", "Ada"},
        {"line separator U+2028", "Ada\xE2\x80\xA8", "Ada"},
        {"narrow nbsp U+202F", "\xE2\x80\xAF" "Ada", "Ada"},
        {"only spaces", " \xE3\x80\x80\xC2\xA0\t\r\n", ""},
        {"zero width space is not white space", "\xE2\x80\x8B" "Ada", "\xE2\x80\x8B" "Ada"},
        {"emoji kept", " \xF0\x9F\x98\x80 ", "\xF0\x9F\x98\x80"},
        {"NUL is not trimmed", std::string("\0Ada", 4), std::string("\0Ada", 4)},
    };
    for (const TrimCase& c : cases) {
      CPPUNIT_ASSERT_MESSAGE(c.label, utf8::trim(c.input) == c.expected);
    }
  }

  void NormalisesNewlines() {
    const std::vector<TrimCase> cases = {
        {"empty", "", ""},
        {"no newlines", "a\tb", "a\tb"},
        {"LF kept", "a\nb", "a\nb"},
        {"CRLF", "a\r\nb", "a\nb"},
        {"lone CR", "a\rb", "a\nb"},
        {"CR CR LF", "a\r\r\nb", "a\n\nb"},
        {"LF CR", "a\n\rb", "a\n\nb"},
        {"trailing CR", "a\r", "a\n"},
        {"blank lines", "a\r\n\r\nb", "a\n\nb"},
        {"CJK untouched", "\xE5\xBC\xA0\r\n\xE4\xBC\x9F", "\xE5\xBC\xA0\n\xE4\xBC\x9F"},
    };
    for (const TrimCase& c : cases) {
      CPPUNIT_ASSERT_MESSAGE(c.label, utf8::normalise_newlines(c.input) == c.expected);
    }
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(Utf8Test);

}  // namespace sealform
