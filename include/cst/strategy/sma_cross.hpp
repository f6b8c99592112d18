// sma_cross: moving-average crossover on closes.
//
// Buys when the fast SMA crosses above the slow one (fast[t-1] <= slow[t-1] and
// fast[t] > slow[t]) while flat; closes the position when it crosses below
// (fast[t-1] >= slow[t-1] and fast[t] < slow[t]). Long-only by default; with allow_short it
// sells short on a cross below and covers on a cross above. Averages are compared exactly
// (integer sums), so ties never depend on floating-point rounding.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cst/core/fixed_point.hpp"
#include "cst/strategy/sizing.hpp"
#include "cst/strategy/strategy.hpp"

namespace cst {

struct SmaCrossParams {
  int fast = 10;
  int slow = 30;
  bool allow_short = false;
  Sizing size;

  // From --param key=value pairs: fast, slow, short (0/1). Unknown keys are errors.
  static Result<SmaCrossParams> parse(const std::map<std::string, std::string>& params, Sizing size);
};

class SmaCross final : public Strategy {
 public:
  explicit SmaCross(SmaCrossParams params);
  std::string_view name() const override { return "sma_cross"; }
  void on_bar(StrategyContext& ctx, const Bar& bar) override;

 private:
  // Sign of fast_sma - slow_sma: -1, 0, 1.
  int compare_averages() const;
  void enter(StrategyContext& ctx, Side side, Price price);

  SmaCrossParams params_;
  std::vector<std::int64_t> closes_;  // ring of the last `slow` closes
  std::size_t count_ = 0;
  int128 fast_sum_ = 0;
  int128 slow_sum_ = 0;
  int previous_ = 0;
  bool have_previous_ = false;
};

}  // namespace cst
