// writer_turn.cc: the flock(2) behind WriterTurn (see writer_turn.h).
#include "core/writer_turn.h"

#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>

namespace sealform {

WriterTurn::WriterTurn(const std::string& path)
    : fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0660)) {}

WriterTurn::Held::Held(int fd) : fd_(fd) {
  if (fd_ < 0) return;
  while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
  }
}

WriterTurn::Held::~Held() {
  if (fd_ >= 0) ::flock(fd_, LOCK_UN);
}

}  // namespace sealform
