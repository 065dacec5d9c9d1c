// intake_writer.cc: group commit and direct writers (see intake_writer.h).
#include "web/intake_writer.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <deque>
#include <exception>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "core/unique_fd.h"

namespace sealform::web {
namespace {

// At most this many submissions share one transaction, so one commit never
// holds the write lock for long.
constexpr std::size_t kMaxBatch = 128;

// An exclusive flock(2) on a lock file next to the database, held while a
// batch is written. Opened once; a file that cannot be opened means no
// cross-process turn-taking (SQLite's own locking still keeps data safe).
class WriterTurn {
 public:
  explicit WriterTurn(const std::string& path)
      : fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0660)) {}

  class Held {
   public:
    explicit Held(int fd) : fd_(fd) {
      if (fd_ >= 0) {
        while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
        }
      }
    }
    ~Held() {
      if (fd_ >= 0) ::flock(fd_, LOCK_UN);
    }
    Held(const Held&) = delete;
    Held& operator=(const Held&) = delete;

   private:
    int fd_;
  };
  Held take() const { return Held(fd_.get()); }

 private:
  UniqueFd fd_;
};

class GroupCommitWriter : public IntakeWriter {
 public:
  GroupCommitWriter(StoreFactory open_store, const std::string& lock_path)
      : open_store_(std::move(open_store)),
        store_(open_store_()),
        turn_(lock_path),
        thread_([this] { run(); }) {}

  ~GroupCommitWriter() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }

  BatchItemResult submit(PendingInsert item) override {
    std::future<BatchItemResult> answer;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      queue_.push_back(Waiting{std::move(item), {}});
      answer = queue_.back().promise.get_future();
    }
    wake_.notify_one();
    return answer.get();  // rethrows the writer's exception
  }

 private:
  struct Waiting {
    PendingInsert item;
    std::promise<BatchItemResult> promise;
  };

  void run() {
    for (;;) {
      std::vector<Waiting> batch;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and everything was answered
        while (!queue_.empty() && batch.size() < kMaxBatch) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      std::vector<PendingInsert> items;
      items.reserve(batch.size());
      for (auto& waiting : batch) items.push_back(std::move(waiting.item));
      try {
        std::vector<BatchItemResult> results = store_with_retry(items);
        for (std::size_t i = 0; i < batch.size(); ++i) batch[i].promise.set_value(results[i]);
      } catch (...) {
        for (auto& waiting : batch) waiting.promise.set_exception(std::current_exception());
      }
    }
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
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Waiting> queue_;
  bool stopping_ = false;
  std::thread thread_;  // last: started after everything it uses exists
};

class DirectWriter : public IntakeWriter {
 public:
  explicit DirectWriter(StoreFactory open_store)
      : open_store_(std::move(open_store)), store_(open_store_()) {}
  BatchItemResult submit(PendingInsert item) override {
    std::vector<PendingInsert> items;
    items.push_back(std::move(item));
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
                                                       const std::string& lock_path) {
  return std::make_unique<GroupCommitWriter>(std::move(open_store), lock_path);
}

std::unique_ptr<IntakeWriter> make_direct_writer(StoreFactory open_store) {
  return std::make_unique<DirectWriter>(std::move(open_store));
}

}  // namespace sealform::web
