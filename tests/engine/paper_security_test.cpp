// Security triggers in a paper account: a position-size violation locks it down for good
// (restarts included), the threat level goes SEVERE and the gateway closes; only an operator's
// signed resume reopens it, and then the incident still counts for the threat level.
#include <gtest/gtest.h>

#include "cst/audit/journal_verify.hpp"
#include "cst/core/hex.hpp"
#include "cst/security/operator_statements.hpp"
#include "support/paper_session_fixture.hpp"

namespace cst::testing_support {
namespace {

class PaperSecurity : public PaperSessionTest {
 protected:
  PaperSecurity() {
    options_.config_values = config::ConfigValues{{"security.operators.alice", alice_.public_key().token()}};
    options_.max_bars = 5;
  }
  void signed_resume(const std::string& reason) {
    auto s = store();
    auto loaded = s->load();
    ASSERT_TRUE(loaded.ok());
    const Timestamp t = loaded->controls.since + Duration::from_seconds(1);
    const std::string statement =
        security::resume_statement(account_key(loaded->setup), loaded->controls.since, "alice", reason, t);
    const std::string sig = cst::to_hex(alice_.sign(security::kResumePurpose, statement));
    ASSERT_TRUE(s->add_operator_action(OperatorAction::kResume, reason, "alice", t, sig, loaded->controls.since).ok());
  }
  // Twice the account's equity in one order: beyond the 100% hard ceiling, within 10x leverage.
  static OrderRequest huge_buy() {
    return OrderRequest{Side::kBuy, OrderType::kMarket, qty(2'000'000), Price{}, false, false};
  }

  security::OperatorSigner alice_ = *security::OperatorSigner::generate("alice");
};

TEST_F(PaperSecurity, PositionCeilingAttemptLocksDownAcrossRestartsUntilASignedResume) {
  SubmitResult attempt;
  PaperRun first = run([&](StrategyContext& ctx, int bar) {
    if (bar == 3) attempt = ctx.submit(huge_buy());
  });
  EXPECT_EQ(attempt.reason, ReasonCode::kPositionCeiling);
  EXPECT_EQ(first.trading_state, TradingState::kLockdown);
  const auto events = notes("security_event");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(events[0].find("\"kind\":\"position_ceiling_attempt\""), std::string::npos) << events[0];
  EXPECT_NE(notes("threat_level").back().find("\"level\":\"SEVERE\""), std::string::npos);

  // A restart keeps the lockdown and the SEVERE threat level: nothing new is approved.
  bool approved = false;
  PaperRun second = run([&](StrategyContext& ctx, int bar) {
    if (bar == 1) approved = ctx.submit(market_buy()).approved;
  });
  EXPECT_FALSE(approved);
  EXPECT_EQ(second.trading_state, TradingState::kLockdown);
  EXPECT_NE(notes("threat_level").back().find("\"level\":\"SEVERE\""), std::string::npos);

  signed_resume("reviewed the strategy's sizing");
  PaperRun third = run([&](StrategyContext& ctx, int bar) {
    if (bar == 2) approved = ctx.submit(market_buy()).approved;
  });
  EXPECT_TRUE(approved);
  EXPECT_EQ(third.trading_state, TradingState::kActive);
  // Acknowledged, the incident weighs 1: GUARDED, limits back at 100%.
  const std::string level = notes("threat_level").back();
  EXPECT_NE(level.find("\"level\":\"GUARDED\""), std::string::npos) << level;
  EXPECT_NE(level.find("\"limits_percent\":\"100\""), std::string::npos) << level;
}

TEST_F(PaperSecurity, LeverageCeilingAttemptIsASecurityEventToo) {
  config_.venue.allow_short = true;
  SubmitResult attempt;
  PaperRun r = run([&](StrategyContext& ctx, int bar) {
    // Eleven times the account's equity, short.
    if (bar == 2)
      attempt = ctx.submit(OrderRequest{Side::kSell, OrderType::kMarket, qty(11'000'000), Price{}, false, false});
  });
  EXPECT_EQ(attempt.reason, ReasonCode::kLeverageCeiling);
  EXPECT_EQ(r.trading_state, TradingState::kLockdown);
  const auto events = notes("security_event");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(events[0].find("leverage_ceiling_attempt"), std::string::npos) << events[0];
  EXPECT_EQ(store()->load()->controls.operator_name, "leverage_ceiling_attempt");
  // A restart keeps it: the strategy's next order is refused.
  SubmitResult after;
  PaperRun again = run([&](StrategyContext& ctx, int bar) {
    if (bar == 1) after = ctx.submit(market_buy());
  });
  EXPECT_EQ(after.reason, ReasonCode::kLockdown);
  EXPECT_EQ(again.trading_state, TradingState::kLockdown);
}

TEST_F(PaperSecurity, FlattenOnLockdownClosesThePositionAtTheNextBar) {
  options_.flatten_on_lockdown = true;
  options_.max_bars = 8;
  Qty position_at_end;
  PaperRun r = run([&](StrategyContext& ctx, int bar) {
    if (bar == 2) ctx.submit(market_buy());
    if (bar == 4) ctx.submit(huge_buy());  // position ceiling attempt: lockdown
    if (bar == 8) position_at_end = ctx.position();
  });
  EXPECT_EQ(r.trading_state, TradingState::kLockdown);
  EXPECT_EQ(r.fills, 2u);  // the buy, then the flattening sell
  EXPECT_EQ(position_at_end.raw, 0);
  const auto flat = notes("flatten");
  ASSERT_EQ(flat.size(), 1u);
  EXPECT_NE(flat[0].find("\"source\":\"security\""), std::string::npos) << flat[0];
}

}  // namespace
}  // namespace cst::testing_support
