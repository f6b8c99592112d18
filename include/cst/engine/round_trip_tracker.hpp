// RoundTripTracker: turns fills into closed trades. A trip opens when a position leaves
// flat and closes when it returns to flat; a fill that flips the side closes one trip and
// opens the next, splitting its fee pro rata.
#pragma once

#include <vector>

#include "cst/engine/backtest_result.hpp"
#include "cst/portfolio/fill.hpp"
#include "cst/portfolio/portfolio.hpp"

namespace cst {

class RoundTripTracker {
 public:
  void on_fill(const Fill& fill, const FillEffect& effect);
  const std::vector<ClosedTrade>& closed() const { return closed_; }
  std::vector<ClosedTrade> take() { return std::move(closed_); }

 private:
  struct Open {
    bool active = false;
    Timestamp entry_time;
    Side side = Side::kBuy;
    std::int64_t max_abs_qty = 0;
    int128 entry_value = 0;  // sum price_raw * qty_raw of entries
    std::int64_t entry_qty = 0;
    int128 exit_value = 0;
    std::int64_t exit_qty = 0;
    Money realized;
    Money fees;
  };
  void close_trip(Timestamp when);

  Open open_;
  std::vector<ClosedTrade> closed_;
};

}  // namespace cst
