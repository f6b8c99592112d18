// The cst binary as a user runs it: exit codes, error messages that name what and where,
// no half-written results, byte-identical reruns, and tamper detection through the CLI.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "support/run_process.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
using cst::test::read_file;
using cst::test::run_process;

namespace {

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cst_cli_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  cst::test::ProcessResult backtest(std::vector<std::string> extra, const fs::path& out) {
    std::vector<std::string> args = {CST_BINARY, "backtest", "--strategy", "sma_cross", "--out", out.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_process(args);
  }

  fs::path dir_;
};

TEST_F(CliTest, VersionPrintsTheVersion) {
  auto r = run_process({CST_BINARY, "--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("cst "), std::string::npos);
}

// Fill knobs the engine cannot use are refused before anything runs: "--partial-prob nan" got
// past CLI::Range (found by fuzz/cli_fuzz.cpp) and reached a double-to-integer conversion
// (undefined behaviour); a slippage near the int64 limit overflowed the price arithmetic.
TEST_F(CliTest, FillKnobsOutsideTheirRangesAreRefused) {
  const auto out = dir_ / "out";
  for (const auto& [option, value] : std::vector<std::pair<std::string, std::string>>{
           {"--partial-prob", "nan"}, {"--partial-ratio", "inf"}, {"--partial-ratio", "1.5"}}) {
    auto r = backtest({"--synthetic", "1", "--bars", "50", option, value}, out);
    EXPECT_EQ(r.exit_code, 2) << option << " " << value << ": " << r.out;
    EXPECT_NE(r.out.find("'" + value + "' is not a number in [0, 1]"), std::string::npos) << r.out;
  }
  auto r = backtest({"--synthetic", "1", "--bars", "50", "--slippage-bps", "5000000000000000000"}, out);
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("fill model: slippage 5000000000000000000 bps"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(out / "summary.json"));
}

TEST_F(CliTest, MalformedCsvNamesFileLineAndColumnAndWritesNothing) {
  const auto csv =
      write("bad.csv", "Date,Open,High,Low,Close,Volume\n2024-01-01,1,2,0.5,1.5,10\n2024-01-02,1,2,abc,1.5,10\n");
  const auto out = dir_ / "out";
  auto r = backtest({"--data", csv.string(), "--param", "fast=2", "--param", "slow=3"}, out);
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("bad.csv:3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Low"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(out / "summary.json"));
  EXPECT_FALSE(fs::exists(out / "journal.db"));
}

TEST_F(CliTest, UnsortedCsvIsRefused) {
  const auto csv =
      write("unsorted.csv", "Date,Open,High,Low,Close,Volume\n2024-01-02,1,2,0.5,1.5,10\n2024-01-01,1,2,0.5,1.5,10\n");
  auto r = backtest({"--data", csv.string()}, dir_ / "out");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("unsorted.csv:3"), std::string::npos) << r.out;
}

TEST_F(CliTest, UnknownStrategyParameterAndImpossibleConfigAreRefused) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"--synthetic", "1", "--param", "fats=10"}, "no parameter 'fats'"},
      {{"--synthetic", "1", "--param", "fast=30", "--param", "slow=10"}, "must be smaller than slow"},
      {{"--synthetic", "1", "--param", "fast=ten"}, "not an integer"},
      {{"--synthetic", "1", "--cash", "-5"}, "--cash"},
      {{"--synthetic", "1", "--size", "0"}, "size"},
      {{"--synthetic", "1", "--commission-bps", "x"}, "--commission-bps"},
      {{"--data", (dir_ / "missing.csv").string()}, "missing.csv"},
  };
  for (const auto& c : cases) {
    auto r = backtest(c.args, dir_ / "out");
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find(c.message), std::string::npos) << "expected '" << c.message << "' in: " << r.out;
    EXPECT_FALSE(fs::exists(dir_ / "out" / "summary.json"));
  }
  auto unknown =
      run_process({CST_BINARY, "backtest", "--strategy", "nope", "--synthetic", "1", "--out", (dir_ / "o").string()});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.out.find("unknown strategy 'nope'"), std::string::npos) << unknown.out;
}

TEST_F(CliTest, SameInputsGiveByteIdenticalSummaryReportAndJournalHash) {
  const std::vector<std::string> args = {"--synthetic",    "5",       "--bars",         "20000",  "--param",
                                         "fast=5",         "--param", "slow=20",        "--size", "10%",
                                         "--partial-prob", "0.3",     "--slippage-bps", "2"};
  auto a = backtest(args, dir_ / "a");
  auto b = backtest(args, dir_ / "b");
  ASSERT_EQ(a.exit_code, 0) << a.out;
  ASSERT_EQ(b.exit_code, 0) << b.out;
  EXPECT_EQ(read_file(dir_ / "a" / "summary.json"), read_file(dir_ / "b" / "summary.json"));
  EXPECT_EQ(read_file(dir_ / "a" / "report.html"), read_file(dir_ / "b" / "report.html"));
  const auto summary = read_file(dir_ / "a" / "summary.json");
  EXPECT_NE(summary.find("\"journal_head_hash\""), std::string::npos);
  auto other_seed =
      backtest({"--synthetic", "6", "--bars", "20000", "--param", "fast=5", "--param", "slow=20"}, dir_ / "c");
  ASSERT_EQ(other_seed.exit_code, 0) << other_seed.out;
  EXPECT_NE(read_file(dir_ / "c" / "summary.json"), summary);
}

TEST_F(CliTest, AuditVerifyDetectsAnEditedJournal) {
  auto r = backtest({"--synthetic", "3", "--bars", "5000", "--param", "fast=5", "--param", "slow=20"}, dir_ / "run");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto journal = (dir_ / "run" / "journal.db").string();
  auto ok = run_process({CST_BINARY, "audit", "verify", journal});
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_NE(ok.out.find("intact"), std::string::npos);

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(journal.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  ASSERT_EQ(sqlite3_exec(db, "UPDATE records SET payload = replace(payload, 'sma_cross', 'sma_crosz') WHERE seq = 1",
                         nullptr, nullptr, &err),
            SQLITE_OK)
      << (err ? err : "");
  sqlite3_close(db);
  auto broken = run_process({CST_BINARY, "audit", "verify", journal});
  EXPECT_EQ(broken.exit_code, 1) << broken.out;
  EXPECT_NE(broken.out.find("record 1"), std::string::npos) << broken.out;

  auto missing = run_process({CST_BINARY, "audit", "verify", (dir_ / "nope.db").string()});
  EXPECT_EQ(missing.exit_code, 2) << missing.out;
}

TEST_F(CliTest, ResearchProfileWithEnoughCashNeverReducesOrRejectsOnRealData) {
  const std::string csv = CST_SHARED_DATA_DIR "/candles/btc-perp-20220101_1m.csv";
  if (!fs::exists(csv)) GTEST_SKIP() << "shared data not present";
  auto r = backtest({"--data", csv, "--param", "fast=10", "--param", "slow=30", "--cash", "100000", "--size", "1",
                     "--commission-bps", "10", "--fill", "next-open", "--risk-profile", "research"},
                    dir_ / "run");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto summary = read_file(dir_ / "run" / "summary.json");
  EXPECT_NE(summary.find("\"reduced\": 0"), std::string::npos) << summary;
  EXPECT_NE(summary.find("\"rejected\": 0"), std::string::npos) << summary;
}

}  // namespace
