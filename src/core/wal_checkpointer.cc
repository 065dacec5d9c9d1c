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

WalCheckpointer::WalCheckpointer(std::string path, Synchronous synchronous)
    : path_(std::move(path)), synchronous_(synchronous), thread_([this] {
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
  if (frames < kCheckpointFrames) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    wanted_ = true;
  }
  wake_.notify_one();
}

std::uint64_t WalCheckpointer::checkpoints_run() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return runs_;
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
      const int rc = sqlite3_wal_checkpoint_v2(db->get(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                               nullptr, nullptr);
      // BUSY: another connection is checkpointing; its copy serves as well.
      if (rc != SQLITE_OK && rc != SQLITE_BUSY)
        sqlite::throw_error(db->get(), rc, path_, "checkpoint");
      std::lock_guard<std::mutex> lock(mutex_);
      ++runs_;
      reported_ = false;
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
