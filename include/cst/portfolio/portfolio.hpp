// Portfolio: cash, positions (long and short), realized/unrealized PnL, fees, equity, and the
// equity references the risk limits need (start-of-day equity, peak, drawdown).
//
// All money is exact fixed-point. Equity = cash + sum of positions marked at their last
// price. Single-threaded: owned by the engine's event loop.
#pragma once

#include <vector>

#include "cst/core/fixed_point.hpp"
#include "cst/core/instrument.hpp"
#include "cst/core/result.hpp"
#include "cst/core/timestamp.hpp"
#include "cst/portfolio/fill.hpp"
#include "cst/portfolio/position.hpp"

namespace cst {

// Everything a portfolio holds, as the state store keeps it between runs.
struct PortfolioSnapshot {
  Money starting_cash;
  Money cash;
  Money fees;
  Money start_of_day_equity;
  Money equity_peak;
  std::int64_t day = INT64_MIN;  // UTC day number of start_of_day_equity
  struct Holding {
    InstrumentId instrument;
    Position position;
  };
  std::vector<Holding> positions;  // registered instruments only
};

// What a fill did to its position.
struct FillEffect {
  Money realized_pnl;  // realized by this fill, before fees
  Qty position_before;
  Qty position_after;
};

class Portfolio {
 public:
  explicit Portfolio(Money starting_cash);

  // Registers an instrument; ids must be dense small integers (they index a flat table).
  Status add_instrument(const Instrument& instrument);
  bool has_instrument(InstrumentId id) const;
  // Requires has_instrument(id).
  const Instrument& instrument(InstrumentId id) const { return instruments_[id.value]; }

  // Applies a fill to cash and the position; errors (unknown instrument, non-positive qty or
  // price, any sum leaving int64) leave the portfolio unchanged. A position is valued at its
  // last mark, or at the fill price until it has been marked once.
  Result<FillEffect> apply_fill(const Fill& fill);
  // Marks an instrument at a positive price (e.g. a bar's close) and updates equity; errors
  // leave the portfolio unchanged.
  Status mark(InstrumentId id, Price price);
  // Starts a new trading day: start-of-day equity := current equity.
  void start_day(Timestamp t);

  PortfolioSnapshot snapshot() const;
  // Replaces everything with a snapshot (after a restart). Every position's instrument must be
  // registered; market values are recomputed from the marks, and the sums are checked. Errors
  // leave the portfolio unchanged.
  Status restore(const PortfolioSnapshot& snapshot);

  Money cash() const { return cash_; }
  Money equity() const { return cash_ + market_value_; }
  Money starting_cash() const { return starting_cash_; }
  Money start_of_day_equity() const { return start_of_day_equity_; }
  Money equity_peak() const { return equity_peak_; }
  std::int64_t current_day() const { return day_; }
  Money realized_pnl() const;
  Money unrealized_pnl() const;
  Money fees() const { return fees_; }
  // Sum of |market value| over positions.
  Money gross_exposure() const;
  // Requires has_instrument(id).
  const Position& position(InstrumentId id) const { return positions_[id.value]; }

 private:
  void update_peak();

  std::vector<Instrument> instruments_;
  std::vector<Position> positions_;
  std::vector<bool> registered_;
  Money starting_cash_;
  Money cash_;
  Money market_value_;
  Money fees_;
  Money start_of_day_equity_;
  Money equity_peak_;
  std::int64_t day_ = INT64_MIN;
};

}  // namespace cst
