// intake_writer.h: how the web tier stores submissions.
//
// A long-running worker has many threads answering requests and one writer
// thread that owns the write connection: submit() queues a submission and
// waits; the writer takes everything queued, stores it in ONE transaction
// (one failing submission undoes only itself) and only then answers each
// waiting thread. Several submissions share one commit and one disk sync
// (group commit), and no visitor is told "received" before the data is
// durable. With synchronous=FULL the sync is the writer's own, on a second
// thread, so that committing the next batch overlaps the disk's sync of
// this one.
// The direct writer (CGI: one request per process) stores in the caller.
// Both move the sealing session of every submission past its epoch before
// they store it (wrap_sessions.h): no secret that opens a stored enquiry
// stays in memory.
#ifndef SEALFORM_WEB_INTAKE_WRITER_H_
#define SEALFORM_WEB_INTAKE_WRITER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/store.h"
#include "web/wrap_sessions.h"

namespace sealform::web {

// One submission, and the session and epoch that sealed it (null: nothing
// to move past).
struct Submission {
  PendingInsert insert;
  std::shared_ptr<SealingSession> sealed_by;
  std::uint32_t epoch = 0;
};

class IntakeWriter {
 public:
  virtual ~IntakeWriter() = default;
  // Stores (or replays) one submission durably. Throws StorageUnavailable
  // when the store cannot commit (busy, full, read-only), Error otherwise.
  virtual BatchItemResult submit(Submission submission) = 0;
};

// Opens the write connection; called again after a storage failure, so a
// fault that clears (a read-only file made writable again, a full disk
// with space again) needs no restart.
using StoreFactory = std::function<std::unique_ptr<EnquiryStore>()>;

// The writer thread is joined on destruction after the queue drains.
// `lock_path` names a file whose exclusive flock(2) the writer holds for
// each batch, so that the writers of several worker processes take turns
// in the kernel's queue instead of in SQLite's busy handler, which sleeps
// 1, 2, 5, 10 ms... between tries and would set the latency's tail.
//
// With `wal_to_sync` (the database's "-wal" file) the stores open_store
// makes must commit without syncing (synchronous=NORMAL): a second thread
// then syncs that file once for every batch committed meanwhile and answers
// them only after it, while the writer goes on with the next batch. The
// promise is the same as synchronous=FULL's (nothing is answered before its
// WAL frames are on the disk) without the writer waiting for the disk.
std::unique_ptr<IntakeWriter> make_group_commit_writer(StoreFactory open_store,
                                                       const std::string& lock_path,
                                                       const std::string& wal_to_sync = "");
std::unique_ptr<IntakeWriter> make_direct_writer(StoreFactory open_store);

}  // namespace sealform::web

#endif  // SEALFORM_WEB_INTAKE_WRITER_H_
