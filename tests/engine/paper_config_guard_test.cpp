// Configuration levels in a running account: an unapproved RESTRICTED change is tampering
// (lockdown that survives restarts, start refused); an approved one becomes the baseline;
// a file changed under a running trader locks it down at the next check.
#include <gtest/gtest.h>

#include <fstream>

#include "cst/audit/journal_verify.hpp"
#include "cst/config/config_file.hpp"
#include "support/paper_session_fixture.hpp"

namespace cst::testing_support {
namespace {

using config::ConfigValues;

class PaperConfigGuard : public PaperSessionTest {
 protected:
  PaperConfigGuard() {
    values_ = ConfigValues{{"risk.profile", "moderate"},
                           {"strategy.size", "10%"},
                           {"security.operators.alice", alice_.public_key().token()}};
    options_.config_path = dir_.file("paper.toml");
    options_.config_check_interval = std::chrono::milliseconds(0);  // every bar: deterministic
    write_config("profile = moderate");
  }
  // The file's bytes stand for the values; what matters here is that its hash is the one run.
  void write_config(const std::string& text) {
    std::ofstream(options_.config_path, std::ios::trunc) << text;
    options_.config_hash = *config::hash_config_file(options_.config_path);
    options_.config_values = values_;
  }
  Result<PaperRun> try_run() {
    ScriptStrategy s([](StrategyContext& ctx, int bar) {
      if (bar == 3) ctx.submit(market_buy());
    });
    return run_paper(config_, bars_, s, options_);
  }

  security::OperatorSigner alice_ = *security::OperatorSigner::generate("alice");
  security::OperatorSigner mallory_ = *security::OperatorSigner::generate("mallory");
  ConfigValues values_;
};

TEST_F(PaperConfigGuard, FirstStartJournalsTheConfigInForce) {
  ASSERT_TRUE(try_run().ok());
  const auto in_force = notes("config_in_force");
  ASSERT_EQ(in_force.size(), 1u);
  EXPECT_NE(in_force[0].find(options_.config_hash), std::string::npos);
  EXPECT_EQ(store()->load()->config_hash, options_.config_hash);
}

TEST_F(PaperConfigGuard, UnapprovedRestrictedChangeLocksDownAndRefusesTheStart) {
  options_.max_bars = 5;
  ASSERT_TRUE(try_run().ok());
  values_["risk.profile"] = "aggressive";
  write_config("profile = aggressive");
  // An approval by someone who is not an operator does not count.
  options_.config_approvals = {config::sign_config(mallory_, options_.config_hash)};
  auto refused = try_run();
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("RESTRICTED risk.profile"), std::string::npos) << refused.error().message;
  EXPECT_EQ(store()->load()->controls.trading_state, TradingState::kLockdown);
  const auto review = notes("config_review");
  ASSERT_EQ(review.size(), 2u);
  EXPECT_NE(review[1].find("\"unapproved\":[\"risk.profile\"]"), std::string::npos) << review[1];
  EXPECT_NE(review[1].find("mallory: not an operator"), std::string::npos) << review[1];

  // Restoring the file does not lift the lockdown: only an operator does.
  values_["risk.profile"] = "moderate";
  write_config("profile = moderate");
  options_.config_approvals.clear();
  auto restored = try_run();
  ASSERT_TRUE(restored.ok()) << restored.error().message;
  EXPECT_EQ(restored->trading_state, TradingState::kLockdown);
  EXPECT_EQ(restored->orders_sent, 0u);
}

TEST_F(PaperConfigGuard, ApprovedRestrictedChangeBecomesTheNewBaseline) {
  options_.max_bars = 5;
  ASSERT_TRUE(try_run().ok());
  values_["risk.profile"] = "aggressive";
  values_["strategy.size"] = "20%";
  write_config("profile = aggressive");
  options_.config_approvals = {config::sign_config(alice_, options_.config_hash)};
  auto r = try_run();
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->trading_state, TradingState::kActive);
  const auto review = notes("config_review");
  ASSERT_EQ(review.size(), 2u);
  EXPECT_NE(review[1].find("\"approved_by\":[\"alice\"]"), std::string::npos) << review[1];
  // MONITORED change journaled with its old and new value.
  EXPECT_NE(review[1].find("{\"key\":\"strategy.size\",\"level\":\"MONITORED\",\"before\":\"10%\",\"after\":\"20%\"}"),
            std::string::npos)
      << review[1];
  auto stored = config::decode_config_values(store()->load()->config_values);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->at("risk.profile"), "aggressive");
}

TEST_F(PaperConfigGuard, FileChangedWhileRunningLocksDownAtTheNextCheck) {
  int current_bar = 0;
  int lockdown_bar = 0;
  int orders_after = 0;
  ScriptStrategy s([&](StrategyContext& ctx, int bar) {
    current_bar = bar;
    if (lockdown_bar > 0 && ctx.submit(market_buy()).approved) ++orders_after;
  });
  options_.drill = [&](PaperDrill& d) {
    if (d.bar_index == 5) std::ofstream(options_.config_path, std::ios::app) << "\n# edited";
    return false;
  };
  options_.alert = [&](const std::string& line) {
    if (line.find("LOCKDOWN") != std::string::npos && lockdown_bar == 0) lockdown_bar = current_bar;
  };
  auto r = run_paper(config_, bars_, s, options_);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->trading_state, TradingState::kLockdown);
  EXPECT_EQ(orders_after, 0);
  const auto tampered = notes("config_tampered");
  ASSERT_EQ(tampered.size(), 1u);
  // Checked every bar here: edited after bar 5, caught at bar 6's check.
  EXPECT_EQ(lockdown_bar, 6);
  EXPECT_EQ(store()->load()->controls.trading_state, TradingState::kLockdown);
}

}  // namespace
}  // namespace cst::testing_support
