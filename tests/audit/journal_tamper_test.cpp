// Tamper tests: edit a closed journal behind the journal's back with plain SQL, as an attacker
// with file access would, and check that verify_journal() names the first broken record.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <tuple>
#include <vector>

#include "cst/audit/audit_journal.hpp"
#include "cst/audit/hash_chain.hpp"
#include "cst/audit/journal_verify.hpp"
#include "support/run_sql.hpp"

namespace cst {
namespace {

constexpr std::uint64_t kRecords = 10;  // plus the seal: 11 rows

class JournalTamper : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "cst_audit_tamper_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".journal";
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
    JournalOptions o;
    o.durability = JournalDurability::kNone;
    auto j = AuditJournal::open(path_, o);
    ASSERT_TRUE(j.ok()) << j.error().message;
    for (std::uint64_t i = 1; i <= kRecords; ++i) {
      OrderEventRecord e;
      e.time = Timestamp{static_cast<std::int64_t>(i * 1000)};
      e.client_order_id = *ClientOrderId::parse("o-" + std::to_string(i));
      e.status = OrderStatus::kFilled;
      e.qty = Qty::from_raw(static_cast<std::int64_t>(i));
      (*j)->append(e);
    }
    ASSERT_TRUE((*j)->close().ok());
    original_head_ = (*j)->head_hash_hex();
    const VerifyReport before = report();
    ASSERT_TRUE(before.ok && before.sealed) << before.problem;
  }

  // Runs SQL on the closed journal, as a second program would.
  void tamper(const std::string& sql) { test::run_sql(path_, sql); }

  VerifyReport report() {
    auto r = verify_journal(path_);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : VerifyReport{};
  }

  void expect_broken_at(std::uint64_t seq, const std::string& words) {
    const VerifyReport r = report();
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.first_bad_seq, seq) << r.problem;
    EXPECT_NE(r.problem.find(words), std::string::npos) << r.problem;
  }

  std::string path_;
  std::string original_head_;
};

TEST_F(JournalTamper, EditedPayloadIsFoundAtItsSeq) {
  tamper(R"(UPDATE records SET payload = replace(payload, '"qty":"5"', '"qty":"500"') WHERE seq = 5)");
  expect_broken_at(5, "edited");
}

TEST_F(JournalTamper, EditedTimeIsFoundAtItsSeq) {
  tamper("UPDATE records SET time_ns = time_ns + 1 WHERE seq = 4");
  expect_broken_at(4, "edited");
}

TEST_F(JournalTamper, EditedKindIsFoundAtItsSeq) {
  tamper("UPDATE records SET kind = 'decision' WHERE seq = 2");
  expect_broken_at(2, "edited");
}

TEST_F(JournalTamper, ChangedColumnTypeIsFoundAtItsSeq) {
  tamper("UPDATE records SET payload = CAST(payload AS BLOB) WHERE seq = 3");
  expect_broken_at(3, "wrong type");
}

TEST_F(JournalTamper, DeletedRecordIsFoundAtItsSeq) {
  tamper("DELETE FROM records WHERE seq = 6");
  expect_broken_at(6, "missing");
}

TEST_F(JournalTamper, DeletedFirstRecordIsFound) {
  tamper("DELETE FROM records WHERE seq = 1");
  expect_broken_at(1, "missing");
}

TEST_F(JournalTamper, SwappedContentsAreFoundAtTheFirst) {
  tamper(
      "CREATE TEMP TABLE t AS SELECT * FROM records WHERE seq IN (3, 7);"
      "UPDATE records SET (time_ns, kind, payload, prev_hash, hash) = "
      " (SELECT time_ns, kind, payload, prev_hash, hash FROM t WHERE t.seq = 10 - records.seq)"
      " WHERE seq IN (3, 7);");
  expect_broken_at(3, "prev_hash");
}

TEST_F(JournalTamper, SwappedSeqNumbersAreFoundAtTheFirst) {
  tamper(
      "UPDATE records SET seq = -3 WHERE seq = 3; UPDATE records SET seq = 3 WHERE seq = 4;"
      "UPDATE records SET seq = 4 WHERE seq = -3;");
  expect_broken_at(3, "prev_hash");
}

TEST_F(JournalTamper, TruncatedTailIsDetectedAndUnsealed) {
  tamper("DELETE FROM records WHERE seq > 8");
  expect_broken_at(9, "truncated");
  EXPECT_FALSE(report().sealed);
}

// Cutting the tail and moving the head to match leaves a valid chain; the missing seal is
// what shows that the run's end is gone.
TEST_F(JournalTamper, TruncationWithMatchingHeadIsUnsealed) {
  tamper(
      "DELETE FROM records WHERE seq > 8;"
      "UPDATE meta SET value = 8 WHERE key = 'head_count';"
      "UPDATE meta SET value = (SELECT hash FROM records WHERE seq = 8) WHERE key = 'head_hash';");
  const VerifyReport r = report();
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_FALSE(r.sealed);
  EXPECT_NE(r.head_hash_hex, original_head_);
}

TEST_F(JournalTamper, EditedHeadCountIsDetected) {
  tamper("UPDATE meta SET value = 30 WHERE key = 'head_count'");
  expect_broken_at(kRecords + 2, "truncated");
}

TEST_F(JournalTamper, EditedHeadHashIsDetected) {
  tamper("UPDATE meta SET value = zeroblob(32) WHERE key = 'head_hash'");
  expect_broken_at(kRecords + 1, "head hash");
}

TEST_F(JournalTamper, HeadCountBelowTheLastRecordIsDetected) {
  tamper("UPDATE meta SET value = 10 WHERE key = 'head_count'");
  expect_broken_at(kRecords + 1, "added after the head");
}

TEST_F(JournalTamper, ForgedRecordAfterTheSealIsDetected) {
  tamper("INSERT INTO records SELECT seq + 1, time_ns, kind, payload, hash, hash FROM records WHERE seq = 11");
  expect_broken_at(kRecords + 2, "edited");
}

TEST_F(JournalTamper, ReopeningATamperedJournalIsRefused) {
  tamper("DELETE FROM records WHERE seq > 8");
  JournalOptions o;
  o.durability = JournalDurability::kNone;
  auto j = AuditJournal::open(path_, o);
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(j.error().code, ErrorCode::kCorruption);
  EXPECT_NE(j.error().message.find(path_), std::string::npos);
  EXPECT_NE(j.error().message.find("does not match the last record"), std::string::npos) << j.error().message;
}

// The limit of an unkeyed chain: whoever recomputes every later hash and the head gets a valid
// chain; only the head hash kept elsewhere shows the change.
TEST_F(JournalTamper, FullRewriteIsOnlyCaughtByTheKeptHeadHash) {
  audit::RecordHasher hasher;
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE records SET time_ns = 1 WHERE seq = 2", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_stmt* sel = nullptr;
  sqlite3_prepare_v2(db, "SELECT seq, time_ns, kind, payload FROM records ORDER BY seq", -1, &sel, nullptr);
  sqlite3_stmt* upd = nullptr;
  sqlite3_prepare_v2(db, "UPDATE records SET prev_hash = ?1, hash = ?2 WHERE seq = ?3", -1, &upd, nullptr);
  audit::Hash256 prev = audit::kZeroHash;
  std::vector<std::tuple<std::int64_t, audit::Hash256, audit::Hash256>> rewrites;
  while (sqlite3_step(sel) == SQLITE_ROW) {
    const auto seq = sqlite3_column_int64(sel, 0);
    const auto* kind = reinterpret_cast<const char*>(sqlite3_column_text(sel, 2));
    const auto* payload = reinterpret_cast<const char*>(sqlite3_column_text(sel, 3));
    const audit::Hash256 h =
        *hasher.hash(prev, static_cast<std::uint64_t>(seq), sqlite3_column_int64(sel, 1), kind, payload);
    rewrites.emplace_back(seq, prev, h);
    prev = h;
  }
  sqlite3_finalize(sel);
  for (const auto& [seq, p, h] : rewrites) {
    sqlite3_bind_blob(upd, 1, p.data(), 32, SQLITE_TRANSIENT);
    sqlite3_bind_blob(upd, 2, h.data(), 32, SQLITE_TRANSIENT);
    sqlite3_bind_int64(upd, 3, seq);
    ASSERT_EQ(sqlite3_step(upd), SQLITE_DONE);
    sqlite3_reset(upd);
  }
  sqlite3_finalize(upd);
  sqlite3_stmt* head = nullptr;
  sqlite3_prepare_v2(db, "UPDATE meta SET value = ?1 WHERE key = 'head_hash'", -1, &head, nullptr);
  sqlite3_bind_blob(head, 1, prev.data(), 32, SQLITE_TRANSIENT);
  ASSERT_EQ(sqlite3_step(head), SQLITE_DONE);
  sqlite3_finalize(head);
  sqlite3_close(db);

  const VerifyReport r = report();
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_NE(r.head_hash_hex, original_head_);
}

}  // namespace
}  // namespace cst
