// Tests for store.h on SQLite: round trip, schema versions and migration,
// idempotency, duplicate references, group commit with per-item savepoints,
// atomicity under injected failures, busy mapping to StorageUnavailable, the
// plaintext-free schema, and a byte scan of the files on disk for personal
// plaintext. Failure messages never carry the personal test strings.
#include "core/store.h"

#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/fields.h"
#include "core/keys.h"
#include "core/schema.h"
#include "core/seal.h"
#include "core/sqlite_handle.h"
#include "core/utf8.h"
#include "core/wal_checkpointer.h"
#include "core/writer_turn.h"
#include "test_util.h"

namespace sealform {
namespace {

constexpr int kBusyMs = 5000;

// Distinct fake "ciphertexts": bytes that cannot come from text, including
// NUL and 0xff, so a text/blob mix-up or truncation shows.
using test::fake_blob;
using test::make_record;

PendingInsert pending(const std::string& reference, const std::string& key, int salt) {
  PendingInsert item;
  item.record = make_record(reference, salt);
  item.idempotency_key = key;
  item.idempotency_expires_at = 1796009999;
  return item;
}

// As the intake stores a form: the reference stands for one derived from
// `key` (PendingInsert::reference_from_key).
PendingInsert keyed(const std::string& reference, const std::string& key, int salt) {
  PendingInsert item = pending(reference, key, salt);
  item.reference_from_key = true;
  return item;
}

std::int64_t count_rows(const std::string& path, const std::string& sql) {
  sqlite::Connection raw(path);
  return raw.query_int64(sql);
}

void assert_same(const EnquiryRecord& a, const EnquiryRecord& b) {
  CPPUNIT_ASSERT_EQUAL(a.reference, b.reference);
  CPPUNIT_ASSERT_EQUAL(a.created_at, b.created_at);
  CPPUNIT_ASSERT(a.resolved_at == b.resolved_at);
  CPPUNIT_ASSERT_EQUAL(a.category, b.category);
  CPPUNIT_ASSERT_EQUAL(a.locale, b.locale);
  CPPUNIT_ASSERT_EQUAL(a.age_confirmed, b.age_confirmed);
  CPPUNIT_ASSERT_EQUAL(a.retain, b.retain);
  CPPUNIT_ASSERT(a.retain_changed_at == b.retain_changed_at);
  CPPUNIT_ASSERT_EQUAL(a.policy_version, b.policy_version);
  CPPUNIT_ASSERT(a.email_index == b.email_index);
  CPPUNIT_ASSERT_EQUAL(a.sealed.key_id, b.sealed.key_id);
  CPPUNIT_ASSERT(a.sealed.wrapped_key == b.sealed.wrapped_key);
  CPPUNIT_ASSERT(a.sealed.fields == b.sealed.fields);
}

std::unique_ptr<EnquiryStore> open_store(const std::string& path, int busy_ms = kBusyMs) {
  return open_sqlite_store(path, Synchronous::kFull, busy_ms);
}

// --- Encodings a careless layer might write plaintext in -------------------

std::string utf16(const std::string& text, bool big_endian) {
  std::string out;
  auto unit = [&](unsigned v) {
    const char hi = static_cast<char>((v >> 8) & 0xff);
    const char lo = static_cast<char>(v & 0xff);
    out += big_endian ? hi : lo;
    out += big_endian ? lo : hi;
  };
  const std::vector<char32_t> code_points = utf8::decode(text).value();
  for (char32_t cp : code_points) {
    if (cp >= 0x10000) {
      const unsigned v = static_cast<unsigned>(cp) - 0x10000;
      unit(0xd800 + (v >> 10));
      unit(0xdc00 + (v & 0x3ff));
    } else {
      unit(static_cast<unsigned>(cp));
    }
  }
  return out;
}

std::string base64(const std::string& bytes) {
  static const char* kDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kDigits[(v >> s) & 0x3f];
  }
  return out;  // the partial tail (and padding) is left out on purpose
}

std::string hex(const std::string& bytes, bool upper) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 0x0f];
  }
  return out;
}

std::string percent(const std::string& bytes) {
  std::string out;
  for (unsigned char c : bytes) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex(std::string(1, static_cast<char>(c)), true);
    }
  }
  return out;
}

// Each way `text` could appear on disk, labelled. Base64 is tried at the
// three byte alignments, minus the quads that mix in neighbouring bytes.
std::vector<std::pair<std::string, std::string>> encodings(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out = {
      {"utf-8", text},           {"utf-16le", utf16(text, false)}, {"utf-16be", utf16(text, true)},
      {"hex", hex(text, false)}, {"HEX", hex(text, true)},         {"percent", percent(text)},
  };
  for (std::size_t shift = 0; shift < 3; ++shift) {
    std::string encoded = base64(std::string(shift, '\0') + text);
    if (shift > 0) encoded.erase(0, 4);
    out.emplace_back("base64/" + std::to_string(shift), encoded);
  }
  return out;
}

// Every file in `directory` (the database, -wal, -shm), concatenated.
std::string all_bytes(const std::string& directory) {
  std::string bytes;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    if (entry.is_regular_file()) bytes += test::read_file(entry.path().string());
  }
  return bytes;
}

}  // namespace

class StoreTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(StoreTest);
  CPPUNIT_TEST(RoundTrip);
  CPPUNIT_TEST(OptionalTimesRoundTrip);
  CPPUNIT_TEST(FindsByEmailIndex);
  CPPUNIT_TEST(SetsUserVersionAndWal);
  CPPUNIT_TEST(ReopenDoesNotMigrateAgain);
  CPPUNIT_TEST(RefusesNewerSchema);
  CPPUNIT_TEST(IdempotentInsertStoresOnce);
  CPPUNIT_TEST(DuplicateReferenceThrows);
  CPPUNIT_TEST(BatchIsolatesFailingItem);
  CPPUNIT_TEST(BatchReplaysWithinItself);
  CPPUNIT_TEST(KeyedReferenceRecognisesReplays);
  CPPUNIT_TEST(KeyedReferenceTakenByAnotherForm);
  CPPUNIT_TEST(MigratesVersion3Rows);
  CPPUNIT_TEST(NewFileFreesPagesInSteps);
  CPPUNIT_TEST(BatchRefusesItemsOverALimit);
  CPPUNIT_TEST(RefusalLateInABatchCountsTheOthersOnce);
  CPPUNIT_TEST(LongWalStartsOverAfterTheWritesPause);
  CPPUNIT_TEST(CheckpointsRunOffTheCommitPath);
  CPPUNIT_TEST(RecordMissingFieldStoresNothing);
  CPPUNIT_TEST(RecordWithUnknownFieldRefused);
  CPPUNIT_TEST(FailureMidInsertLeavesNoRow);
  CPPUNIT_TEST(FailureMidBatchItemRollsBackThatItem);
  CPPUNIT_TEST(CommitFailureStoresNothing);
  CPPUNIT_TEST(BusyIsStorageUnavailable);
  CPPUNIT_TEST(ReadOnlyFileIsNotWritable);
  CPPUNIT_TEST(EnquiryColumnsAreOnlyMetadataAndCiphertext);
  CPPUNIT_TEST(EncodingScanFindsWhatIsThere);
  CPPUNIT_TEST(NoPlaintextOnDisk);
  CPPUNIT_TEST_SUITE_END();

 public:
  void RoundTrip() {
    test::TempDir dir;
    auto store = open_store(dir.file("db.sqlite"));
    EnquiryRecord record = make_record("ENQ-00000-00001");
    InsertOutcome outcome = store->insert(record);
    CPPUNIT_ASSERT(!outcome.replayed);
    CPPUNIT_ASSERT_EQUAL(record.reference, outcome.reference);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, store->count());
    auto found = store->find(record.reference);
    CPPUNIT_ASSERT(found.has_value());
    assert_same(record, *found);
    CPPUNIT_ASSERT(!found->resolved());
    CPPUNIT_ASSERT(!store->find("ENQ-00000-00002").has_value());
    CPPUNIT_ASSERT(store->writable());
  }

  void OptionalTimesRoundTrip() {
    test::TempDir dir;
    auto store = open_store(dir.file("db.sqlite"));
    EnquiryRecord record = make_record("ENQ-00000-00003");
    record.resolved_at = 1796100000;
    record.retain = true;
    record.retain_changed_at = 1796050000;
    record.age_confirmed = false;
    store->insert(record);
    // A fresh store object (new connection) sees the committed row.
    store.reset();
    auto found = open_store(dir.file("db.sqlite"))->find(record.reference);
    CPPUNIT_ASSERT(found.has_value());
    assert_same(record, *found);
    CPPUNIT_ASSERT(found->resolved());
  }

  void FindsByEmailIndex() {
    test::TempDir dir;
    auto store = open_store(dir.file("db.sqlite"));
    store->insert(make_record("ENQ-00000-0000A", 1));
    store->insert(make_record("ENQ-00000-0000B", 2));
    store->insert(make_record("ENQ-00000-0000C", 1));
    const std::vector<std::string> expected = {"ENQ-00000-0000A", "ENQ-00000-0000C"};
    CPPUNIT_ASSERT(expected == store->find_by_email_index(make_record("x", 1).email_index));
    CPPUNIT_ASSERT(store->find_by_email_index(std::string(32, 'z')).empty());
  }

  void SetsUserVersionAndWal() {
    test::TempDir dir;
    const std::string path = dir.file("db.sqlite");
    auto store = open_store(path);
    sqlite::Connection raw(path);
    CPPUNIT_ASSERT(current_schema_version() >= 1);
    CPPUNIT_ASSERT_EQUAL(current_schema_version(), schema::version_of(raw));
    CPPUNIT_ASSERT_EQUAL(std::string("wal"), raw.query_text("PRAGMA journal_mode"));
  }

  void ReopenDoesNotMigrateAgain() {
    test::TempDir dir;
    const std::string path = dir.file("db.sqlite");
    open_store(path)->insert(make_record("ENQ-00000-00004"));
    // Re-running version 1's CREATE TABLEs would fail, so opening again
    // proves the steps are skipped; the row is still there.
    auto store = open_store(path);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, store->count());
    sqlite::Connection raw(path);
    CPPUNIT_ASSERT_EQUAL(0, schema::migrate(raw));
    CPPUNIT_ASSERT_EQUAL(current_schema_version(), schema::version_of(raw));
  }

  void RefusesNewerSchema() {
    test::TempDir dir;
    const std::string path = dir.file("db.sqlite");
    open_store(path);
    const int newer = current_schema_version() + 1;
    {
      sqlite::Connection raw(path);
      raw.exec("PRAGMA user_version = " + std::to_string(newer), "test");
    }
    try {
      open_store(path);
      CPPUNIT_FAIL("a newer schema was accepted");
    } catch (const StorageUnavailable&) {
      CPPUNIT_FAIL("a newer schema is not a transient failure");
    } catch (const Error& e) {
      const std::string message = e.what();
      CPPUNIT_ASSERT_MESSAGE(message, message.find(path) != std::string::npos);
      CPPUNIT_ASSERT_MESSAGE(message, message.find(std::to_string(newer)) != std::string::npos);
      const std::string known = std::to_string(current_schema_version());
      CPPUNIT_ASSERT_MESSAGE(message, message.find(known) != std::string::npos);
    }
    // And it was left alone.
    sqlite::Connection raw(path);
    CPPUNIT_ASSERT_EQUAL(newer, schema::version_of(raw));
  }

  void IdempotentInsertStoresOnce() {
    test::TempDir dir;
    auto store = open_store(dir.file("db.sqlite"));
    const std::string key("nonce\0\xfe-16-bytes", 16);
    InsertOutcome first = store->insert(make_record("ENQ-00000-00005", 1), key, 1796009999);
    CPPUNIT_ASSERT(!first.replayed);
    InsertOutcome second = store->insert(make_record("ENQ-00000-00006", 2), key, 1796009999);
    CPPUNIT_ASSERT(second.replayed);
    CPPUNIT_ASSERT_EQUAL(std::string("ENQ-00000-00005"), second.reference);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, store->count());
    CPPUNIT_ASSERT(!store->find("ENQ-00000-00006").has_value());
    CPPUNIT_ASSERT(store->find_idempotent(key) == std::optional<std::string>("ENQ-00000-00005"));
    CPPUNIT_ASSERT(!store->find_idempotent("other").has_value());
    CPPUNIT_ASSERT(!store->find_idempotent("").has_value());
  }

  void DuplicateReferenceThrows() {
    test::TempDir dir;
    auto store = open_store(dir.file("db.sqlite"));
    store->insert(make_record("ENQ-00000-00007", 1), "k1", 1);
    try {
      store->insert(make_record("ENQ-00000-00007", 2), "k2", 1);
      CPPUNIT_FAIL("a duplicate reference was stored");
    } catch (const DuplicateReference& e) {
      const std::string message = e.what();
      CPPUNIT_ASSERT(message.find("duplicate reference") != std::string::npos);
      CPPUNIT_ASSERT(message.find("ENQ-00000-00007") == std::string::npos);  // no bound values
    }
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, store->count());
    CPPUNIT_ASSERT(!store->find_idempotent("k2").has_value());
    assert_same(make_record("ENQ-00000-00007", 1), *store->find("ENQ-00000-00007"));
  }

  void BatchIsolatesFailingItem() {
    test::TempDir dir;
    auto store = open_store(dir.file("db.sqlite"));
    store->insert(make_record("ENQ-00000-00010"));
    std::vector<PendingInsert> items = {
        pending("ENQ-00000-00011", "a", 11),
        pending("ENQ-00000-00010", "b", 12),  // duplicate of the stored row
        pending("ENQ-00000-00013", "c", 13),
    };
    for (auto& item : items) item.rate_counters = {{"client", 600}, {"global", 60}};
    std::vector<BatchItemResult> results = store->insert_batch(items);
    CPPUNIT_ASSERT_EQUAL(std::size_t{3}, results.size());
    CPPUNIT_ASSERT(results[0].ok && !results[0].outcome.replayed);
    CPPUNIT_ASSERT_EQUAL(std::string("ENQ-00000-00011"), results[0].outcome.reference);
    CPPUNIT_ASSERT(!results[1].ok);
    CPPUNIT_ASSERT(results[1].error.find("duplicate reference") != std::string::npos);
    CPPUNIT_ASSERT(results[2].ok);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, store->count());
    // The failed item left nothing: no idempotency row, no counter bump.
    CPPUNIT_ASSERT(!store->find_idempotent("b").has_value());
    CPPUNIT_ASSERT(store->find_idempotent("c") == std::optional<std::string>("ENQ-00000-00013"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, store->rate_count("client", 600));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, store->rate_count("global", 60));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, store->rate_count("client", 1200));
    assert_same(make_record("ENQ-00000-00010"), *store->find("ENQ-00000-00010"));
  }

  void BatchReplaysWithinItself() {
    test::TempDir dir;
    auto store = open_store(dir.file("db.sqlite"));
    std::vector<PendingInsert> items = {
        pending("ENQ-00000-00020", "same", 20),
        pending("ENQ-00000-00021", "same", 21),
        pending("ENQ-00000-00022", "", 22),
    };
    items[1].rate_counters = {{"client", 0}};
    std::vector<BatchItemResult> results = store->insert_batch(items);
    CPPUNIT_ASSERT(results[0].ok && !results[0].outcome.replayed);
    CPPUNIT_ASSERT(results[1].ok && results[1].outcome.replayed);
    CPPUNIT_ASSERT_EQUAL(std::string("ENQ-00000-00020"), results[1].outcome.reference);
    CPPUNIT_ASSERT(results[2].ok && !results[2].outcome.replayed);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, store->count());
    // A replay counts nothing.
    CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, store->rate_count("client", 0));
    CPPUNIT_ASSERT(store->insert_batch({}).empty());
  }

  // sealform-purge frees pages with incremental_vacuum; a file created
  // without that mode would need a whole VACUUM (holding the write lock)
  // at its first purge.
  void NewFileFreesPagesInSteps() {
    test::TempDir dir;
    const std::string path = dir.file("db.sqlite");
    open_store(path);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, count_rows(path, "PRAGMA auto_vacuum"));  // INCREMENTAL
    CPPUNIT_ASSERT_EQUAL(std::string("wal"),
                         sqlite::Connection(path).query_text("PRAGMA journal_mode"));
  }

  void KeyedReferenceRecognisesReplays() {
    test::TempDir dir;
    const std::string path = dir.file("db.sqlite");
    auto store = open_store(path);
    std::vector<PendingInsert> items = {
        keyed("ENQ-00000-00024", "key-a", 24),
        keyed("ENQ-00000-00024", "key-a", 25),  // the same form again, in the same batch
        keyed("ENQ-00000-00026", "key-b", 26),
    };
    for (auto& item : items) item.rate_counters = {{"client", 0}};
    std::vector<BatchItemResult> results = store->insert_batch(items);
    CPPUNIT_ASSERT(results[0].ok && !results[0].outcome.replayed);
    CPPUNIT_ASSERT(results[1].ok && results[1].outcome.replayed);
    CPPUNIT_ASSERT_EQUAL(std::string("ENQ-00000-00024"), results[1].outcome.reference);
    CPPUNIT_ASSERT(results[2].ok && !results[2].outcome.replayed);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, store->count());
    CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, store->rate_count("client", 0));  // not the replay
    assert_same(make_record("ENQ-00000-00024", 24), *store->find("ENQ-00000-00024"));
    // The keys are in the rows, none in the idempotency table.
    CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, count_rows(path, "SELECT count(*) FROM idempotency"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, count_rows(path,
                                                     "SELECT count(*) FROM enquiries WHERE "
                                                     "idempotency_key IN (CAST('key-a' AS BLOB), "
                                                     "CAST('key-b' AS BLOB))"));
    // Found with the derived reference only, and only under its own key.
    CPPUNIT_ASSERT(store->find_idempotent("key-a", "ENQ-00000-00024") ==
                   std::optional<std::string>("ENQ-00000-00024"));
    CPPUNIT_ASSERT(!store->find_idempotent("key-a").has_value());
    CPPUNIT_ASSERT(!store->find_idempotent("key-a", "ENQ-00000-00026").has_value());
    CPPUNIT_ASSERT(!store->find_idempotent("key-c", "ENQ-00000-00024").has_value());
    CPPUNIT_ASSERT(!store->find_idempotent("", "ENQ-00000-00024").has_value());
    // A later batch replays it too, and counts nothing.
    results = store->insert_batch({keyed("ENQ-00000-00024", "key-a", 27)});
    CPPUNIT_ASSERT(results[0].ok && results[0].outcome.replayed);
    CPPUNIT_ASSERT_EQUAL(std::string("ENQ-00000-00024"), results[0].outcome.reference);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, store->count());
  }

  void KeyedReferenceTakenByAnotherForm() {
    test::TempDir dir;
    const std::string path = dir.file("db.sqlite");
    auto store = open_store(path);
    store->insert_batch({keyed("ENQ-00000-00028", "key-a", 28)});
    // Another form whose key derived the same reference: a duplicate, not a
    // replay. Its failure sends the batch down the item-by-item path, where
    // the replay of the first form is still recognised, and counts nothing.
    std::vector<PendingInsert> items = {
        keyed("ENQ-00000-00028", "key-b", 29),
        keyed("ENQ-00000-00028", "key-a", 30),
    };
    for (auto& item : items) item.rate_counters = {{"client", 0}};
    std::vector<BatchItemResult> results = store->insert_batch(items);
    CPPUNIT_ASSERT(!results[0].ok);
    CPPUNIT_ASSERT(results[0].error.find("duplicate reference") != std::string::npos);
    CPPUNIT_ASSERT(results[1].ok && results[1].outcome.replayed);
    CPPUNIT_ASSERT_EQUAL(std::string("ENQ-00000-00028"), results[1].outcome.reference);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, store->count());
    CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, store->rate_count("client", 0));
    assert_same(make_record("ENQ-00000-00028", 28), *store->find("ENQ-00000-00028"));
    // The intake's second try: a random reference, the key in the
    // idempotency table. A replay, which derives the taken reference
    // again, finds it there.
    results = store->insert_batch({pending("ENQ-00000-00031", "key-b", 31)});
    CPPUNIT_ASSERT(results[0].ok && !results[0].outcome.replayed);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, count_rows(path, "SELECT count(*) FROM idempotency"));
    results = store->insert_batch({keyed("ENQ-00000-00028", "key-b", 32)});
    CPPUNIT_ASSERT(results[0].ok && results[0].outcome.replayed);
    CPPUNIT_ASSERT_EQUAL(std::string("ENQ-00000-00031"), results[0].outcome.reference);
    CPPUNIT_ASSERT(store->find_idempotent("key-b", "ENQ-00000-00028") ==
                   std::optional<std::string>("ENQ-00000-00031"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, store->count());
  }

  void MigratesVersion3Rows() {
    test::TempDir dir;
    const std::string path = dir.file("db.sqlite");
    open_store(path)->insert(make_record("ENQ-00000-00033", 33), "key-old", 1796009999);
    // Back to version 3 as it was: the enquiries table without the column.
    {
      sqlite::Connection raw(path);
      raw.exec("ALTER TABLE enquiries DROP COLUMN idempotency_key", "test");
      raw.exec("PRAGMA user_version = 3", "test");
    }
    auto store = open_store(path);
    sqlite::Connection raw(path);
    CPPUNIT_ASSERT_EQUAL(current_schema_version(), schema::version_of(raw));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, raw.query_int64("SELECT count(*) FROM enquiries "
                                                          "WHERE idempotency_key IS NULL"));
    assert_same(make_record("ENQ-00000-00033", 33), *store->find("ENQ-00000-00033"));
    // The old row's form is still recognised through the idempotency table.
    std::vector<BatchItemResult> results =
        store->insert_batch({keyed("ENQ-00000-00034", "key-old", 34)});
    CPPUNIT_ASSERT(results[0].ok && results[0].outcome.replayed);
    CPPUNIT_ASSERT_EQUAL(std::string("ENQ-00000-00033"), results[0].outcome.reference);
    results = store->insert_batch({keyed("ENQ-00000-00035", "key-new", 35)});
    CPPUNIT_ASSERT(results[0].ok && !results[0].outcome.replayed);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, store->count());
  }

  void BatchRefusesItemsOverALimit() {
    test::TempDir dir;
    auto store = open_store(dir.file("db.sqlite"));
    std::vector<PendingInsert> items = {
        pending("ENQ-00000-00030", "k30", 30),
        pending("ENQ-00000-00031", "k31", 31),
        pending("ENQ-00000-00032", "k32", 32),
        pending("ENQ-00000-00033", "k30", 33),
    };
    for (auto& item : items) item.rate_counters = {{"client", 0, 2}, {"global", 0, 100}};
    items[2].rate_counters[0].key = "other client";
    std::vector<BatchItemResult> results = store->insert_batch(items);
    CPPUNIT_ASSERT(results[0].ok && !results[0].outcome.over_limit);
    CPPUNIT_ASSERT(results[1].ok && !results[1].outcome.over_limit);
    CPPUNIT_ASSERT(results[2].ok && !results[2].outcome.over_limit);
    // A replay is answered with its reference even when the client is at its limit.
    CPPUNIT_ASSERT(results[3].ok && results[3].outcome.replayed);
    CPPUNIT_ASSERT_EQUAL(std::string("ENQ-00000-00030"), results[3].outcome.reference);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, store->rate_count("client", 0));

    // The client is at its limit now: a new submission is refused, names the
    // counter, and leaves no row, no idempotency key and no count behind.
    std::vector<PendingInsert> more = {pending("ENQ-00000-00034", "k34", 34)};
    more[0].rate_counters = {{"client", 0, 2}, {"global", 0, 100}};
    results = store->insert_batch(more);
    CPPUNIT_ASSERT(results[0].ok && !results[0].outcome.replayed);
    CPPUNIT_ASSERT(results[0].outcome.over_limit == std::optional<std::size_t>(0));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, store->count());
    CPPUNIT_ASSERT(!store->find_idempotent("k34").has_value());
    CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, store->rate_count("client", 0));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, store->rate_count("global", 0));

    // The global counter is the second one; a limit of 0 means none.
    more[0].rate_counters = {{"client", 60, 0}, {"global", 0, 3}};
    results = store->insert_batch(more);
    CPPUNIT_ASSERT(results[0].outcome.over_limit == std::optional<std::size_t>(1));
    // The first counter, counted before the second refused, is taken back.
    CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, store->rate_count("client", 60));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, store->rate_count("global", 0));
    more[0].rate_counters = {{"client", 60, 0}, {"global", 0, 0}};
    results = store->insert_batch(more);
    CPPUNIT_ASSERT(results[0].ok && !results[0].outcome.over_limit);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{4}, store->count());
  }

  // The last item of a batch is refused by a count that the items before
  // it, in the same batch, took to its limit: they are stored and counted
  // once, and nothing of the refused one shows.
  void RefusalLateInABatchCountsTheOthersOnce() {
    test::TempDir dir;
    auto store = open_store(dir.file("db.sqlite"));
    std::vector<PendingInsert> items = {
        pending("ENQ-00000-00035", "k35", 35),
        pending("ENQ-00000-00036", "k36", 36),
        pending("ENQ-00000-00037", "k37", 37),
    };
    for (auto& item : items) item.rate_counters = {{"client", 0, 2}, {"global", 0, 100}};
    std::vector<BatchItemResult> results = store->insert_batch(items);
    CPPUNIT_ASSERT(results[0].ok && !results[0].outcome.over_limit);
    CPPUNIT_ASSERT(results[1].ok && !results[1].outcome.over_limit);
    CPPUNIT_ASSERT(results[2].outcome.over_limit == std::optional<std::size_t>(0));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, store->count());
    CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, store->rate_count("client", 0));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, store->rate_count("global", 0));
    CPPUNIT_ASSERT(store->find_idempotent("k36") == std::optional<std::string>("ENQ-00000-00036"));
    CPPUNIT_ASSERT(!store->find_idempotent("k37").has_value());
    CPPUNIT_ASSERT(!store->find("ENQ-00000-00037").has_value());
  }

  void CheckpointsRunOffTheCommitPath() {
    test::TempDir dir;
    const std::string path = dir.file("db.sqlite");
    WalCheckpointer checkpointer(path, Synchronous::kFull);
    {
      auto store = open_sqlite_store(path, Synchronous::kFull, kBusyMs, &checkpointer);
      const auto db_bytes_before = std::filesystem::file_size(path);
      // Enough rows to take the WAL past kCheckpointFrames several times.
      for (int batch = 0; batch < 40; ++batch) {
        std::vector<PendingInsert> items;
        for (int i = 0; i < 100; ++i) {
          char reference[32];
          std::snprintf(reference, sizeof reference, "ENQ-%05d-%05d", batch, i);
          items.push_back(pending(reference, "", batch * 100 + i));
        }
        for (const BatchItemResult& result : store->insert_batch(items)) CPPUNIT_ASSERT(result.ok);
      }
      const auto wait_for_runs = [&checkpointer](std::uint64_t more_than) {
        for (int tries = 0; tries < 1000 && checkpointer.checkpoints_run() <= more_than; ++tries) {
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return checkpointer.checkpoints_run() > more_than;
      };
      // The store's commits woke the checkpointer (SQLite's own automatic
      // checkpoint is replaced on this connection).
      CPPUNIT_ASSERT_MESSAGE("no background checkpoint ran", wait_for_runs(0));
      // Once the writes are over, one more run copies every committed page
      // into the database file (about 3 MiB here), not only into the WAL.
      const std::uint64_t runs = checkpointer.checkpoints_run();
      checkpointer.wal_grew(checkpointer.wal_frames() + WalCheckpointer::kCheckpointFrames);
      CPPUNIT_ASSERT(wait_for_runs(runs));
      CPPUNIT_ASSERT(std::filesystem::file_size(path) > db_bytes_before + 1024 * 1024);
      CPPUNIT_ASSERT_EQUAL(std::int64_t{4000}, store->count());
    }
    CPPUNIT_ASSERT_EQUAL(std::int64_t{4000}, open_store(path)->count());
    sqlite::Connection check(path);
    CPPUNIT_ASSERT_EQUAL(std::string("ok"), check.query_text("PRAGMA integrity_check"));
  }

  // The WAL grows past kRestartFrames; once the writer pauses, the
  // checkpointer copies everything with the writers' turn held, and the
  // next commit starts the WAL over from its first frame.
  void LongWalStartsOverAfterTheWritesPause() {
    test::TempDir dir;
    const std::string path = dir.file("db.sqlite");
    const std::string turn_path = dir.file("db.sqlite.writer-lock");
    WalCheckpointer checkpointer(path, Synchronous::kNormal, turn_path);
    WriterTurn turn(turn_path);
    auto store = open_sqlite_store(path, Synchronous::kNormal, kBusyMs, &checkpointer);
    int row = 0;
    const auto write_batch = [&] {
      std::vector<PendingInsert> items;
      for (int i = 0; i < 20; ++i, ++row) {
        char reference[32];
        std::snprintf(reference, sizeof reference, "ENQ-%05d-%05d", row / 100000, row % 100000);
        items.push_back(pending(reference, "", row));
      }
      const WriterTurn::Held held = turn.take();
      for (const BatchItemResult& result : store->insert_batch(items)) CPPUNIT_ASSERT(result.ok);
    };
    while (checkpointer.wal_frames() <
           WalCheckpointer::kRestartFrames + WalCheckpointer::kCheckpointFrames) {
      write_batch();
    }
    // The writes pause. A restart prepared while they went on has been used
    // up by the commits after it; only one prepared from now on counts.
    // Runs that began during the writes may have given up catching up, so
    // ask for one more, as the next commits would.
    const std::uint64_t prepared_before = checkpointer.restarts_prepared();
    checkpointer.wal_grew(checkpointer.wal_frames() + WalCheckpointer::kCheckpointFrames);
    for (int tries = 0; tries < 1000 && checkpointer.restarts_prepared() == prepared_before;
         ++tries) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CPPUNIT_ASSERT_MESSAGE("the WAL was never made ready to start over",
                           checkpointer.restarts_prepared() > prepared_before);
    write_batch();
    const int frames = checkpointer.wal_frames();
    CPPUNIT_ASSERT_MESSAGE("WAL still " + std::to_string(frames) + " frames long",
                           frames < WalCheckpointer::kCheckpointFrames);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{row}, store->count());
    sqlite::Connection check(path);
    CPPUNIT_ASSERT_EQUAL(std::string("ok"), check.query_text("PRAGMA integrity_check"));
  }

  void RecordMissingFieldStoresNothing() {
    for (std::string_view field : kPersonalFields) {
      test::TempDir dir;
      auto store = open_store(dir.file("db.sqlite"));
      EnquiryRecord record = make_record("ENQ-00000-00030");
      record.sealed.fields.erase(std::string(field));
      CPPUNIT_ASSERT_THROW(store->insert(record, "key", 1), Error);
      CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, store->count());
      CPPUNIT_ASSERT(!store->find_idempotent("key").has_value());

      PendingInsert bad;
      bad.record = record;
      bad.idempotency_key = "key";
      std::vector<BatchItemResult> results =
          store->insert_batch({bad, pending("ENQ-00000-00031", "ok", 31)});
      CPPUNIT_ASSERT(!results[0].ok);
      CPPUNIT_ASSERT(results[0].error.find(std::string(field)) != std::string::npos);
      CPPUNIT_ASSERT(results[1].ok);
      CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, store->count());
      CPPUNIT_ASSERT(!store->find_idempotent("key").has_value());
    }
  }

  void RecordWithUnknownFieldRefused() {
    test::TempDir dir;
    auto store = open_store(dir.file("db.sqlite"));
    EnquiryRecord record = make_record("ENQ-00000-00032");
    record.sealed.fields["phone"] = fake_blob("phone", 1);
    CPPUNIT_ASSERT_THROW(store->insert(record), Error);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, store->count());
  }

  // The enquiry row is written before the idempotency row; a trigger makes
  // the second write fail, and the first must not survive.
  void FailureMidInsertLeavesNoRow() {
    test::TempDir dir;
    const std::string path = dir.file("db.sqlite");
    auto store = open_store(path);
    inject_idempotency_failure(path);
    CPPUNIT_ASSERT_THROW(store->insert(make_record("ENQ-00000-00040"), "key", 1), Error);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, store->count());
    CPPUNIT_ASSERT(!store->find("ENQ-00000-00040").has_value());
    // Without an idempotency key the same record goes in whole.
    store->insert(make_record("ENQ-00000-00040"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, store->count());
  }

  void FailureMidBatchItemRollsBackThatItem() {
    test::TempDir dir;
    const std::string path = dir.file("db.sqlite");
    auto store = open_store(path);
    inject_idempotency_failure(path);
    std::vector<PendingInsert> items = {
        pending("ENQ-00000-00041", "", 41),
        pending("ENQ-00000-00042", "key", 42),  // fails at its second write
        pending("ENQ-00000-00043", "", 43),
    };
    items[1].rate_counters = {{"client", 0}};
    std::vector<BatchItemResult> results = store->insert_batch(items);
    CPPUNIT_ASSERT(results[0].ok && !results[1].ok && results[2].ok);
    CPPUNIT_ASSERT(results[1].error.find(path) != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, store->count());
    CPPUNIT_ASSERT(!store->find("ENQ-00000-00042").has_value());
    CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, store->rate_count("client", 0));
    sqlite::Connection raw(path);
    CPPUNIT_ASSERT_EQUAL(std::string("ok"), raw.query_text("PRAGMA integrity_check"));
  }

  // A deferred foreign key (added by a trigger) fails only at COMMIT: the
  // batch throws, nothing of it is stored, and the store stays usable.
  void CommitFailureStoresNothing() {
    test::TempDir dir;
    const std::string path = dir.file("db.sqlite");
    auto store = open_store(path);
    {
      sqlite::Connection raw(path);
      raw.exec(
          "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
          "CREATE TABLE child (pid INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED);"
          "CREATE TRIGGER orphan AFTER INSERT ON enquiries "
          "BEGIN INSERT INTO child VALUES (42); END",
          "test");
    }
    std::vector<PendingInsert> items = {pending("ENQ-00000-00044", "a", 44),
                                        pending("ENQ-00000-00045", "b", 45)};
    items[0].rate_counters = {{"client", 0}};
    CPPUNIT_ASSERT_THROW(store->insert_batch(items), Error);
    CPPUNIT_ASSERT_THROW(store->insert(make_record("ENQ-00000-00046"), "c", 1), Error);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, store->count());
    CPPUNIT_ASSERT(!store->find_idempotent("a").has_value());
    CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, store->rate_count("client", 0));
    {
      sqlite::Connection raw(path);
      raw.exec("DROP TRIGGER orphan", "test");
    }
    std::vector<BatchItemResult> results = store->insert_batch(items);
    CPPUNIT_ASSERT(results[0].ok && results[1].ok);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, store->count());
  }

  // Another connection holds the write lock past the busy timeout: the
  // insert fails as StorageUnavailable, stores nothing, and works once the
  // lock is gone. (The tests may run as root, where a 0444 file is still
  // writable, so this is the dependable way to reach the mapping.)
  void BusyIsStorageUnavailable() {
    test::TempDir dir;
    const std::string path = dir.file("db.sqlite");
    auto store = open_store(path, 50);
    sqlite::Connection locker(path);
    locker.exec("BEGIN IMMEDIATE", "test");
    CPPUNIT_ASSERT_THROW(store->insert(make_record("ENQ-00000-00050"), "key", 1),
                         StorageUnavailable);
    CPPUNIT_ASSERT_THROW(store->insert_batch({pending("ENQ-00000-00051", "k", 51)}),
                         StorageUnavailable);
    CPPUNIT_ASSERT(!store->writable());
    try {
      store->insert(make_record("ENQ-00000-00050"));
    } catch (const StorageUnavailable& e) {
      const std::string message = e.what();
      CPPUNIT_ASSERT_MESSAGE(message, message.find(path) != std::string::npos);
      CPPUNIT_ASSERT_MESSAGE(message, message.find("locked") != std::string::npos);
      CPPUNIT_ASSERT(e.busy());  // contention: it passes by itself
    }
    locker.exec("ROLLBACK", "test");
    CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, store->count());
    CPPUNIT_ASSERT(!store->find_idempotent("key").has_value());
    CPPUNIT_ASSERT(store->writable());
    CPPUNIT_ASSERT(!store->insert(make_record("ENQ-00000-00050"), "key", 1).replayed);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, store->count());
  }

  // A read-only database file: not writable, inserts refused, nothing lost.
  // Root writes to 0444 files regardless, so as root the check runs in a
  // child process that has dropped to the unprivileged user "nobody".
  void ReadOnlyFileIsNotWritable() {
    test::TempDir dir;
    ::chmod(dir.path().c_str(), 0777);
    const std::string path = dir.file("db.sqlite");
    open_store(path)->insert(make_record("ENQ-00000-00060"));  // closing checkpoints
    ::chmod(path.c_str(), 0444);
    auto check = [&]() -> bool {
      std::unique_ptr<EnquiryStore> store;
      try {
        store = open_store(path, 50);
      } catch (const StorageUnavailable&) {
        return true;  // refusing to open a read-only file is an acceptable answer too
      }
      if (store->writable()) return false;
      try {
        store->insert(make_record("ENQ-00000-00061"));
        return false;
      } catch (const StorageUnavailable& e) {
        if (e.busy()) return false;  // a fault for a person, not contention
      }
      return store->count() == 1;
    };
    if (geteuid() != 0) {
      CPPUNIT_ASSERT(check());
      return;
    }
    const pid_t child = fork();
    CPPUNIT_ASSERT(child >= 0);
    if (child == 0) {
      bool ok = false;
      try {
        ok = setgid(65534) == 0 && setuid(65534) == 0 && check();
      } catch (...) {
        ok = false;
      }
      _exit(ok ? 0 : 1);
    }
    int status = 0;
    CPPUNIT_ASSERT_EQUAL(child, waitpid(child, &status, 0));
    CPPUNIT_ASSERT_MESSAGE("read-only database checked as nobody",
                           WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }

  // A later change that adds a plaintext personal column fails here.
  void EnquiryColumnsAreOnlyMetadataAndCiphertext() {
    test::TempDir dir;
    const std::string path = dir.file("db.sqlite");
    open_store(path);
    sqlite::Connection raw(path);
    std::vector<std::string> columns;
    {
      sqlite::StatementScope info(
          raw.cached("SELECT name, type FROM pragma_table_info('enquiries')"));
      while (info->step()) {
        const std::string name = info->column_text(0);
        columns.push_back(name);
        // Every *_ct column (and the key material) is a BLOB.
        if (name.size() > 3 && name.compare(name.size() - 3, 3, "_ct") == 0) {
          CPPUNIT_ASSERT_EQUAL_MESSAGE(name, std::string("BLOB"), info->column_text(1));
        }
      }
    }
    const std::vector<std::string> expected = {
        "id",           "reference",     "created_at",  "resolved_at",       "category",
        "locale",       "age_confirmed", "retain",      "retain_changed_at", "policy_version",
        "key_id",       "wrapped_key",   "email_index", "name_ct",           "company_ct",
        "job_title_ct", "email_ct",      "message_ct",  "idempotency_key"};
    CPPUNIT_ASSERT(expected == columns);
    std::vector<std::string> tables;
    {
      sqlite::StatementScope list(
          raw.cached("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"));
      while (list->step()) tables.push_back(list->column_text(0));
    }
    // Tables of other modules: the audit trail (audit.h) and consent proofs.
    const std::vector<std::string> expected_tables = {
        "audit",  "audit_anchor", "consent_records", "enquiries",
        "health", "idempotency",  "rate_limits"};
    CPPUNIT_ASSERT(expected_tables == tables);
  }

  // The scanner below must find each encoding when it is there.
  void EncodingScanFindsWhatIsThere() {
    // "A" and U+1F984 (a surrogate pair in UTF-16: D83E DD84).
    const std::string a_unicorn = "A\xf0\x9f\xa6\x84";
    CPPUNIT_ASSERT(utf16(a_unicorn, false) == std::string("A\0\x3e\xd8\x84\xdd", 6));
    CPPUNIT_ASSERT(utf16(a_unicorn, true) == std::string("\0A\xd8\x3e\xdd\x84", 6));
    CPPUNIT_ASSERT_EQUAL(std::string("TWFu"), base64("Man"));
    CPPUNIT_ASSERT_EQUAL(std::string("41e9"), hex("A\xe9", false));
    CPPUNIT_ASSERT_EQUAL(std::string("A%C3%A9%40b"), percent("A\xc3\xa9@b"));
    // Text inside a longer base64 stream is found at any byte alignment.
    const std::string text = "some longer text to hide in base64";
    const auto variants = encodings(text);
    for (const std::string prefix : {"", "x", "yz", "four"}) {
      const std::string stream = base64(prefix + text + "tail");
      bool found = false;
      for (const auto& [label, needle] : variants) {
        if (label.rfind("base64/", 0) == 0) found = found || test::contains_bytes(stream, needle);
      }
      CPPUNIT_ASSERT_MESSAGE("prefix length " + std::to_string(prefix.size()), found);
    }
  }

  // Real sealed fields go in; no personal string is anywhere in the files,
  // in any common encoding, before or after a checkpoint; the ciphertexts
  // are (which proves the scan reads what was written).
  void NoPlaintextOnDisk() {
    test::TempDir keys;
    test::TempDir dir;
    create_web_secret(keys.path());
    create_seal_key_pair(keys.path(), std::nullopt);
    const SealPublicKey public_key = load_current_public_key(keys.path());
    const SecretBytes index_key =
        derive_subkey(load_web_secret(web_secret_path(keys.path())), Subkey::kBlindIndex);

    const std::map<std::string, std::string> plaintexts = {
        {"name", "Zebulon-Quintessence-4711"},
        {"company",
         "\xe5\xae\x87\xe5\xae\x99\xe9\xa3\x9e\xe8\x88\xb9-\xe7\x8b\xac\xe8\xa7\x92"
         "\xe5\x85\xbd"},  // 宇宙飞船-独角兽
        {"job_title", "Chief Quokka Wrangler 9931"},
        {"email", "zebulon.quintessence4711@example.org"},
        {"message",
         "Please ask Zebulon-Quintessence-4711 about the "
         "\xe5\xae\x87\xe5\xae\x99\xe9\xa3\x9e\xe8\x88\xb9 order."},
    };
    const std::string path = dir.file("db.sqlite");
    auto store = open_store(path);
    EnquiryRecord record = make_record("ENQ-00000-00070");
    record.category = "category-marker-8842";
    record.email_index = blind_index(index_key, plaintexts.at("email"));
    record.sealed = seal_record(public_key, record.reference, plaintexts);
    store->insert(record);
    assert_same(record, *store->find(record.reference));

    std::vector<std::string> personal;
    for (const auto& entry : plaintexts) personal.push_back(entry.second);
    personal.push_back("Zebulon");
    personal.push_back("Quintessence");
    personal.push_back("\xe5\xae\x87\xe5\xae\x99\xe9\xa3\x9e\xe8\x88\xb9");  // 宇宙飞船
    personal.push_back("zebulon.quintessence4711");

    sqlite::Connection raw(path);
    for (int pass = 0; pass < 2; ++pass) {
      if (pass == 1) raw.exec("PRAGMA wal_checkpoint(TRUNCATE)", "checkpoint");
      const std::string disk = all_bytes(dir.path());
      const std::string when = pass == 0 ? "before checkpoint" : "after checkpoint";
      CPPUNIT_ASSERT_MESSAGE(when, test::contains_bytes(disk, "category-marker-8842"));
      CPPUNIT_ASSERT_MESSAGE(when, test::contains_bytes(disk, record.sealed.wrapped_key));
      CPPUNIT_ASSERT_MESSAGE(when, test::contains_bytes(disk, record.email_index));
      for (const auto& [field, blob] : record.sealed.fields) {
        CPPUNIT_ASSERT_MESSAGE(when + ": ciphertext of " + field, test::contains_bytes(disk, blob));
      }
      for (std::size_t i = 0; i < personal.size(); ++i) {
        for (const auto& [label, needle] : encodings(personal[i])) {
          CPPUNIT_ASSERT_MESSAGE(when + ": personal string #" + std::to_string(i) + " as " + label,
                                 !test::contains_bytes(disk, needle));
        }
      }
    }
  }

 private:
  static void inject_idempotency_failure(const std::string& path) {
    sqlite::Connection raw(path);
    raw.exec(
        "CREATE TRIGGER inject_failure BEFORE INSERT ON idempotency "
        "BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
        "test");
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StoreTest);

}  // namespace sealform
