// intake_writer.cc: group commit and direct writers (see intake_writer.h).
#include "web/intake_writer.h"

#include <condition_variable>
#include <cstdio>
#include <deque>
#include <exception>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "core/db_connect.h"
#include "core/thread_name.h"
#include "core/writer_turn.h"

namespace sealform::web {
namespace {

// At most this many submissions share one transaction, so one commit never
// holds the write lock for long.
constexpr std::size_t kMaxBatch = 128;

class GroupCommitWriter : public IntakeWriter {
 public:
  GroupCommitWriter(StoreFactory open_store, const std::string& lock_path, std::string wal_to_sync)
      : open_store_(std::move(open_store)),
        store_(open_store_()),
        turn_(lock_path),
        wal_to_sync_(std::move(wal_to_sync)),
        syncer_([this] {
          name_this_thread("sf-syncer");
          sync_and_answer();
        }),
        thread_([this] {
          name_this_thread("sf-writer");
          run();
        }) {}

  ~GroupCommitWriter() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();  // every queued submission committed (and handed on)
    {
      std::lock_guard<std::mutex> lock(sync_mutex_);
      sync_stopping_ = true;
    }
    sync_wake_.notify_one();
    syncer_.join();  // every committed batch synced and answered
  }

  BatchItemResult submit(Submission submission) override {
    std::future<BatchItemResult> answer;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      queue_.push_back(Waiting{std::move(submission), {}});
      answer = queue_.back().promise.get_future();
    }
    wake_.notify_one();
    return answer.get();  // rethrows the writer's exception
  }

 private:
  struct Waiting {
    Submission submission;
    std::promise<BatchItemResult> promise;
  };
  // A committed batch whose WAL frames still have to reach the disk.
  struct Committed {
    std::vector<Waiting> batch;
    std::vector<BatchItemResult> results;
  };

  void run() {
    for (;;) {
      std::vector<Waiting> batch;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and everything was handed on
        while (!queue_.empty() && batch.size() < kMaxBatch) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      // Before anything is stored: the sessions that sealed this batch
      // must not outlive its commit (wrap_sessions.h).
      std::vector<PendingInsert> items;
      items.reserve(batch.size());
      for (auto& waiting : batch) {
        if (waiting.submission.sealed_by) {
          waiting.submission.sealed_by->move_past(waiting.submission.epoch);
        }
        items.push_back(std::move(waiting.submission.insert));
      }
      std::vector<BatchItemResult> results;
      try {
        results = store_with_retry(items);
      } catch (...) {
        for (auto& waiting : batch) waiting.promise.set_exception(std::current_exception());
        continue;
      }
      if (wal_to_sync_.empty()) {
        answer(batch, results);
        continue;
      }
      {
        std::lock_guard<std::mutex> lock(sync_mutex_);
        committed_.push_back(Committed{std::move(batch), std::move(results)});
      }
      sync_wake_.notify_one();
    }
  }

  // With wal_to_sync_ set, the store commits without syncing
  // (synchronous=NORMAL) and this thread makes the commits durable: one
  // fdatasync(2) of the WAL covers every batch committed before it, and
  // only then are those batches answered. Meanwhile the writer is already
  // storing the next batch, so the disk's sync time no longer stalls it.
  // A WAL file is synced through a descriptor of its own, opened each time
  // (fdatasync flushes the file, whichever descriptor wrote it; opening
  // afresh follows a WAL that SQLite deleted and created again).
  void sync_and_answer() {
    for (;;) {
      std::vector<Committed> ready;
      {
        std::unique_lock<std::mutex> lock(sync_mutex_);
        sync_wake_.wait(lock, [this] { return sync_stopping_ || !committed_.empty(); });
        if (committed_.empty()) return;  // stopping, and everything was answered
        ready.swap(committed_);
      }
      const std::string failure = sync_file(wal_to_sync_);
      for (Committed& committed : ready) {
        if (failure.empty()) {
          answer(committed.batch, committed.results);
          continue;
        }
        // Committed but perhaps not on the disk: the visitor is told to try
        // again, and a retry with the same form is answered as a replay.
        const auto error = std::make_exception_ptr(StorageUnavailable(failure));
        for (auto& waiting : committed.batch) waiting.promise.set_exception(error);
      }
      if (!failure.empty()) std::fprintf(stderr, "sealform: %s\n", failure.c_str());
    }
  }

  static void answer(std::vector<Waiting>& batch, const std::vector<BatchItemResult>& results) {
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i].promise.set_value(results[i]);
  }

  // A connection that met a storage failure may stay broken (SQLite opens a
  // file it cannot write read-only), so it is replaced before the next batch.
  std::vector<BatchItemResult> store_with_retry(const std::vector<PendingInsert>& items) {
    try {
      if (!store_) store_ = open_store_();
      const WriterTurn::Held turn = turn_.take();
      return store_->insert_batch(items);
    } catch (const StorageUnavailable&) {
      store_.reset();
      throw;
    }
  }

  StoreFactory open_store_;
  std::unique_ptr<EnquiryStore> store_;
  WriterTurn turn_;
  const std::string wal_to_sync_;  // "" when the store syncs its own commits
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Waiting> queue_;
  bool stopping_ = false;
  std::mutex sync_mutex_;
  std::condition_variable sync_wake_;
  std::vector<Committed> committed_;
  bool sync_stopping_ = false;
  std::thread syncer_;  // last two: started after everything they use exists
  std::thread thread_;
};

class DirectWriter : public IntakeWriter {
 public:
  explicit DirectWriter(StoreFactory open_store)
      : open_store_(std::move(open_store)), store_(open_store_()) {}
  BatchItemResult submit(Submission submission) override {
    if (submission.sealed_by) submission.sealed_by->move_past(submission.epoch);
    std::vector<PendingInsert> items;
    items.push_back(std::move(submission.insert));
    try {
      if (!store_) store_ = open_store_();
      return store_->insert_batch(items).at(0);
    } catch (const StorageUnavailable&) {
      store_.reset();
      throw;
    }
  }

 private:
  StoreFactory open_store_;
  std::unique_ptr<EnquiryStore> store_;
};

}  // namespace

std::unique_ptr<IntakeWriter> make_group_commit_writer(StoreFactory open_store,
                                                       const std::string& lock_path,
                                                       const std::string& wal_to_sync) {
  return std::make_unique<GroupCommitWriter>(std::move(open_store), lock_path, wal_to_sync);
}

std::unique_ptr<IntakeWriter> make_direct_writer(StoreFactory open_store) {
  return std::make_unique<DirectWriter>(std::move(open_store));
}

}  // namespace sealform::web
