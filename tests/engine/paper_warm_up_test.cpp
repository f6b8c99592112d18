// A restarted trader first shows its strategy the bars already traded, with every order refused,
// so that its indicators stand where an uninterrupted run's would: restarts between orders do
// not change what it decides.
#include <gtest/gtest.h>

#include <cmath>
#include <ostream>
#include <vector>

#include "cst/strategy/sma_cross.hpp"
#include "support/paper_session_fixture.hpp"

namespace cst {
namespace {

using testing_support::PaperSessionTest;
using testing_support::ScriptStrategy;

// Closes that swing around 100.00 about every 40 bars: an SMA crossover strategy trades often.
std::vector<Bar> swinging_bars(int n) {
  std::vector<std::int64_t> closes;
  for (int i = 0; i < n; ++i)
    closes.push_back(10'000 + static_cast<std::int64_t>(std::lround(400 * std::sin(i / 6.5))) + (i * 7) % 11);
  return testing_support::bars_from_closes(closes);
}

SmaCross make_sma_cross() {
  auto size = Sizing::parse("10");
  auto p = SmaCrossParams::parse({{"fast", "3"}, {"slow", "8"}}, *size);
  EXPECT_TRUE(p.ok());
  return SmaCross(*p);
}

struct TradeRecord {
  Side side;
  Qty qty;
  Price price;
  Timestamp time;
  bool operator==(const TradeRecord&) const = default;
  friend void PrintTo(const TradeRecord& t, std::ostream* os) {
    *os << to_string(t.side) << " " << t.qty.raw << " @ " << t.price.raw << " t=" << t.time.ns;
  }
};

std::vector<TradeRecord> trades_at(PaperExchange& x) {
  std::vector<TradeRecord> out;
  auto fills = x.fills_after(0);
  EXPECT_TRUE(fills.ok());
  if (fills.ok())
    for (const VenueFill& f : *fills) out.push_back({f.side, f.qty, f.price, f.time});
  return out;
}

class PaperWarmUpTest : public PaperSessionTest {
 protected:
  PaperWarmUpTest() {
    bars_ = swinging_bars(400);
    options_.warm_up_bars = PaperOptions{}.warm_up_bars;  // the default: every bar traded
  }
};

TEST_F(PaperWarmUpTest, RestartsBetweenOrdersDoNotChangeWhatTheStrategyDecides) {
  // The uninterrupted run, noting after which bars nothing was working (a restart cancels what
  // works, which an uninterrupted run would have filled: a real difference, not tested here).
  std::vector<std::uint64_t> idle_after;
  options_.drill = [&](PaperDrill& d) {
    auto open = d.exchange.open_orders();
    if (open.ok() && open->empty()) idle_after.push_back(d.bar_index);
    return false;
  };
  SmaCross uninterrupted = make_sma_cross();
  const PaperRun whole = run_with(uninterrupted);
  const std::vector<TradeRecord> expected = trades_at(*exchange());
  ASSERT_GE(expected.size(), 10u) << "the test data should make the strategy trade often";

  // The same run in five processes, each stopping after an idle bar near 80, 160, 240, 320.
  std::vector<std::uint64_t> stops;
  for (std::uint64_t near : {80, 160, 240, 320}) {
    auto it = std::lower_bound(idle_after.begin(), idle_after.end(), near);
    ASSERT_NE(it, idle_after.end());
    stops.push_back(*it);
  }
  options_.drill = nullptr;
  options_.state_path = dir_.file("restarted-state.db");
  options_.journal_path = dir_.file("restarted-journal.db");
  options_.venue_path = dir_.file("restarted-venue.db");
  std::uint64_t done = 0;
  for (std::uint64_t stop : stops) {
    options_.max_bars = stop - done;
    SmaCross process = make_sma_cross();
    EXPECT_EQ(run_with(process).bars, stop - done);
    done = stop;
  }
  options_.max_bars = 0;
  SmaCross last = make_sma_cross();
  const PaperRun final_run = run_with(last);

  EXPECT_EQ(trades_at(*exchange()), expected);
  EXPECT_EQ(final_run.equity, whole.equity);
  EXPECT_EQ(final_run.position, whole.position);
}

TEST_F(PaperWarmUpTest, WarmUpShowsTheTradedBarsAndRefusesEveryOrder) {
  options_.max_bars = 12;
  run([](StrategyContext&, int) {});

  std::vector<std::pair<Timestamp, ReasonCode>> seen;
  options_.max_bars = 3;
  options_.warm_up_bars = 5;
  const PaperRun second = run([&](StrategyContext& ctx, int) {
    const SubmitResult r = rest_buy(ctx);
    seen.emplace_back(ctx.now(), r.approved ? ReasonCode::kNone : r.reason);
  });
  // Bars 8..12 again (the last 5 traded), refused; then bars 13..15, which may trade.
  ASSERT_EQ(seen.size(), 8u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(seen[i].second, ReasonCode::kWarmUp) << i;
  for (int i = 5; i < 8; ++i) EXPECT_EQ(seen[i].second, ReasonCode::kNone) << i;
  for (std::size_t i = 1; i < seen.size(); ++i) EXPECT_LT(seen[i - 1].first, seen[i].first) << "clock goes forward";
  EXPECT_EQ(seen[4].first.ns, bars_[11].time.ns + (bars_[1].time.ns - bars_[0].time.ns))
      << "a bar is seen at its close";
  EXPECT_EQ(second.orders_sent, 3u);
  EXPECT_EQ(exchange()->orders_received(), 3u) << "nothing decided in warm-up reaches the venue";
}

TEST_F(PaperWarmUpTest, NoWarmUpOnAFirstStartOrWhenTurnedOff) {
  ASSERT_EQ(options_.warm_up_bars, UINT64_MAX);
  int calls = 0;
  options_.max_bars = 4;
  run([&](StrategyContext&, int) { ++calls; });
  EXPECT_EQ(calls, 4);
  options_.warm_up_bars = 0;
  calls = 0;
  run([&](StrategyContext&, int) { ++calls; });
  EXPECT_EQ(calls, 4);
}

}  // namespace
}  // namespace cst
