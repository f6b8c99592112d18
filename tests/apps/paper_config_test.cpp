// The paper configuration reader on values of the wrong kind or size: each is refused with the
// key and its line, never converted on the quiet (cases found by fuzz/paper_config_fuzz.cpp).
#include "paper_config.hpp"

#include <gtest/gtest.h>

#include <string>

namespace cst::cli {
namespace {

const std::string kBase = R"([account]
cash = "100000"
state = "state.db"
journal = "journal.db"

[data]
synthetic = 3

[strategy]
name = "sma_cross"
size = "10%"

[venue]
file = "venue.db"
)";

Result<PaperConfig> parse_with(const std::string& extra) { return parse_paper_config(kBase + extra, "dir/p.toml"); }

void expect_refused(const std::string& extra, const std::string& message) {
  auto c = parse_with(extra);
  ASSERT_FALSE(c.ok()) << extra;
  EXPECT_NE(c.error().message.find(message), std::string::npos) << c.error().message;
}

TEST(PaperConfig, TheBaseConfigurationIsAccepted) {
  auto c = parse_with("");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->run.cash, "100000");
  EXPECT_EQ(c->options.state_path, "dir/state.db");
}

TEST(PaperConfig, AFloatWhereAnIntegerBelongsIsRefusedNotConverted) {
  // toml++'s value<int64_t>() converts 1e102 to an integer: undefined behaviour (UBSan).
  expect_refused("\n[paper]\nretry_attempts = 1e102\n", "dir/p.toml:17: paper.retry_attempts must be an integer");
  expect_refused("\n[paper]\nretry_attempts = 2.0\n", "paper.retry_attempts must be an integer");
}

TEST(PaperConfig, AStrategyParameterGivenAsAFloatIsRefused) {
  std::string text = kBase;
  text.insert(text.find("\n[venue]"), "params = { fast = 10, slow = 10e0101 }\n");
  auto c = parse_paper_config(text, "dir/p.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("dir/p.toml:12: strategy.params.slow must be a string or integer"),
            std::string::npos)
      << c.error().message;
}

TEST(PaperConfig, AnIntegerTooLargeForItsSettingIsRefusedNotTruncated) {
  // 2^32 + 1 would have become 1 retry, inside the 0..10 range checked afterwards.
  expect_refused("\n[paper]\nretry_attempts = 4294967297\n", "paper.retry_attempts must be an integer in range");
}

TEST(PaperConfig, ANumberGivenForADecimalSettingKeepsAllItsDigits) {
  auto c = parse_paper_config(std::string(kBase).replace(kBase.find("\"100000\""), 8, "100000.125"), "p.toml");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->run.cash, "100000.125");
}

TEST(PaperConfig, RiskLimitsAboveALockedCeilingAreRefused) {
  expect_refused("[risk]\nleverage = \"12\"\n", "leverage 12.00x is above the hard ceiling of 10.00x");
  expect_refused("[risk]\ndaily_loss_pct = \"10.01\"\n", "daily loss 10.01% is above the hard ceiling of 10.00%");
  expect_refused("[risk]\nposition_pct = \"0\"\n", "position size 0.00% must be positive");
  expect_refused("[risk]\nexposure_pct = \"1.234\"\n",
                 "risk.exposure_pct '1.234' must be a number with at most 2 decimals");
}

TEST(PaperConfig, RiskLimitsWithinTheCeilingsOverrideTheProfile) {
  auto c = parse_with("[risk]\nprofile = \"conservative\"\nleverage = 5\nposition_pct = \"1.5\"\n");
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_TRUE(c->run.risk_limits.has_value());
  EXPECT_EQ(c->run.risk_limits->leverage_x100, 500);
  EXPECT_EQ(c->run.risk_limits->position_bp, 150);
  EXPECT_EQ(c->run.risk_limits->daily_loss_bp, limits_for(RiskProfile::kConservative).daily_loss_bp);
}

TEST(PaperConfig, SecuritySectionIsCheckedAndEveryValueIsRecordedForTheLevelReview) {
  expect_refused("[security]\nlevel = \"paranoid\"\n", "security.level must be conservative, moderate or aggressive");
  expect_refused("[security]\noperators = { alice = \"ed25519:00\" }\n", "security.operators.alice must be");
  expect_refused("[security]\nconfig_approvals = 0\n", "security.config_approvals must be 1..10");
  expect_refused("[security]\nviolation_window_s = 10\n", "security.violation_window_s must be 60..604800");
  auto window = parse_with("[security]\nlevel = \"aggressive\"\nviolation_window_s = 7200\n");
  ASSERT_TRUE(window.ok()) << window.error().message;
  EXPECT_EQ(window->options.security.violation_window, Duration::from_seconds(7200));
  EXPECT_EQ(window->options.config_check_interval, std::chrono::milliseconds(5000));
  const std::string token = "ed25519:" + std::string(64, 'a');
  auto c = parse_with("[security]\nlevel = \"conservative\"\noperators = { alice = \"" + token + "\" }\n");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->options.config_check_interval, std::chrono::milliseconds(500));
  EXPECT_EQ(c->values.at("security.operators.alice"), token);
  EXPECT_EQ(c->values.at("strategy.size"), "10%");
  EXPECT_EQ(c->values.at("data.synthetic"), "3");
  EXPECT_EQ(c->options.config_values, c->values);
  for (const auto& [key, value] : c->values) EXPECT_TRUE(config::level_of(key).has_value()) << key;
}

}  // namespace
}  // namespace cst::cli
