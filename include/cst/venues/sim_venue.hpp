// SimVenue: a bar-based simulated exchange for backtests.
//
// The fill rules themselves (prices, trade-through, knobs, fees, settlement) are in
// bar_matching.hpp, shared with the paper exchange; this class decides when to apply them.
//
// Market orders fill at the next bar's open (FillTiming::kNextOpen, the default) or at the
// close of the bar they were decided on (kThisClose; an order sent while a bar is still forming,
// e.g. from a fill at its open, fills at that bar's close, never at an earlier one). Limit
// orders fill when a bar trades
// through the price: a buy fills if the bar opens at or below the limit (at the open) or its
// low goes strictly below the limit (at the limit); sells mirror that. Fees: taker for market
// orders and for limits marketable on arrival, maker for resting limits. The paper fill knobs
// of DESIGN.md section 6 (slippage, spread, partial fills, latency) are all off by default and
// deterministic with a seed. A spot account cannot buy beyond its cash or sell what it does
// not hold at fill time: such an order is rejected, as an exchange would (or, if part of it
// already filled, its rest is cancelled). The check counts fills already reported but not yet
// delivered, so the listener must apply a fill to `account` when it receives it.
#pragma once

#include <cstdint>
#include <vector>

#include "cst/core/instrument.hpp"
#include "cst/core/rng.hpp"
#include "cst/market/market_event.hpp"
#include "cst/portfolio/portfolio.hpp"
#include "cst/venues/bar_matching.hpp"
#include "cst/venues/venue.hpp"

namespace cst {

enum class FillTiming : std::uint8_t { kNextOpen, kThisClose };

struct SimVenueConfig {
  FillTiming timing = FillTiming::kNextOpen;
  FillModel model;
  bool allow_short = false;
};

class SimVenue final : public Venue {
 public:
  // `account` is read for spot balance checks at fill time; `listener` receives reports.
  SimVenue(Instrument instrument, SimVenueConfig config, const Portfolio& account, ExecutionListener& listener);

  SendResult send(ApprovedOrder order) override;
  Status cancel(ApprovedCancel cancel) override;

  // Matches working orders against a new bar (before the strategy sees it).
  void on_bar_open(const Bar& bar);
  // The bar is complete at `close_time`; kThisClose market orders sent now fill at its close.
  void on_bar_close(const Bar& bar, Timestamp close_time);

  std::size_t working_orders() const { return working_.size(); }

 private:
  struct Working {
    ApprovedOrder order;
    Qty remaining;
    Timestamp active_from;  // sent time + latency
    bool resting = false;   // a limit that was not marketable on arrival → maker
    bool mid_bar = false;   // kThisClose: sent while a bar was forming → fills at its close
  };

  void match(Working& w, const Bar& bar, Timestamp when, bool at_close);
  void fill(Working& w, Qty qty, Price price, bool maker, Timestamp when);
  void report(ExecKind kind, const Working& w, Timestamp when, std::string_view reason);
  bool affordable(const Working& w, Qty qty, Price price, Money fee) const;
  void erase_done_and_deliver();
  void deliver();

  Instrument instrument_;
  SimVenueConfig config_;
  const Portfolio& account_;
  ExecutionListener& listener_;
  Rng rng_;
  std::vector<Working> working_;
  Timestamp now_;
  Bar last_bar_{};
  bool have_bar_ = false;
  bool in_bar_ = false;  // between a bar's open and its close
  std::uint64_t next_venue_id_ = 1;
  std::uint64_t next_trade_id_ = 1;
  std::vector<ExecutionReport> pending_;  // reports not yet delivered
  std::size_t next_delivery_ = 0;         // pending_[next_delivery_..] not yet handed out
  bool delivering_ = false;
};

}  // namespace cst
