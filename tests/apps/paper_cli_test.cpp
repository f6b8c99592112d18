// cst paper / state / kill / resume / reconcile as a user runs them: configuration errors name
// the key and line, a second trader on one state file is refused, and operator actions reach
// the state and the journal.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "support/operator_keys.hpp"
#include "support/paper_config_text.hpp"
#include "support/run_process.hpp"
#include "support/run_sql.hpp"
#include "support/temp_dir.hpp"

namespace cst {
namespace {

using test::run_process;

const std::string kConfig = test::paper_config_text(300);

std::string write(const test::TempDir& dir, const std::string& name, const std::string& text) {
  const std::string path = dir.file(name);
  std::ofstream(path) << text;
  return path;
}

TEST(PaperCli, RunsToTheEndAndAgreesWithABacktestOfTheSameConfiguration) {
  test::TempDir dir;
  const std::string config = write(dir, "paper.toml", kConfig);
  auto paper = run_process({CST_BINARY, "paper", "--config", config, "--quiet"});
  ASSERT_EQ(paper.exit_code, 0) << paper.out;
  EXPECT_NE(paper.out.find("data exhausted"), std::string::npos) << paper.out;
  auto bt =
      run_process({CST_BINARY, "backtest", "--synthetic", "3", "--bars", "300", "--strategy", "sma_cross", "--param",
                   "fast=3", "--param", "slow=8", "--size", "10%", "--cash", "100000", "--out", dir.file("bt")});
  ASSERT_EQ(bt.exit_code, 0) << bt.out;
  // Invariant 4: same data, same configuration, same decisions, so the same final equity.
  const auto equity_of = [](const std::string& out, const std::string& label) {
    const auto at = out.find(label);
    if (at == std::string::npos) return std::string("missing");
    auto begin = out.find_first_of("0123456789", at + label.size());
    return out.substr(begin, out.find_first_not_of("0123456789.", begin) - begin);
  };
  EXPECT_EQ(equity_of(paper.out, "equity "), equity_of(bt.out, "final equity")) << paper.out << bt.out;
  auto verify = run_process({CST_BINARY, "audit", "verify", dir.file("journal.db")});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
}

TEST(PaperCli, ConfigurationErrorsNameTheKeyAndLine) {
  test::TempDir dir;
  const std::string config = write(dir, "bad.toml", kConfig + "\n[paper2]\nx = 1\n");
  auto r = run_process({CST_BINARY, "paper", "--config", config});
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("bad.toml:21: unknown section 'paper2'"), std::string::npos) << r.out;

  const std::string typo = write(dir, "typo.toml", kConfig + "spede = 3\n");
  r = run_process({CST_BINARY, "paper", "--config", typo});
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("typo.toml:20: unknown key 'paper.spede'"), std::string::npos) << r.out;

  const std::string syntax = write(dir, "syntax.toml", "[account\ncash = 1\n");
  r = run_process({CST_BINARY, "paper", "--config", syntax});
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("syntax.toml:1:"), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists(dir.file("state.db"))) << "nothing may be created for a bad configuration";
}

// The same knob checks for a configuration: TOML has nan and huge numbers, and nothing else
// bounds [venue] partial_ratio, slippage_bps or latency_ms before they reach the venue.
TEST(PaperCli, FillKnobsOutsideTheirRangesAreRefusedNamingTheFile) {
  test::TempDir dir;
  const std::string venue = "file = \"venue.db\"";
  for (const auto& [knob, words] : std::vector<std::pair<std::string, std::string>>{
           {"partial_ratio = nan", "fill model: partial fill ratio nan"},
           {"slippage_bps = 4611686018427387904", "fill model: slippage 4611686018427387904 bps"},
           {"latency_ms = 9223372036854775807", "fill latency 9223372036854775807 ms"}}) {
    std::string text = kConfig;
    text.replace(text.find(venue), venue.size(), venue + "\n" + knob);
    const std::string config = write(dir, "knobs.toml", text);
    auto r = run_process({CST_BINARY, "paper", "--config", config});
    EXPECT_EQ(r.exit_code, 2) << knob << ": " << r.out;
    EXPECT_NE(r.out.find(config + ": " + words), std::string::npos) << r.out;
    EXPECT_FALSE(std::filesystem::exists(dir.file("venue.db"))) << knob;
  }
}

TEST(PaperCli, KillSurvivesRestartsUntilAnOperatorResumesWithASignature) {
  test::TempDir dir;
  const test::OperatorKey alice = test::make_operator_key(dir, "alice");
  const test::OperatorKey mallory = test::make_operator_key(dir, "mallory");
  const std::string config = write(dir, "paper.toml", kConfig + test::security_section("alice", alice));
  ASSERT_EQ(run_process({CST_BINARY, "paper", "--config", config, "--max-bars", "50", "--quiet"}).exit_code, 0);
  const std::string state = dir.file("state.db");
  auto kill = run_process({CST_BINARY, "kill", "--state", state, "--reason", "fat finger", "--operator", "bob"});
  ASSERT_EQ(kill.exit_code, 0) << kill.out;
  auto paper = run_process({CST_BINARY, "paper", "--config", config, "--max-bars", "50", "--quiet"});
  ASSERT_EQ(paper.exit_code, 0) << paper.out;
  EXPECT_NE(paper.out.find("state killed"), std::string::npos) << paper.out;
  auto show = run_process({CST_BINARY, "state", "show", "--state", state});
  EXPECT_NE(show.out.find("killed - fat finger (by bob)"), std::string::npos) << show.out;
  // resume needs a reason and an operator key of the configuration in force.
  EXPECT_EQ(run_process({CST_BINARY, "resume", "--state", state, "--key", alice.key_file}).exit_code, 2);
  EXPECT_EQ(run_process({CST_BINARY, "resume", "--state", state, "--reason", "ok"}).exit_code, 2);
  auto stranger = run_process({CST_BINARY, "resume", "--state", state, "--reason", "ok", "--key", mallory.key_file});
  EXPECT_EQ(stranger.exit_code, 2);
  EXPECT_NE(stranger.out.find("not an operator key of the configuration in force (operators: alice)"),
            std::string::npos)
      << stranger.out;
  auto resume = run_process({CST_BINARY, "resume", "--state", state, "--reason", "checked", "--key", alice.key_file});
  ASSERT_EQ(resume.exit_code, 0) << resume.out;
  paper = run_process({CST_BINARY, "paper", "--config", config, "--max-bars", "50", "--quiet"});
  EXPECT_NE(paper.out.find("state active"), std::string::npos) << paper.out;
  auto verify = run_process({CST_BINARY, "audit", "verify", dir.file("journal.db")});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
}

TEST(PaperCli, AForgedResumeInTheStateFileIsRefusedAndLocksDown) {
  test::TempDir dir;
  const test::OperatorKey alice = test::make_operator_key(dir, "alice");
  const std::string config = write(dir, "paper.toml", kConfig + test::security_section("alice", alice));
  ASSERT_EQ(run_process({CST_BINARY, "paper", "--config", config, "--max-bars", "20", "--quiet"}).exit_code, 0);
  const std::string state = dir.file("state.db");
  ASSERT_EQ(run_process({CST_BINARY, "kill", "--state", state, "--reason", "stop"}).exit_code, 0);
  // Someone with write access queues a resume in alice's name without her key.
  test::run_sql(state,
                "INSERT INTO operator_actions(time_ns, action, reason, operator, signature, clears_since_ns)"
                " VALUES (1, 1, 'trust me', 'alice', '00', 0)");
  auto paper = run_process({CST_BINARY, "paper", "--config", config, "--max-bars", "20"});
  ASSERT_EQ(paper.exit_code, 0) << paper.out;
  EXPECT_NE(paper.out.find("resume by alice refused: no operator signature"), std::string::npos) << paper.out;
  EXPECT_NE(paper.out.find("state lockdown"), std::string::npos) << paper.out;
}

TEST(PaperCli, ASecondTraderOnTheSameStateRefusesToStartAndChangesNothing) {
  test::TempDir dir;
  const std::string config = write(dir, "paper.toml", kConfig);
  // The first trader replays slowly (one bar a minute), so it is still running.
  test::SpawnedProcess first({CST_BINARY, "paper", "--config", config, "--speed", "1"});
  ASSERT_TRUE(first.read_until("recovered: boot 1")) << first.out();
  auto second = run_process({CST_BINARY, "paper", "--config", config, "--speed", "0"});
  EXPECT_EQ(second.exit_code, 2) << second.out;
  EXPECT_NE(second.out.find("is in use by another trading process (pid"), std::string::npos) << second.out;
  // A stop request (SIGTERM) ends the first one cleanly, with its journal sealed.
  EXPECT_EQ(first.stop(SIGTERM), 0) << first.out();
  EXPECT_NE(first.out().find("paper: boot 1"), std::string::npos) << first.out();
  auto verify = run_process({CST_BINARY, "audit", "verify", dir.file("journal.db")});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
  EXPECT_NE(verify.out.find("sealed"), std::string::npos) << verify.out;
  auto show = run_process({CST_BINARY, "state", "show", "--state", dir.file("state.db"), "--json"});
  EXPECT_NE(show.out.find("\"boot\":1,"), std::string::npos)
      << "the refused trader must not count a boot: " << show.out;
}

TEST(PaperCli, ReconcileOnceReportsAgreementAsJson) {
  test::TempDir dir;
  const std::string config = write(dir, "paper.toml", kConfig);
  ASSERT_EQ(run_process({CST_BINARY, "paper", "--config", config, "--max-bars", "80", "--quiet"}).exit_code, 0);
  auto r = run_process({CST_BINARY, "reconcile", "--once", "--config", config});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("\"balance_mismatch\":false"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"missing_fills_applied\":0"), std::string::npos) << r.out;
  // The state knows its units, so amounts show as decimals, not raw counts.
  auto show = run_process({CST_BINARY, "state", "show", "--state", dir.file("state.db")});
  EXPECT_NE(show.out.find("\n  position     "), std::string::npos) << show.out;
  EXPECT_EQ(show.out.find("(raw)"), std::string::npos) << show.out;
  auto json = run_process({CST_BINARY, "state", "show", "--state", dir.file("state.db"), "--json"});
  EXPECT_NE(json.out.find("\"position\":\""), std::string::npos) << json.out;
}

TEST(PaperCli, AStateFileThatIsNotOneIsRefusedAndLeftAlone) {
  test::TempDir dir;
  const std::string config = write(dir, "paper.toml", kConfig);
  const std::string state = write(dir, "state.db", "this is not a database, but it is somebody's file\n");
  auto r = run_process({CST_BINARY, "paper", "--config", config});
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find(state), std::string::npos) << r.out;
  EXPECT_EQ(test::read_file(state), "this is not a database, but it is somebody's file\n");
}

}  // namespace
}  // namespace cst

namespace cst {
namespace {

TEST(PaperCli, ALargeOrderWaitsForTwoOperatorsThenTrades) {
  test::TempDir dir;
  const test::OperatorKey alice = test::make_operator_key(dir, "alice");
  const test::OperatorKey bob = test::make_operator_key(dir, "bob");
  std::string config_text = kConfig + "\n[security]\noperators = { alice = \"" + alice.token + "\", bob = \"" +
                            bob.token + "\" }\nmultisig_notional = \"1\"\nmultisig_required = 2\n";
  const std::string config = write(dir, "paper.toml", config_text);
  const std::string state = dir.file("state.db");
  // Ten bars a second: slow enough for the operators, and the test waits on output, not time.
  test::SpawnedProcess trader({CST_BINARY, "paper", "--config", config, "--speed", "600"});
  ASSERT_TRUE(trader.read_until("operator approvals: cst approve ")) << trader.out();
  const std::size_t at = trader.out().find("operator approvals: cst approve ") + 32;
  const std::string id = trader.out().substr(at, trader.out().find(' ', at) - at);
  auto stranger = run_process({CST_BINARY, "approve", "no-such-order", "--state", state, "--key", alice.key_file});
  EXPECT_EQ(stranger.exit_code, 2);
  EXPECT_NE(stranger.out.find("(held: " + id + ")"), std::string::npos) << stranger.out;
  auto first = run_process({CST_BINARY, "approve", id, "--state", state, "--key", alice.key_file});
  ASSERT_EQ(first.exit_code, 0) << first.out;
  auto second = run_process({CST_BINARY, "approve", id, "--state", state, "--key", bob.key_file});
  ASSERT_EQ(second.exit_code, 0) << second.out;
  EXPECT_TRUE(trader.read_until("fill " + id)) << trader.out();
  EXPECT_EQ(trader.stop(SIGTERM), 0) << trader.out();
}

}  // namespace
}  // namespace cst
