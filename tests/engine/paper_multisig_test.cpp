// Multi-signature approval in a paper account: a large order waits for M of N operators'
// signatures; fewer, signatures of strangers or over another order never send it; the timeout
// rejects it. The exchange sees the order only once it is released.
#include <gtest/gtest.h>

#include "cst/audit/journal_verify.hpp"
#include "cst/core/hex.hpp"
#include "cst/security/operator_statements.hpp"
#include "support/paper_session_fixture.hpp"

namespace cst::testing_support {
namespace {

using security::OperatorSigner;

class PaperMultisig : public PaperSessionTest {
 protected:
  PaperMultisig() {
    options_.config_values = config::ConfigValues{{"security.operators.alice", alice_.public_key().token()},
                                                  {"security.operators.bob", bob_.public_key().token()},
                                                  {"security.operators.dave", dave_.public_key().token()}};
    options_.multisig.threshold = Money::from_raw(1);  // every order of these tests
    options_.multisig.required = 2;
    options_.multisig.timeout = Duration::from_seconds(300);
    options_.wall_clock = [this] { return clock_; };
    options_.max_bars = 12;
  }
  // `signer` approves the order held as `row` (or a forged variant of it) through the store.
  void approve(const OperatorSigner& signer, const HeldOrderRow& row, std::string_view as_name = {},
               std::int64_t qty_override = -1) {
    auto s = store();
    const std::string statement =
        security::order_approval_statement(account_key(s->load()->setup), row.client_order_id, row.side,
                                           qty_override >= 0 ? qty_override : row.qty, row.price, row.notional.raw);
    const std::string sig = cst::to_hex(signer.sign(security::kOrderApprovalPurpose, statement));
    ASSERT_TRUE(
        s->add_order_approval(row.client_order_id, as_name.empty() ? signer.public_key().name : as_name, sig, clock_)
            .ok());
  }
  // Runs with a strategy that buys once at bar 2, and `during(bar)` called each bar after it.
  PaperRun run_buying(std::function<void(int)> during) {
    return run([during](StrategyContext& ctx, int bar) {
      if (bar == 2) ctx.submit(market_buy());
      if (bar > 2) during(bar);
    });
  }
  std::vector<HeldOrderRow> held() { return *store()->held_orders(); }

  OperatorSigner alice_ = *OperatorSigner::generate("alice");
  OperatorSigner bob_ = *OperatorSigner::generate("bob");
  OperatorSigner dave_ = *OperatorSigner::generate("dave");
  OperatorSigner mallory_ = *OperatorSigner::generate("mallory");
  Timestamp clock_ = Timestamp::from_seconds(1'700'000'000);
};

TEST_F(PaperMultisig, TwoOfThreeOperatorsReleaseTheOrder) {
  PaperRun r = run_buying([&](int bar) {
    if (bar == 4) approve(alice_, held().at(0));
    if (bar == 7) approve(bob_, held().at(0));
  });
  EXPECT_EQ(r.fills, 1u);
  ASSERT_EQ(notes("order_held").size(), 1u);
  ASSERT_EQ(notes("order_approval").size(), 2u);
  const auto released = notes("order_released");
  ASSERT_EQ(released.size(), 1u);
  EXPECT_NE(released[0].find("\"approved_by\":\"alice,bob\""), std::string::npos) << released[0];
}

TEST_F(PaperMultisig, OneApprovalAndIgnoredOnesNeverSendIt) {
  PaperRun r = run_buying([&](int bar) {
    if (bar == 3) {
      const HeldOrderRow row = held().at(0);
      approve(alice_, row);
      approve(alice_, row);                  // the same operator twice is one approval
      approve(mallory_, row);                // not an operator
      approve(mallory_, row, "bob");         // mallory's signature under bob's name
      approve(dave_, row, {}, row.qty * 2);  // dave signed another order (twice the size)
    }
  });
  EXPECT_EQ(r.fills, 0u);
  EXPECT_EQ(r.orders_sent, 0u);
  EXPECT_TRUE(notes("order_released").empty());
  const auto rejected = notes("order_approval_rejected");
  ASSERT_EQ(rejected.size(), 3u);
  EXPECT_NE(rejected[0].find("mallory is not an operator"), std::string::npos) << rejected[0];
  EXPECT_NE(rejected[1].find("does not verify"), std::string::npos) << rejected[1];
  EXPECT_NE(rejected[2].find("does not verify"), std::string::npos) << rejected[2];
  EXPECT_EQ(notes("security_event").size(), 3u);
  // Three violations within the window: the account is locked down, and stays so.
  EXPECT_EQ(r.trading_state, TradingState::kLockdown);
  EXPECT_EQ(store()->load()->controls.trading_state, TradingState::kLockdown);
  EXPECT_NE(store()->load()->controls.reason.find("3 security violations"), std::string::npos)
      << store()->load()->controls.reason;
  // Still held when the trader stopped: rejected, never sent.
  const auto expired = notes("order_approval_expired");
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_NE(expired[0].find("trader_stopped"), std::string::npos);
  auto x = exchange();
  ASSERT_TRUE(x);
  EXPECT_TRUE(x->open_orders()->empty());
}

TEST_F(PaperMultisig, TheTimeoutRejectsAHeldOrder) {
  PaperRun r = run_buying([&](int bar) {
    if (bar == 4) approve(alice_, held().at(0));
    if (bar == 6) clock_ = clock_ + Duration::from_seconds(301);
    if (bar == 9 && held().empty()) approve(bob_, HeldOrderRow{});  // too late: nothing is held
  });
  EXPECT_EQ(r.fills, 0u);
  const auto expired = notes("order_approval_expired");
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_NE(expired[0].find("\"approvals\":\"1\""), std::string::npos) << expired[0];
  EXPECT_TRUE(held().empty());
}

}  // namespace
}  // namespace cst::testing_support
