// wal_checkpointer.cc: a thread that checkpoints when the writer asks.
#include "core/wal_checkpointer.h"

#include <sqlite3.h>

#include <cstdio>
#include <memory>

#include "core/db_connect.h"
#include "core/error.h"
#include "core/sqlite_handle.h"
#include "core/thread_name.h"

namespace sealform {

WalCheckpointer::WalCheckpointer(std::string path, Synchronous synchronous,
                                 const std::string& turn_path)
    : path_(std::move(path)),
      synchronous_(synchronous),
      turn_(turn_path.empty() ? nullptr : std::make_unique<WriterTurn>(turn_path)),
      thread_([this] {
        name_this_thread("sf-checkpoint");
        run();
      }) {}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void WalCheckpointer::wal_grew(int frames) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (frames < last_frames_) next_at_ = kCheckpointFrames;  // the WAL started over
    last_frames_ = frames;
    if (frames < next_at_) return;
    next_at_ = frames + kCheckpointFrames;
    wanted_ = true;
  }
  wake_.notify_one();
}

std::uint64_t WalCheckpointer::checkpoints_run() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return runs_;
}

std::uint64_t WalCheckpointer::restarts_prepared() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return restarts_;
}

int WalCheckpointer::wal_frames() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return last_frames_;
}

std::optional<WalCheckpointer::Run> WalCheckpointer::checkpoint_once(sqlite::Connection& db) {
  Run run;
  const int rc = sqlite3_wal_checkpoint_v2(db.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                           &run.log_frames, &run.copied_frames);
  // BUSY: another connection is checkpointing; its copy serves as well.
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) sqlite::throw_error(db.get(), rc, path_, "checkpoint");
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++runs_;
    reported_ = false;
  }
  if (rc != SQLITE_OK || run.log_frames < 0 || run.copied_frames < 0) return std::nullopt;
  return run;
}

void WalCheckpointer::prepare_restart(sqlite::Connection& db) {
  if (!turn_) return;
  // Every frame copied with the writers waiting costs them the copy and two
  // disk syncs (the WAL's, then the database file's), so first catch up
  // until nothing was committed between two runs. A reader on an old
  // snapshot can hold the copying back; then this tries again after the
  // next kCheckpointFrames.
  int previous_log = -1;
  bool caught_up = false;
  for (int attempt = 0; attempt < kMaxCatchUpRuns && !caught_up; ++attempt) {
    const std::optional<Run> run = checkpoint_once(db);
    if (!run || run->copied_frames < run->log_frames) return;
    caught_up = run->log_frames == previous_log;
    previous_log = run->log_frames;
  }
  if (!caught_up) return;
  const WriterTurn::Held turn = turn_->take();
  const std::optional<Run> last = checkpoint_once(db);
  if (last && last->copied_frames == last->log_frames) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++restarts_;
  }
}

void WalCheckpointer::run() {
  std::unique_ptr<sqlite::Connection> db;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || wanted_; });
      if (stopping_) return;
      wanted_ = false;
    }
    try {
      if (!db) {
        db = std::make_unique<sqlite::Connection>(path_);
        // No busy handler: a PASSIVE checkpoint never waits for a lock.
        configure_connection(*db, synchronous_, 0);
      }
      const std::optional<Run> run = checkpoint_once(*db);
      if (run && run->log_frames >= kRestartFrames) prepare_restart(*db);
    } catch (const std::exception& e) {
      // The writer's own fallback (kInlineFrames) still bounds the WAL; a
      // connection that failed is opened afresh next time.
      db.reset();
      std::lock_guard<std::mutex> lock(mutex_);
      if (!reported_)
        std::fprintf(stderr, "sealform: background checkpoint failed: %s\n", e.what());
      reported_ = true;
    }
  }
}

}  // namespace sealform
