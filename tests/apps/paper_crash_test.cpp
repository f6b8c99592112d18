// The crash test of DESIGN.md invariants 5 and 6: a paper trader is SIGKILLed at 200+ seeded
// random points (both at its own crash points, between two durable steps, and at instants its
// parent picks while it writes), restarted each time, and finally run to the end. Then:
//   - every fill the venue produced is in the state store exactly once;
//   - the venue never received the same client order id twice;
//   - cash and position equal those recomputed from the stored fills, and the venue's balances;
//   - the journal verifies;
//   - a kill switch set before a crash is still set after it.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <map>
#include <set>

#include "cst/audit/journal_verify.hpp"
#include "cst/core/rng.hpp"
#include "support/operator_keys.hpp"
#include "support/run_process.hpp"
#include "support/temp_dir.hpp"

namespace cst {
namespace {

// Integer rows of one query on a file, read without going through cst's own code.
std::vector<std::vector<std::int64_t>> query(const std::string& path, const std::string& sql) {
  std::vector<std::vector<std::int64_t>> rows;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << path;
    sqlite3_close(db);
    return rows;
  }
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
    sqlite3_close(db);
    return rows;
  }
  while (sqlite3_step(st) == SQLITE_ROW) {
    std::vector<std::int64_t> row;
    for (int i = 0; i < sqlite3_column_count(st); ++i) row.push_back(sqlite3_column_int64(st, i));
    rows.push_back(std::move(row));
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return rows;
}

std::string write_config(const test::TempDir& dir, const test::OperatorKey& op) {
  const std::string path = dir.file("paper.toml");
  std::ofstream(path) << R"([account]
cash = "100000"
state = "state.db"
journal = "journal.db"

[data]
synthetic = 7
bars = 6000

[strategy]
name = "sma_cross"
size = "10%"
params = { fast = 3, slow = 8 }

[risk]
profile = "aggressive"

[venue]
file = "venue.db"
commission_bps = "10"
partial_probability = 0.3
partial_ratio = 0.5
seed = 11
cancel_on_disconnect = true

[paper]
speed = 0
)" << test::security_section("drill", op);
  return path;
}

std::string trading_state(const std::string& state) {
  auto r = test::run_process({CST_BINARY, "state", "show", "--state", state, "--json"});
  const auto at = r.out.find("\"trading_state\":\"");
  if (at == std::string::npos) return "unreadable: " + r.out;
  const auto begin = at + 17;
  return r.out.substr(begin, r.out.find('"', begin) - begin);
}

TEST(PaperCrash, TwoHundredKillsLoseNoFillAndSendNoOrderTwice) {
  test::TempDir dir;
  const test::OperatorKey op = test::make_operator_key(dir, "drill");
  const std::string config = write_config(dir, op);
  const std::string state = dir.file("state.db"), venue = dir.file("venue.db"), journal = dir.file("journal.db");
  Rng rng(20261124);
  int kills = 0, runs = 0;
  bool killed_checked = false;
  while (kills < 200 && runs < 600) {
    ++runs;
    std::vector<std::string> args = {CST_BINARY, "paper", "--config", config, "--speed", "0"};
    std::size_t kill_after = 0;
    if (rng.bernoulli(0.7)) {
      args.push_back("--crash-at");
      args.push_back(std::to_string(1 + rng.next_u64() % 40));
    } else {
      kill_after = 1 + rng.next_u64() % 12;  // the parent kills it while it writes
    }
    auto r = test::run_process(args, kill_after);
    if (r.exit_code == 128 + SIGKILL) {
      ++kills;
    } else {
      ASSERT_EQ(r.exit_code, 0) << r.out;
    }
    if (kills == 100 && !killed_checked) {
      // The operator kills trading; crashes must not forget it.
      auto k =
          test::run_process({CST_BINARY, "kill", "--state", state, "--reason", "crash drill", "--operator", "test"});
      ASSERT_EQ(k.exit_code, 0) << k.out;
      ASSERT_EQ(trading_state(state), "killed");
      for (int i = 0; i < 5; ++i) {
        auto c = test::run_process(
            {CST_BINARY, "paper", "--config", config, "--speed", "0", "--crash-at", std::to_string(2 + i)});
        EXPECT_EQ(c.exit_code, 128 + SIGKILL) << c.out;
        EXPECT_EQ(trading_state(state), "killed") << "after crash " << i;
      }
      auto resume =
          test::run_process({CST_BINARY, "resume", "--state", state, "--reason", "drill over", "--key", op.key_file});
      ASSERT_EQ(resume.exit_code, 0) << resume.out;
      EXPECT_EQ(trading_state(state), "active");
      killed_checked = true;
    }
  }
  EXPECT_GE(kills, 200);
  EXPECT_TRUE(killed_checked);
  // A last, clean run to the end of the data.
  auto last = test::run_process({CST_BINARY, "paper", "--config", config, "--speed", "0", "--quiet"});
  ASSERT_EQ(last.exit_code, 0) << last.out;

  // Every venue fill is in the state exactly once, and nothing else is.
  const auto venue_fills = query(venue, "SELECT trade_id, qty, price, fee FROM fills ORDER BY trade_id");
  const auto state_fills = query(state, "SELECT trade_id, qty, price, fee FROM fills ORDER BY trade_id");
  ASSERT_FALSE(venue_fills.empty()) << "the drill produced no fills: it tests nothing";
  EXPECT_EQ(venue_fills, state_fills);
  // The venue never saw a client order id twice.
  const auto dup = query(venue, "SELECT value FROM meta WHERE key = 'duplicate_submissions'");
  ASSERT_EQ(dup.size(), 1u);
  EXPECT_EQ(dup[0][0], 0);
  // Orders at the venue are all known to the state.
  const auto unknown = query(venue, "SELECT count(*) FROM orders");
  const auto known = query(state, "SELECT count(*) FROM orders");
  EXPECT_LE(unknown[0][0], known[0][0]);
  // Cash and position recomputed from the stored fills (side 0 buy, 1 sell; raw units).
  const auto fills = query(state, "SELECT side, qty, price, fee FROM fills ORDER BY trade_id");
  const auto acct = query(state, "SELECT cash, starting_cash FROM account");
  const auto pos = query(state, "SELECT qty FROM positions");
  ASSERT_EQ(acct.size(), 1u);
  std::int64_t position = 0;
  for (const auto& f : fills) position += f[0] == 0 ? f[1] : -f[1];
  EXPECT_EQ(pos.empty() ? 0 : pos[0][0], position);
  const auto cash = query(venue, "SELECT amount FROM balances WHERE asset = 'cash'");
  const auto base = query(venue, "SELECT amount FROM balances WHERE asset = 'base'");
  ASSERT_EQ(cash.size(), 1u);
  ASSERT_EQ(base.size(), 1u);
  EXPECT_EQ(cash[0][0], acct[0][0]) << "venue cash vs state cash";
  EXPECT_EQ(base[0][0], position) << "venue holdings vs state position";
  // The journal's chain is intact across every crash.
  auto verified = verify_journal(journal);
  ASSERT_TRUE(verified.ok()) << verified.error().message;
  EXPECT_TRUE(verified->ok) << verified->problem;
  // The operator's kill and resume, taken while no trader ran, were journaled by the next start.
  EXPECT_GE(query(journal, "SELECT count(*) FROM records WHERE kind = 'operator_kill'")[0][0], 1);
  EXPECT_GE(query(journal, "SELECT count(*) FROM records WHERE kind = 'operator_resume'")[0][0], 1);
  // The drill must have hit the windows that matter, or it proves little: orders stored but never
  // sent, acks lost with the process, fills the venue made while the trader was down.
  auto recovered = [&](const char* field) {
    const auto r = query(journal, std::string("SELECT coalesce(sum(json_extract(payload, '$.") + field +
                                      "')), 0) FROM records WHERE kind = 'recovery_done'");
    return r.empty() ? std::int64_t{0} : r[0][0];
  };
  const std::int64_t not_received = recovered("not_received"), resolved = recovered("uncertain_resolved"),
                     missed = recovered("missing_fills_applied");
  EXPECT_GT(not_received, 0) << "no crash between storing an order and sending it";
  EXPECT_GT(resolved - not_received, 0) << "no crash between sending an order and storing its ack";
  EXPECT_GT(missed, 0) << "no crash lost a fill report";
  std::cout << "recoveries: " << not_received << " orders never received, " << resolved - not_received
            << " acks recovered by query, " << missed << " missed fills applied\n";
  std::cout << "crash drill: " << runs << " runs, " << kills << " kills, " << venue_fills.size() << " fills\n";
}

}  // namespace
}  // namespace cst
