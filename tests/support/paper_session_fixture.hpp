// A paper session over test bars in a temporary directory, and a strategy scripted per bar:
// the setup the paper session tests share.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <vector>

#include "cst/audit/journal_verify.hpp"
#include "cst/engine/paper_session.hpp"
#include "cst/state/state_store.hpp"
#include "cst/venues/paper_exchange.hpp"
#include "support/engine_fixtures.hpp"

namespace cst::testing_support {

// A strategy whose every bar is a test's script: bar numbers count from 1 in each process.
class ScriptStrategy final : public Strategy {
 public:
  using Step = std::function<void(StrategyContext&, int bar)>;
  explicit ScriptStrategy(Step step) : step_(std::move(step)) {}
  std::string_view name() const override { return "script"; }
  void on_bar(StrategyContext& ctx, const Bar&) override { step_(ctx, ++bar_); }

 private:
  Step step_;
  int bar_ = 0;
};

class PaperSessionTest : public ::testing::Test {
 protected:
  PaperSessionTest() : bars_(bars_from_closes(std::vector<std::int64_t>(20, 10'000))) {
    config_.instrument = testing_support::test_instrument();
    config_.starting_cash = testing_support::money(100'000 * testing_support::kMoneyUnit);
    config_.risk_profile = RiskProfile::kModerate;
    config_.strategy_name = "script";
    options_.state_path = dir_.file("state.db");
    options_.journal_path = dir_.file("journal.db");
    options_.venue_path = dir_.file("venue.db");
    options_.speed = 0;
    // A script counts the bars of its own process; warm-up bars would shift the count.
    options_.warm_up_bars = 0;
  }

  PaperRun run(ScriptStrategy::Step step) {
    ScriptStrategy s(std::move(step));
    return run_with(s);
  }
  // One trader process's run of `strategy` over bars_, resuming where the last one stopped.
  PaperRun run_with(Strategy& strategy) {
    auto r = run_paper(config_, bars_, strategy, options_);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : PaperRun{};
  }
  std::unique_ptr<PaperExchange> exchange() {
    auto x = PaperExchange::open(
        options_.venue_path, PaperExchangeConfig{config_.instrument, config_.starting_cash, Qty{}, FillModel{}, false});
    EXPECT_TRUE(x.ok()) << (x.ok() ? "" : x.error().message);
    return x.ok() ? std::move(*x) : nullptr;
  }
  std::unique_ptr<StateStore> store() {
    auto s = StateStore::open(options_.state_path, StateOpenOptions{});
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
    return s.ok() ? std::move(*s) : nullptr;
  }
  // Payloads of the journal's notes of `kind`, in order.
  std::vector<std::string> notes(std::string_view kind) const {
    std::vector<std::string> out;
    (void)for_each_record(options_.journal_path, [&](const JournalRecordView& r) {
      if (r.kind == kind) out.emplace_back(r.payload);
      return true;
    });
    return out;
  }
  static OrderRequest market_buy() {
    return OrderRequest{Side::kBuy, OrderType::kMarket, qty(100), Price{}, false, false};
  }
  // A buy limit far below the market: it rests and never fills by itself.
  static SubmitResult rest_buy(StrategyContext& ctx) {
    return ctx.submit(OrderRequest{Side::kBuy, OrderType::kLimit, qty(1'000), px(9'000), false, false});
  }

  testing_support::TempDir dir_;
  std::vector<Bar> bars_;
  BacktestConfig config_;
  PaperOptions options_;
};

}  // namespace cst::testing_support
