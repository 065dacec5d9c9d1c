// wal_checkpointer.h: WAL checkpoints off the group commit's path.
//
// SQLite's automatic checkpoint runs inside the COMMIT that takes the WAL
// past 1000 frames, so every submission of that batch waits while pages are
// copied into the database file and synced. A store opened with a
// WalCheckpointer (open_sqlite_store) tells it instead how long the WAL is
// after each commit, and the checkpointer's own thread runs a PASSIVE
// checkpoint on its own connection every kCheckpointFrames new frames while
// the writer goes on committing. Each run copies a page once however often
// the writer changed it meanwhile, and syncs the database file once.
//
// A WAL starts over from its beginning only when a writer finds every frame
// copied, which a checkpoint running beside a busy writer never quite
// achieves. So once the WAL is kRestartFrames long, the thread runs again
// until a run finds the WAL no longer than the run before did (no writer of
// any process committed in between), then takes the writers' turn
// (writer_turn.h) for one last run that copies whatever came since:
// usually nothing, so the writers rarely wait more than a few milliseconds.
// The next commit starts the WAL over. Should all this fall behind
// (kInlineFrames), each commit checkpoints itself, as SQLite would have.
// Thread-safe.
#ifndef SEALFORM_CORE_WAL_CHECKPOINTER_H_
#define SEALFORM_CORE_WAL_CHECKPOINTER_H_

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/config.h"
#include "core/writer_turn.h"

namespace sealform {

namespace sqlite {
class Connection;
}

class WalCheckpointer {
 public:
  static constexpr int kCheckpointFrames = 1000;  // SQLite's own default
  static constexpr int kRestartFrames = 4000;
  static constexpr int kMaxCatchUpRuns = 3;
  static constexpr int kInlineFrames = 16000;

  // Checkpoints `path`, with the sync level the writer uses. `turn_path`
  // is the writers' lock file (writer_turn.h); "" for none, in which case
  // the WAL starts over only through the kInlineFrames fallback.
  WalCheckpointer(std::string path, Synchronous synchronous, const std::string& turn_path = "");
  ~WalCheckpointer();  // finishes a checkpoint in progress, then stops
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // After a commit: the WAL now holds `frames` frames.
  void wal_grew(int frames);

  // For tests: checkpoints run so far, WALs made ready to start over, and
  // the WAL's length as the last commit reported it.
  std::uint64_t checkpoints_run() const;
  std::uint64_t restarts_prepared() const;
  int wal_frames() const;

 private:
  void run();
  // What one PASSIVE checkpoint found: the WAL's length when it began,
  // and how many of those frames are now in the database file.
  struct Run {
    int log_frames = 0;
    int copied_frames = 0;
  };
  // nullopt if it could not run (another connection was checkpointing).
  std::optional<Run> checkpoint_once(sqlite::Connection& db);
  // With the WAL long: catches up with the writers, then copies the rest
  // with their turn held.
  void prepare_restart(sqlite::Connection& db);

  const std::string path_;
  const Synchronous synchronous_;
  std::unique_ptr<WriterTurn> turn_;  // null without a turn_path
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool wanted_ = false;
  bool stopping_ = false;
  int last_frames_ = 0;              // the WAL's length at the last commit
  int next_at_ = kCheckpointFrames;  // the length that asks for the next run
  std::uint64_t runs_ = 0;
  std::uint64_t restarts_ = 0;
  bool reported_ = false;  // one log line per failing streak, not one per try
  std::thread thread_;     // last: started after everything it uses exists
};

}  // namespace sealform

#endif  // SEALFORM_CORE_WAL_CHECKPOINTER_H_
