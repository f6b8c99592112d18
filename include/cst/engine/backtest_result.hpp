// What a finished backtest hands to the report: the equity path, every fill, every closed
// round trip and the gateway's decision counts. Money stays fixed-point here; the report
// converts to double only for statistics and drawing.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "cst/core/fixed_point.hpp"
#include "cst/core/instrument.hpp"
#include "cst/core/reason_code.hpp"
#include "cst/core/timestamp.hpp"
#include "cst/market/market_event.hpp"

namespace cst {

struct EquityPoint {
  Timestamp time;  // bar close time
  Money equity;    // cash + positions marked at the bar's close
  Qty position;    // signed position held at the bar's close (report: exposure share)
  Price close;     // the bar's close (report: buy-and-hold comparison); zero if unknown
};

struct FillRecord {
  Timestamp time;
  std::string client_order_id;
  Side side = Side::kBuy;
  Qty qty;
  Price price;
  Money fee;
  bool maker = false;
};

// A round trip: from flat (or a side flip) to flat again.
struct ClosedTrade {
  Timestamp entry_time;
  Timestamp exit_time;
  Side side = Side::kBuy;  // side of the entry
  Qty qty;                 // largest absolute position held in the trip
  Price entry_price;       // average entry
  Price exit_price;        // average exit
  Money pnl;               // realized, net of the trip's fees
  Money fees;
};

struct DecisionCounts {
  std::uint64_t approved = 0;
  std::uint64_t reduced = 0;
  std::uint64_t rejected = 0;
  std::array<std::uint64_t, kReasonCodeCount> reduced_by_reason{};
  std::array<std::uint64_t, kReasonCodeCount> rejected_by_reason{};
};

struct BacktestResult {
  // Run description (echoed into summary.json and the report header).
  std::string strategy;
  std::map<std::string, std::string> params;  // sorted: deterministic output
  std::string data_source;                    // file path or "synthetic:SEED"
  std::string risk_profile;
  std::string fill_mode;  // "next-open" | "close"
  Instrument instrument;
  std::uint64_t bars = 0;
  Timestamp first_bar;
  Timestamp last_bar;

  Money starting_cash;
  Money final_cash;
  Money final_equity;
  Money fees;
  Money realized_pnl;
  Money unrealized_pnl;
  Qty final_position;

  std::vector<EquityPoint> equity_curve;  // one point per bar
  std::vector<FillRecord> fills;
  std::vector<ClosedTrade> closed_trades;
  DecisionCounts decisions;
  std::vector<std::string> strategy_errors;  // a strategy that threw: what and when
  std::string journal_head_hash;             // hex SHA-256 of the journal's last record
};

}  // namespace cst
