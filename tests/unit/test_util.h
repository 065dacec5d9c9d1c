// test_util.h: small helpers shared by the unit tests.
#ifndef SEALFORM_TESTS_TEST_UTIL_H_
#define SEALFORM_TESTS_TEST_UTIL_H_

#include <string>

#include "core/store.h"

namespace sealform::test {

// A fresh directory under $TMPDIR (or /tmp), removed with its contents when
// the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::string read_file(const std::string& path);  // "" if missing
void write_file(const std::string& path, const std::string& content, int mode = 0600);

// True if `haystack` contains `needle` as a byte string.
bool contains_bytes(const std::string& haystack, const std::string& needle);

// Stand-ins for sealed blobs and records: recognisable bytes (a version
// byte, NUL, 0xff, the label), no encryption; `salt` makes them differ.
std::string fake_blob(const std::string& label, int salt);
EnquiryRecord make_record(const std::string& reference, int salt = 1);

}  // namespace sealform::test

#endif  // SEALFORM_TESTS_TEST_UTIL_H_
