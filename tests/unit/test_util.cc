#include "test_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "core/fields.h"

namespace sealform::test {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string templ = std::string(base && *base ? base : "/tmp") + "/sealform-test-XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = buf.data();
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_file(const std::string& path, const std::string& content, int mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) throw std::runtime_error("cannot create " + path);
  ::fchmod(fd, static_cast<mode_t>(mode));
  std::size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n <= 0) {
      ::close(fd);
      throw std::runtime_error("cannot write " + path);
    }
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
}

bool contains_bytes(const std::string& haystack, const std::string& needle) {
  return !needle.empty() && haystack.find(needle) != std::string::npos;
}

std::string fake_blob(const std::string& label, int salt) {
  std::string blob = "\x01";
  blob += std::string("\0\xff\x80", 3);
  blob += label;
  blob += static_cast<char>(salt & 0xff);
  blob += std::string(1, '\0');
  return blob;
}

EnquiryRecord make_record(const std::string& reference, int salt) {
  EnquiryRecord record;
  record.reference = reference;
  record.created_at = 1796000000 + salt;
  record.category = "sales";
  record.locale = "en-us";
  record.age_confirmed = true;
  record.policy_version = "2025-01";
  record.email_index = std::string(32, static_cast<char>(0xa0 + (salt & 0x0f)));
  record.sealed.key_id = "0123456789ab";
  record.sealed.wrapped_key = fake_blob("wrapped", salt);
  for (std::string_view field : kPersonalFields) {
    record.sealed.fields[std::string(field)] = fake_blob(std::string(field), salt);
  }
  return record;
}

}  // namespace sealform::test
