// secret.cc: SecretBytes, a byte buffer that wipes itself.
//
// The buffer never grows after construction, so the vector never reallocates
// and leaves no unwiped copy behind; a move hands the same allocation over.
#include "core/secret.h"

#include <openssl/crypto.h>

#include <utility>

namespace sealform {

SecretBytes::SecretBytes(std::size_t size) : bytes_(size, 0) {}

SecretBytes::SecretBytes(const unsigned char* data, std::size_t size) : bytes_(size, 0) {
  for (std::size_t i = 0; i < size; ++i) bytes_[i] = data[i];
}

SecretBytes::~SecretBytes() { clear(); }

SecretBytes::SecretBytes(SecretBytes&& other) noexcept : bytes_(std::move(other.bytes_)) {
  other.bytes_.clear();
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    clear();
    bytes_ = std::move(other.bytes_);
    other.bytes_.clear();
  }
  return *this;
}

void SecretBytes::clear() {
  if (!bytes_.empty()) OPENSSL_cleanse(bytes_.data(), bytes_.size());
  // Release the (now zeroed) allocation rather than keep its capacity.
  std::vector<unsigned char>().swap(bytes_);
}

void wipe(std::string& text) {
  if (text.capacity() != 0) OPENSSL_cleanse(text.data(), text.capacity());
  text.clear();
}

}  // namespace sealform
