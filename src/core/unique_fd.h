// unique_fd.h: ownership of one POSIX file descriptor (RAII).
//
// Used wherever sealform opens a file or socket by hand: key files
// (keys.cc), the listening socket and pipes (src/fcgi), the writers' lock
// file (writer_turn.cc), the WAL the intake writer syncs.
#ifndef SEALFORM_CORE_UNIQUE_FD_H_
#define SEALFORM_CORE_UNIQUE_FD_H_

#include <unistd.h>

namespace sealform {

// Owns a file descriptor; closes it when it dies. Move-only.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }
  // Closes now and reports the result (close(2) can report a deferred write
  // error, which matters when the file was just written).
  int close() {
    const int rc = fd_ >= 0 ? ::close(fd_) : 0;
    fd_ = -1;
    return rc;
  }

 private:
  int fd_ = -1;
};

}  // namespace sealform

#endif  // SEALFORM_CORE_UNIQUE_FD_H_
