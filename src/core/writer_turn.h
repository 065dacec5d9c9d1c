// writer_turn.h: whose turn it is to write to the enquiry database.
//
// An exclusive flock(2) on a lock file next to the database. The intake
// writers of all worker processes hold it for each batch, and the WAL
// checkpointer holds it for the short copy that lets the WAL start over, so
// that they take turns in the kernel's queue (woken the moment the holder
// lets go) instead of in SQLite's busy handler, which sleeps 1, 2, 5,
// 10 ms... between tries and would set the latency's tail. Tools that write
// rarely (admin, purge) do not take it; SQLite's own locking keeps the data
// safe either way, the turn only keeps waiting short.
#ifndef SEALFORM_CORE_WRITER_TURN_H_
#define SEALFORM_CORE_WRITER_TURN_H_

#include <string>

#include "core/unique_fd.h"

namespace sealform {

class WriterTurn {
 public:
  // Opens (creating) the lock file once. A file that cannot be opened means
  // no turn-taking: take() then returns at once.
  explicit WriterTurn(const std::string& path);

  // Holds the turn until destroyed.
  class Held {
   public:
    explicit Held(int fd);
    ~Held();
    Held(const Held&) = delete;
    Held& operator=(const Held&) = delete;

   private:
    int fd_;
  };
  Held take() const { return Held(fd_.get()); }

 private:
  UniqueFd fd_;
};

}  // namespace sealform

#endif  // SEALFORM_CORE_WRITER_TURN_H_
