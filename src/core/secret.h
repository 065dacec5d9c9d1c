// secret.h: a byte buffer for key material that is wiped when it dies.
//
// SecretBytes owns its bytes; the destructor (and clear()) overwrite them
// with OPENSSL_cleanse so that keys do not linger in freed memory. Move-only.
// wipe() does the same for a std::string that held a secret (a passphrase).
#ifndef SEALFORM_CORE_SECRET_H_
#define SEALFORM_CORE_SECRET_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sealform {

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::size_t size);
  SecretBytes(const unsigned char* data, std::size_t size);
  ~SecretBytes();
  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;

  unsigned char* data() { return bytes_.data(); }
  const unsigned char* data() const { return bytes_.data(); }
  std::size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }
  void clear();
  SecretBytes copy() const { return SecretBytes(data(), size()); }

 private:
  std::vector<unsigned char> bytes_;
};

// Overwrites all that `text` holds, its whole capacity, with zeros, and
// leaves it empty (the allocation stays, zeroed). A string that never grew
// past its first allocation (reserve() first) leaves no copy elsewhere.
void wipe(std::string& text);

}  // namespace sealform

#endif  // SEALFORM_CORE_SECRET_H_
