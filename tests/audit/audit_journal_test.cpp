#include "cst/audit/audit_journal.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "cst/audit/journal_verify.hpp"

namespace cst {
namespace {

// A fresh path per test, with any -wal/-shm left over from an earlier run removed.
std::string journal_path(const std::string& name) {
  const std::string path = ::testing::TempDir() + "cst_audit_" + name + ".journal";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  return path;
}

JournalOptions fast_options() {
  JournalOptions o;
  o.durability = JournalDurability::kNone;
  return o;
}

std::unique_ptr<AuditJournal> open_journal(const std::string& path, JournalOptions o = fast_options()) {
  auto j = AuditJournal::open(path, o);
  EXPECT_TRUE(j.ok()) << (j.ok() ? "" : j.error().message);
  return j.ok() ? std::move(*j) : nullptr;
}

DecisionRecord decision(std::uint64_t id) {
  DecisionRecord d;
  d.decision_id = id;
  d.time = Timestamp{static_cast<std::int64_t>(1'700'000'000'000'000'000 + id)};
  d.intent.client_order_id = *ClientOrderId::parse("c-" + std::to_string(id));
  d.intent.source = *SourceId::parse("test");
  d.intent.qty = Qty::from_raw(150'000'000);
  d.price_decimals = 2;
  d.qty_decimals = 8;
  d.approved_qty = Qty::from_raw(150'000'000);
  d.approved_price = Price::from_raw(4'250'075);
  d.verdict = Verdict::kApproved;
  d.equity = Money::from_raw(100'000'000'000'00);
  return d;
}

OrderEventRecord order_event(std::int64_t t, OrderStatus status) {
  OrderEventRecord e;
  e.time = Timestamp{t};
  e.client_order_id = *ClientOrderId::parse("c-1");
  e.status = status;
  e.qty = Qty::from_raw(1);
  e.price = Price::from_raw(4'250'075);
  e.fee = Money::from_raw(2'550);
  e.price_decimals = 2;
  e.qty_decimals = 8;
  return e;
}

struct Row {
  std::uint64_t seq;
  std::string kind;
  std::string payload;
};

std::vector<Row> read_all(const std::string& path) {
  std::vector<Row> rows;
  Status s = for_each_record(path, [&](const JournalRecordView& r) {
    rows.push_back({r.seq, std::string(r.kind), std::string(r.payload)});
    return true;
  });
  EXPECT_TRUE(s.ok()) << s.error().message;
  return rows;
}

VerifyReport verify(const std::string& path) {
  auto r = verify_journal(path);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : VerifyReport{};
}

TEST(AuditJournal, RoundTripKeepsOrderExactDecimalsAndSeals) {
  const std::string path = journal_path("roundtrip");
  auto j = open_journal(path);
  j->append(NoteRecord{Timestamp{1}, "run_start", R"({"config":"abc"})"});
  j->append(decision(1));
  j->append(order_event(2, OrderStatus::kSubmitted));
  j->append(order_event(3, OrderStatus::kFilled));
  ASSERT_TRUE(j->close().ok());
  EXPECT_EQ(j->records_written(), 5u);

  const auto rows = read_all(path);
  ASSERT_EQ(rows.size(), 5u);
  const char* kinds[] = {"run_start", "decision", "order_event", "order_event", "journal_close"};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].seq, i + 1);
    EXPECT_EQ(rows[i].kind, kinds[i]);
  }
  EXPECT_EQ(rows[0].payload, R"({"config":"abc"})");
  EXPECT_NE(rows[1].payload.find(R"("approved_qty":"1.50000000","approved_price":"42500.75")"), std::string::npos);
  EXPECT_NE(rows[1].payload.find(R"("equity":"100000.00000000")"), std::string::npos);
  EXPECT_NE(rows[3].payload.find(R"("status":"FILLED","qty":"0.00000001","price":"42500.75","fee":"0.00002550")"),
            std::string::npos);
  EXPECT_EQ(rows[4].payload, R"({"records":5})");

  const VerifyReport report = verify(path);
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_TRUE(report.sealed);
  EXPECT_EQ(report.records, 5u);
  EXPECT_EQ(report.first_bad_seq, 0u);
  EXPECT_EQ(report.head_hash_hex, j->head_hash_hex());
}

TEST(AuditJournal, EmptyJournalClosesWithOnlyTheSeal) {
  const std::string path = journal_path("empty");
  auto j = open_journal(path);
  EXPECT_EQ(j->head_hash_hex(), std::string(64, '0'));
  ASSERT_TRUE(j->close().ok());
  const VerifyReport report = verify(path);
  EXPECT_TRUE(report.ok && report.sealed);
  EXPECT_EQ(report.records, 1u);
}

TEST(AuditJournal, FlushedRecordsAreVisibleToReadersWhileOpen) {
  const std::string path = journal_path("flush_visible");
  auto j = open_journal(path);
  for (std::uint64_t i = 1; i <= 100; ++i) j->append(decision(i));
  ASSERT_TRUE(j->flush().ok());
  EXPECT_EQ(j->records_written(), 100u);
  const VerifyReport report = verify(path);
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_FALSE(report.sealed);  // still open
  EXPECT_EQ(report.records, 100u);
  EXPECT_EQ(report.head_hash_hex, j->head_hash_hex());
}

// What a crash leaves (the files as they are after the last commit) is intact but unsealed.
TEST(AuditJournal, CrashCopyVerifiesButIsNotSealed) {
  const std::string path = journal_path("crash_src");
  const std::string copy = journal_path("crash_copy");
  auto j = open_journal(path, [] {
    JournalOptions o;
    o.durability = JournalDurability::kFull;
    return o;
  }());
  for (std::uint64_t i = 1; i <= 10; ++i) j->append(decision(i));
  ASSERT_TRUE(j->flush().ok());
  std::filesystem::copy_file(path, copy);
  std::filesystem::copy_file(path + "-wal", copy + "-wal");
  ASSERT_TRUE(j->close().ok());

  const VerifyReport report = verify(copy);
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_FALSE(report.sealed);
  EXPECT_EQ(report.records, 10u);
  // And a crashed journal can be reopened and continued.
  auto again = open_journal(copy);
  again->append(decision(11));
  ASSERT_TRUE(again->close().ok());
  const VerifyReport after = verify(copy);
  EXPECT_TRUE(after.ok && after.sealed) << after.problem;
  EXPECT_EQ(after.records, 12u);
}

TEST(AuditJournal, ReopenContinuesTheChain) {
  const std::string path = journal_path("reopen");
  {
    auto j = open_journal(path);
    for (std::uint64_t i = 1; i <= 3; ++i) j->append(decision(i));
    ASSERT_TRUE(j->close().ok());
  }
  auto j = open_journal(path);
  EXPECT_EQ(j->records_written(), 4u);
  j->append(decision(4));
  j->append(decision(5));
  ASSERT_TRUE(j->close().ok());
  const auto rows = read_all(path);
  ASSERT_EQ(rows.size(), 7u);
  EXPECT_EQ(rows[3].kind, "journal_close");
  EXPECT_EQ(rows[6].payload, R"({"records":7})");
  const VerifyReport report = verify(path);
  EXPECT_TRUE(report.ok && report.sealed) << report.problem;
  EXPECT_EQ(report.records, 7u);
}

TEST(AuditJournal, SameRecordsGiveTheSameHeadHash) {
  std::string heads[2];
  for (int run = 0; run < 2; ++run) {
    auto j = open_journal(journal_path("determinism_" + std::to_string(run)));
    j->append(NoteRecord{Timestamp{5}, "run_start", "{}"});
    for (std::uint64_t i = 1; i <= 500; ++i) {
      j->append(decision(i));
      j->append(order_event(static_cast<std::int64_t>(i), OrderStatus::kOpen));
    }
    ASSERT_TRUE(j->close().ok());
    heads[run] = j->head_hash_hex();
  }
  EXPECT_EQ(heads[0], heads[1]);
  EXPECT_NE(heads[0], std::string(64, '0'));
}

// Capacity 8 against 4 producers: producers block (never drop), each keeps its order.
TEST(AuditJournal, FullQueueBlocksProducersAndLosesNothing) {
  const std::string path = journal_path("backpressure");
  JournalOptions o = fast_options();
  o.queue_capacity = 8;
  o.max_batch = 3;
  auto j = open_journal(path, o);
  constexpr std::uint64_t kProducers = 4, kPerProducer = 10'000;
  std::vector<std::thread> producers;
  for (std::uint64_t p = 0; p < kProducers; ++p) {
    producers.emplace_back([&, p] {
      for (std::uint64_t i = 0; i < kPerProducer; ++i) j->append(decision(p * 1'000'000 + i));
    });
  }
  for (auto& t : producers) t.join();
  ASSERT_TRUE(j->close().ok());
  EXPECT_TRUE(j->health().ok());

  std::vector<std::uint64_t> next(kProducers, 0);
  std::uint64_t decisions = 0;
  Status s = for_each_record(path, [&](const JournalRecordView& r) {
    if (r.kind != "decision") return true;
    const std::size_t at = r.payload.find(R"("decision_id":)") + 14;
    const std::uint64_t id = std::stoull(std::string(r.payload.substr(at, 12)));
    const std::uint64_t producer = id / 1'000'000;
    EXPECT_EQ(id % 1'000'000, next[producer]) << "producer " << producer << " out of order at seq " << r.seq;
    ++next[producer];
    ++decisions;
    return true;
  });
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(decisions, kProducers * kPerProducer);
  for (std::uint64_t n : next) EXPECT_EQ(n, kPerProducer);
  const VerifyReport report = verify(path);
  EXPECT_TRUE(report.ok && report.sealed) << report.problem;
  EXPECT_EQ(report.records, kProducers * kPerProducer + 1);
}

// The table vanishes under the writer: flush reports it, appends stop blocking, close reports it.
TEST(AuditJournal, WriterFailureIsReportedAndAppendsNeverHang) {
  const std::string path = journal_path("writer_failure");
  JournalOptions o = fast_options();
  o.queue_capacity = 8;
  auto j = open_journal(path, o);
  j->append(decision(1));
  ASSERT_TRUE(j->flush().ok());

  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  sqlite3_busy_timeout(other, 10'000);
  ASSERT_EQ(sqlite3_exec(other, "DROP TABLE records", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);

  j->append(decision(2));
  Status flushed = j->flush();
  ASSERT_FALSE(flushed.ok());
  EXPECT_NE(flushed.error().message.find(path), std::string::npos) << flushed.error().message;
  EXPECT_NE(flushed.error().message.find("records"), std::string::npos) << flushed.error().message;
  for (std::uint64_t i = 3; i < 10'000; ++i) j->append(decision(i));  // far more than the capacity
  EXPECT_FALSE(j->health().ok());
  EXPECT_NE(j->health().error().message.find("not journaled"), std::string::npos);
  Status closed = j->close();
  ASSERT_FALSE(closed.ok());
  EXPECT_EQ(closed.error().message, flushed.error().message);
}

TEST(AuditJournal, TwoWritersOnOneFileCannotForkTheChain) {
  const std::string path = journal_path("two_writers");
  auto first = open_journal(path);
  auto second = open_journal(path);
  first->append(decision(1));
  ASSERT_TRUE(first->flush().ok());
  second->append(decision(2));
  EXPECT_FALSE(second->flush().ok());
  EXPECT_FALSE(second->close().ok());
  ASSERT_TRUE(first->close().ok());
  const VerifyReport report = verify(path);
  EXPECT_TRUE(report.ok && report.sealed) << report.problem;
}

TEST(AuditJournal, AppendAfterCloseIsNotJournaledAndHealthSaysSo) {
  const std::string path = journal_path("after_close");
  auto j = open_journal(path);
  ASSERT_TRUE(j->close().ok());
  EXPECT_TRUE(j->health().ok());
  j->append(decision(1));
  EXPECT_FALSE(j->health().ok());
  EXPECT_TRUE(j->close().ok());  // the first close's result
  EXPECT_EQ(verify(path).records, 1u);
}

TEST(AuditJournal, TextFileIsRefusedAsNotAJournal) {
  const std::string path = journal_path("text_file");
  std::ofstream(path) << "this is not a journal, just some text that is long enough to have a header\n";
  auto j = AuditJournal::open(path, fast_options());
  ASSERT_FALSE(j.ok());
  EXPECT_NE(j.error().message.find(path), std::string::npos);
  EXPECT_NE(j.error().message.find("not a cst audit journal"), std::string::npos) << j.error().message;
  auto v = verify_journal(path);
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.error().message.find("not a cst audit journal"), std::string::npos) << v.error().message;
}

TEST(AuditJournal, OtherSqliteDatabaseIsRefusedAndLeftUntouched) {
  const std::string path = journal_path("foreign_db");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE prices(x); INSERT INTO prices VALUES(1)", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  const auto size_before = std::filesystem::file_size(path);
  auto j = AuditJournal::open(path, fast_options());
  ASSERT_FALSE(j.ok());
  EXPECT_NE(j.error().message.find("not a cst audit journal"), std::string::npos) << j.error().message;
  EXPECT_EQ(std::filesystem::file_size(path), size_before);
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
}

TEST(AuditJournal, NewerFormatVersionIsRefused) {
  const std::string path = journal_path("newer_version");
  ASSERT_TRUE(open_journal(path)->close().ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE meta SET value = 2 WHERE key = 'format_version'", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto j = AuditJournal::open(path, fast_options());
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(j.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(j.error().message.find("newer"), std::string::npos) << j.error().message;
  EXPECT_NE(j.error().message.find(path), std::string::npos);
  EXPECT_FALSE(verify_journal(path).ok());
}

TEST(AuditJournal, MissingFileIsAnErrorForReaders) {
  const std::string path = journal_path("missing");
  auto v = verify_journal(path);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, ErrorCode::kNotFound);
  EXPECT_NE(v.error().message.find(path), std::string::npos);
  EXPECT_FALSE(for_each_record(path, [](const JournalRecordView&) { return true; }).ok());
  EXPECT_FALSE(std::filesystem::exists(path));  // reading never creates the file
}

TEST(AuditJournal, MissingDirectoryIsAnErrorNamingThePath) {
  const std::string path = ::testing::TempDir() + "no_such_dir_cst/j.journal";
  auto j = AuditJournal::open(path, fast_options());
  ASSERT_FALSE(j.ok());
  EXPECT_NE(j.error().message.find(path), std::string::npos);
}

TEST(AuditJournal, InvalidOptionsAreRejected) {
  JournalOptions o = fast_options();
  o.queue_capacity = 0;
  EXPECT_FALSE(AuditJournal::open(journal_path("bad_options"), o).ok());
  o = fast_options();
  o.max_batch = 0;
  EXPECT_FALSE(AuditJournal::open(journal_path("bad_options"), o).ok());
  o = fast_options();
  o.linger = std::chrono::microseconds(-1);
  EXPECT_FALSE(AuditJournal::open(journal_path("bad_options"), o).ok());
}

// Group commit. With a linger that never runs out, a batch is committed only when it is full
// or a flush asks for it, so the transaction count is exact.
JournalOptions never_lingering_out() {
  JournalOptions o = fast_options();
  o.linger = std::chrono::hours(1);
  return o;
}

TEST(AuditJournal, ManyAppendsThenFlushCommitInFullBatches) {
  const std::string path = journal_path("group_commit");
  JournalOptions o = never_lingering_out();
  o.max_batch = 4096;
  auto j = open_journal(path, o);
  for (std::uint64_t i = 1; i <= 10'000; ++i) j->append(decision(i));
  ASSERT_TRUE(j->flush().ok());
  EXPECT_EQ(j->records_written(), 10'000u);
  EXPECT_EQ(j->commits(), 3u);  // 4096 + 4096 + 1808
  ASSERT_TRUE(j->close().ok());
  EXPECT_EQ(j->commits(), 4u);  // and the seal
  EXPECT_TRUE(verify(path).ok);
}

// The paper/live write-ahead path: append, flush, send. A flush that waited for the linger
// (an hour here) would hang this test.
TEST(AuditJournal, FlushCommitsAtOnceWithoutWaitingForTheLinger) {
  const std::string path = journal_path("flush_no_linger");
  auto j = open_journal(path, never_lingering_out());
  for (std::uint64_t i = 1; i <= 5; ++i) {
    j->append(decision(i));
    ASSERT_TRUE(j->flush().ok());
    EXPECT_EQ(j->records_written(), i);
    EXPECT_EQ(j->commits(), i);
  }
  ASSERT_TRUE(j->close().ok());  // close does not wait for the linger either
  EXPECT_EQ(j->records_written(), 6u);
}

TEST(AuditJournal, FlushWithNothingNewDoesNotCommit) {
  auto j = open_journal(journal_path("flush_nothing"), never_lingering_out());
  ASSERT_TRUE(j->flush().ok());
  j->append(decision(1));
  ASSERT_TRUE(j->flush().ok());
  ASSERT_TRUE(j->flush().ok());
  EXPECT_EQ(j->commits(), 1u);
}

// Live trading mixes both paths: a thread that flushes after every order (its small batches
// may be committed by the formatter itself) and a bulk producer (its batches go through the
// committer). Both kinds of commit must interleave into one unbroken chain.
TEST(AuditJournal, FlushingAndBulkProducersShareOneChain) {
  const std::string path = journal_path("flush_and_bulk");
  JournalOptions o = fast_options();
  o.queue_capacity = 256;
  o.max_batch = 64;
  auto j = open_journal(path, o);
  constexpr std::uint64_t kOrders = 300, kBulk = 20'000;
  std::thread orders([&] {
    for (std::uint64_t i = 0; i < kOrders; ++i) {
      j->append(decision(1'000'000 + i));
      ASSERT_TRUE(j->flush().ok());
      EXPECT_GE(j->records_written(), i + 1);
    }
  });
  std::thread bulk([&] {
    for (std::uint64_t i = 0; i < kBulk; ++i) j->append(decision(i));
  });
  orders.join();
  bulk.join();
  ASSERT_TRUE(j->close().ok());
  const VerifyReport report = verify(path);
  EXPECT_TRUE(report.ok && report.sealed) << report.problem;
  EXPECT_EQ(report.records, kOrders + kBulk + 1);
  EXPECT_EQ(report.head_hash_hex, j->head_hash_hex());
}

// Without a flush, the linger commits a lone record on its own.
TEST(AuditJournal, LingerCommitsARecordWithoutAFlush) {
  JournalOptions o = fast_options();
  o.linger = std::chrono::milliseconds(1);
  auto j = open_journal(journal_path("linger_commits"), o);
  j->append(decision(1));
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (j->records_written() == 0 && std::chrono::steady_clock::now() < give_up) std::this_thread::yield();
  EXPECT_EQ(j->records_written(), 1u);
  EXPECT_EQ(j->commits(), 1u);
}

// A sealed journal is one self-contained file: no -wal or -shm after close(), none made by
// verify_journal(), and it can still be reopened for appending.
TEST(AuditJournal, SealedJournalIsOneFileAndVerifyLeavesItSo) {
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / "cst_audit_one_file";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "run.journal").string();
  auto files_in_dir = [&] {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  };
  const std::vector<std::string> only_the_journal{"run.journal"};
  for (JournalDurability durability : {JournalDurability::kNone, JournalDurability::kFull}) {
    JournalOptions o = fast_options();
    o.durability = durability;
    auto j = open_journal(path, o);
    j->append(decision(1));
    ASSERT_TRUE(j->close().ok());
    EXPECT_EQ(files_in_dir(), only_the_journal);
    const VerifyReport report = verify(path);
    EXPECT_TRUE(report.ok && report.sealed) << report.problem;
    EXPECT_EQ(files_in_dir(), only_the_journal);
  }
  const VerifyReport report = verify(path);
  EXPECT_EQ(report.records, 4u);  // two sessions of a decision and a seal
  EXPECT_EQ(files_in_dir(), only_the_journal);
}

// A reader holding the file open while the writer closes keeps the file in WAL mode (the
// writer does not wait for it); the journal is sealed and verifies all the same.
TEST(AuditJournal, CloseWithAReaderInsideStillSeals) {
  const std::string path = journal_path("close_with_reader");
  auto j = open_journal(path);
  j->append(decision(1));
  ASSERT_TRUE(j->flush().ok());
  sqlite3* reader = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &reader, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(reader, "BEGIN; SELECT count(*) FROM records;", nullptr, nullptr, nullptr), SQLITE_OK);
  ASSERT_TRUE(j->close().ok());
  sqlite3_exec(reader, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(reader);
  const VerifyReport report = verify(path);
  EXPECT_TRUE(report.ok && report.sealed) << report.problem;
  EXPECT_EQ(report.records, 2u);
}

}  // namespace
}  // namespace cst
