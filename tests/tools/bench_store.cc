// bench_store: what storing one enquiry costs the intake writer, without
// HTTP, parsing or sealing in the way (scripts/bench-store runs it; not a
// test). Stores ROWS enquiries in batches of BATCH through the same store,
// checkpointer and writers' turn that sealform-fcgi uses, with ciphertexts
// of realistic sizes (random bytes) and, like scripts/bench, idempotency
// keys of tokens minted in the same second, each kept in its row beside a
// reference derived from it, as the intake stores them. Prints CPU time
// (all threads) and wall time per stored row, the checkpoints run and the
// WALs restarted.
//
//   bench_store [--rows N] [--batch K] [--idempotency-table | --no-idempotency]
//               [--no-email-index] DIR
//
// --idempotency-table stores the keys in the idempotency table instead, as
// for random references (and as every row was before schema version 4);
// --no-idempotency stores no keys at all; --no-email-index drops the email
// blind index from the fresh database first. They answer "what does this
// part cost?", nothing else. DIR must exist; bench.db is made afresh.
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <exception>
#include <random>
#include <string>
#include <vector>

#include "core/sqlite_handle.h"
#include "core/store.h"
#include "core/wal_checkpointer.h"
#include "core/writer_turn.h"
#include "fcgi/malloc_tuning.h"

namespace {

using sealform::BatchItemResult;
using sealform::PendingInsert;

// Where a row's idempotency key goes (PendingInsert::reference_from_key).
enum class Keys { kInRow, kInTable, kNone };

struct Options {
  long rows = 60000;
  long batch = 4;
  Keys keys = Keys::kInRow;
  bool email_index = true;
  std::string dir;
};

[[noreturn]] void usage() {
  std::fprintf(stderr,
               "usage: bench_store [--rows N] [--batch K] "
               "[--idempotency-table | --no-idempotency] [--no-email-index] DIR\n");
  std::exit(2);
}

long positive(const char* text) {
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  if (end == text || *end != '\0' || value <= 0) usage();
  return value;
}

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--rows" && i + 1 < argc) {
      options.rows = positive(argv[++i]);
    } else if (arg == "--batch" && i + 1 < argc) {
      options.batch = positive(argv[++i]);
    } else if (arg == "--idempotency-table") {
      options.keys = Keys::kInTable;
    } else if (arg == "--no-idempotency") {
      options.keys = Keys::kNone;
    } else if (arg == "--no-email-index") {
      options.email_index = false;
    } else if (options.dir.empty() && arg[0] != '-') {
      options.dir = arg;
    } else {
      usage();
    }
  }
  if (options.dir.empty()) usage();
  return options;
}

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
}

class RowMaker {
 public:
  explicit RowMaker(Keys keys) : keys_(keys), now_(std::time(nullptr)) {}

  PendingInsert next() {
    PendingInsert item;
    sealform::EnquiryRecord& record = item.record;
    record.reference = reference();
    record.created_at = now_;
    record.category = "general";
    record.locale = "en-us";
    record.age_confirmed = true;
    record.policy_version = "bench";
    record.email_index = bytes(32);
    record.sealed.key_id = "0123456789ab";
    record.sealed.wrapped_key = bytes(93);
    record.sealed.fields = {{"name", bytes(45)},
                            {"company", bytes(40)},
                            {"job_title", bytes(30)},
                            {"email", bytes(50)},
                            {"message", bytes(90)}};
    if (keys_ != Keys::kNone) {
      // 8-byte big-endian issue time, then the nonce, as submit.cc builds it.
      std::string key(8, '\0');
      for (int i = 0; i < 8; ++i) key[i] = static_cast<char>((now_ >> (56 - 8 * i)) & 0xff);
      item.idempotency_key = key + bytes(16);
      item.idempotency_expires_at = now_ + 7200;
      // The random reference stands for one derived from the key: the
      // store cannot tell them apart.
      item.reference_from_key = keys_ == Keys::kInRow;
    }
    const std::int64_t window = now_ / 3600 * 3600;
    item.rate_counters = {{"bench client key, 32 bytes long.", window, 0},
                          {"global", window, 0}};
    return item;
  }

 private:
  std::string bytes(std::size_t n) {
    std::string out(n, '\0');
    for (char& c : out) c = static_cast<char>(random_());
    return out;
  }

  std::string reference() {
    static const char kDigits[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    std::string out = "ENQ-";
    for (int i = 0; i < 10; ++i) {
      if (i == 5) out += '-';
      out += kDigits[random_() % 32];
    }
    return out;
  }

  const Keys keys_;
  const std::int64_t now_;
  std::mt19937_64 random_{20261129};
};

int run(const Options& options) {
  const std::string path = options.dir + "/bench.db";
  const std::string turn_path = path + ".writer-lock";
  for (const char* suffix : {"", "-wal", "-shm"}) ::unlink((path + suffix).c_str());
  // Create the schema, then take out what this run leaves out.
  { auto creating = sealform::open_sqlite_store(path, sealform::Synchronous::kNormal, 5000); }
  if (!options.email_index) {
    sealform::sqlite::Connection db(path);
    db.exec("DROP INDEX enquiries_email_index", "drop the email index");
  }
  sealform::WalCheckpointer checkpointer(path, sealform::Synchronous::kNormal, turn_path);
  sealform::WriterTurn turn(turn_path);
  auto store =
      sealform::open_sqlite_store(path, sealform::Synchronous::kNormal, 5000, &checkpointer);
  RowMaker maker(options.keys);

  const double cpu_before = cpu_seconds();
  const auto wall_before = std::chrono::steady_clock::now();
  for (long stored = 0; stored < options.rows; stored += options.batch) {
    std::vector<PendingInsert> items;
    for (long i = 0; i < options.batch; ++i) items.push_back(maker.next());
    const sealform::WriterTurn::Held held = turn.take();
    for (const BatchItemResult& result : store->insert_batch(items)) {
      if (!result.ok) {
        std::fprintf(stderr, "bench_store: a row was not stored: %s\n", result.error.c_str());
        return 1;
      }
    }
  }
  const double cpu = cpu_seconds() - cpu_before;
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_before).count();
  const long rows = (options.rows + options.batch - 1) / options.batch * options.batch;
  std::printf("rows=%ld batch=%ld cpu_us_per_row=%.1f wall_us_per_row=%.1f checkpoints=%llu "
              "wal_restarts=%llu\n",
              rows, options.batch, cpu * 1e6 / static_cast<double>(rows),
              wall * 1e6 / static_cast<double>(rows),
              static_cast<unsigned long long>(checkpointer.checkpoints_run()),
              static_cast<unsigned long long>(checkpointer.restarts_prepared()));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  sealform::fcgi::tune_malloc_for_threads();  // as sealform-fcgi does
  try {
    return run(parse(argc, argv));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_store: %s\n", e.what());
    return 1;
  }
}
