// Tests for reference.h: the format and alphabet of new references, their
// uniqueness, references derived from idempotency keys, and what
// parse_reference() accepts and refuses.
#include <cppunit/extensions/HelperMacros.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/reference.h"
#include "core/secret.h"

namespace sealform {
namespace {

constexpr const char* kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

struct ParseCase {
  const char* input;
  const char* expected;  // canonical form
};

bool well_formed(const std::string& reference) {
  if (reference.size() != 15 || reference.compare(0, 4, "ENQ-") != 0 || reference[9] != '-') {
    return false;
  }
  for (std::size_t i = 4; i < reference.size(); ++i) {
    if (i == 9) continue;
    if (std::string(kAlphabet).find(reference[i]) == std::string::npos) return false;
  }
  return true;
}

}  // namespace

class ReferenceTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ReferenceTest);
  CPPUNIT_TEST(NewReferenceHasTheFormat);
  CPPUNIT_TEST(DigitsUseTheWholeAlphabet);
  CPPUNIT_TEST(TenThousandAreUnique);
  CPPUNIT_TEST(ParsesWhatPeopleType);
  CPPUNIT_TEST(RejectsEverythingElse);
  CPPUNIT_TEST(NewReferencesParseToThemselves);
  CPPUNIT_TEST(DerivedReferenceFollowsKeyAndSubkey);
  CPPUNIT_TEST_SUITE_END();

 public:
  void DerivedReferenceFollowsKeyAndSubkey() {
    unsigned char raw[32];
    for (unsigned char i = 0; i < 32; ++i) raw[i] = i;
    const HmacKey subkey(SecretBytes(raw, sizeof raw));
    raw[0] = 0xff;
    const HmacKey other_subkey(SecretBytes(raw, sizeof raw));
    const std::string key = std::string("\0\0\0\0\x6b\x0d\x14\x80", 8) + "sixteen-byte-nce";
    // The low 50 bits of the first 7 bytes of HMAC-SHA256(subkey, key), as
    // computed independently (Python's hmac module). A change here would
    // stop replays of forms issued before an upgrade from being recognised.
    CPPUNIT_ASSERT_EQUAL(std::string("ENQ-KN4V1-T4B1T"), reference_for(subkey, key));
    // The same key, the same reference: that is what recognises a replay.
    CPPUNIT_ASSERT_EQUAL(reference_for(subkey, key), reference_for(subkey, key));
    CPPUNIT_ASSERT(reference_for(subkey, key) != reference_for(subkey, key + "x"));
    CPPUNIT_ASSERT(reference_for(subkey, key) != reference_for(other_subkey, key));
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
      const std::string reference = reference_for(subkey, key + std::to_string(i));
      CPPUNIT_ASSERT_MESSAGE(reference, well_formed(reference));
      CPPUNIT_ASSERT(parse_reference(reference) == std::optional<std::string>(reference));
      seen.insert(reference);
    }
    CPPUNIT_ASSERT_EQUAL(std::size_t{1000}, seen.size());
  }

  void NewReferenceHasTheFormat() {
    for (int i = 0; i < 100; ++i) {
      const std::string reference = new_reference();
      CPPUNIT_ASSERT_MESSAGE(reference, well_formed(reference));
    }
  }

  void DigitsUseTheWholeAlphabet() {
    // 2,000 references x 10 digits: every one of the 32 digits shows up, and
    // nothing outside the alphabet (no I, L, O, U) ever does.
    std::set<char> seen;
    for (int i = 0; i < 2000; ++i) {
      const std::string reference = new_reference();
      for (std::size_t k = 4; k < reference.size(); ++k) {
        if (k != 9) seen.insert(reference[k]);
      }
    }
    CPPUNIT_ASSERT_EQUAL(std::string(kAlphabet), std::string(seen.begin(), seen.end()));
  }

  void TenThousandAreUnique() {
    std::set<std::string> seen;
    for (int i = 0; i < 10000; ++i) seen.insert(new_reference());
    CPPUNIT_ASSERT_EQUAL(std::size_t{10000}, seen.size());
  }

  void ParsesWhatPeopleType() {
    const std::vector<ParseCase> cases = {
        {"ENQ-7K3QD-M9XA2", "ENQ-7K3QD-M9XA2"},
        {"enq-7k3qd-m9xa2", "ENQ-7K3QD-M9XA2"},
        {"ENQ7K3QDM9XA2", "ENQ-7K3QD-M9XA2"},
        {"ENQ-7K3QDM9XA2", "ENQ-7K3QD-M9XA2"},
        {"ENQ7K3QD-M9XA2", "ENQ-7K3QD-M9XA2"},
        {"7K3QD-M9XA2", "ENQ-7K3QD-M9XA2"},
        {"7k3qdm9xa2", "ENQ-7K3QD-M9XA2"},
        {"  ENQ-7K3QD-M9XA2\n", "ENQ-7K3QD-M9XA2"},
        {"ENQ-IL0OI-loIl0", "ENQ-11001-10110"},       // I, L -> 1; O -> 0
        {"ENQ-00000-00000", "ENQ-00000-00000"},
        {"ENQ-ZZZZZ-ZZZZZ", "ENQ-ZZZZZ-ZZZZZ"},
        {"ENQ12-34567", "ENQ-ENQ12-34567"},           // bare digits that begin E, N, Q
        {"enqab-cdefg", "ENQ-ENQAB-CDEFG"},
    };
    for (const ParseCase& c : cases) {
      auto parsed = parse_reference(c.input);
      CPPUNIT_ASSERT_MESSAGE(c.input, parsed.has_value());
      CPPUNIT_ASSERT_EQUAL_MESSAGE(c.input, std::string(c.expected), *parsed);
    }
  }

  void RejectsEverythingElse() {
    const std::vector<std::string> cases = {
        "",
        "ENQ",
        "ENQ-",
        "ENQ-7K3QD",
        "ENQ-7K3QD-M9XA",           // nine digits
        "ENQ-7K3QD-M9XA22",         // eleven digits
        "ENQ-7K3QD-M9XU2",          // U is not a digit
        "ENQ-7K3QD--M9XA2",
        "ENQ--7K3QD-M9XA2",
        "ENQ-7K3Q-DM9XA2",          // dash in the wrong place
        "-7K3QD-M9XA2",
        "7K3QD-M9XA2-",
        "REF-7K3QD-M9XA2",
        "ENQ 7K3QD M9XA2",
        "ENQ_7K3QD_M9XA2",
        "ENQ-7K3QD-M9XA2 x",
        "ENQ-7K3QD-M9X\xC3\xA9",   // a non-ASCII letter
        std::string("ENQ-7K3QD-M9X\0" "2", 15),
        "ENQ-7K3QD/M9XA2",
        "%45NQ-7K3QD-M9XA2",
    };
    for (const std::string& input : cases) {
      CPPUNIT_ASSERT_MESSAGE("input of size " + std::to_string(input.size()) + ": " + input,
                             !parse_reference(input).has_value());
    }
  }

  void NewReferencesParseToThemselves() {
    for (int i = 0; i < 100; ++i) {
      const std::string reference = new_reference();
      auto parsed = parse_reference(reference);
      CPPUNIT_ASSERT(parsed.has_value());
      CPPUNIT_ASSERT_EQUAL(reference, *parsed);
    }
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ReferenceTest);

}  // namespace sealform
