// wal_checkpointer.h: WAL checkpoints off the group commit's path.
//
// SQLite's automatic checkpoint runs inside the COMMIT that takes the WAL
// past 1000 frames, so every submission of that batch waits while pages are
// copied into the database file and synced. A store opened with a
// WalCheckpointer (open_sqlite_store) tells it instead how long the WAL is
// after each commit; from kCheckpointFrames on, the checkpointer's own
// thread runs a PASSIVE checkpoint on its own connection while the writer
// goes on committing. Should that thread fall behind (kInlineFrames), the
// commit checkpoints itself, as SQLite would have. Thread-safe.
#ifndef SEALFORM_CORE_WAL_CHECKPOINTER_H_
#define SEALFORM_CORE_WAL_CHECKPOINTER_H_

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "core/config.h"

namespace sealform {

class WalCheckpointer {
 public:
  static constexpr int kCheckpointFrames = 1000;  // SQLite's own default
  static constexpr int kInlineFrames = 8000;

  // Checkpoints `path`, with the sync level the writer uses.
  WalCheckpointer(std::string path, Synchronous synchronous);
  ~WalCheckpointer();  // finishes a checkpoint in progress, then stops
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // After a commit: the WAL now holds `frames` frames.
  void wal_grew(int frames);

  // Checkpoints run so far (for tests).
  std::uint64_t checkpoints_run() const;

 private:
  void run();

  const std::string path_;
  const Synchronous synchronous_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool wanted_ = false;
  bool stopping_ = false;
  std::uint64_t runs_ = 0;
  bool reported_ = false;  // one log line per failing streak, not one per try
  std::thread thread_;     // last: started after everything it uses exists
};

}  // namespace sealform

#endif  // SEALFORM_CORE_WAL_CHECKPOINTER_H_
