// Market data as the engine sees it: bars, trades and top of book, all in the units of one
// Instrument. Events are plain values; the engine dispatches on MarketEvent::kind.
#pragma once

#include <cstdint>

#include "cst/core/fixed_point.hpp"
#include "cst/core/ids.hpp"
#include "cst/core/timestamp.hpp"

namespace cst {

enum class Side : std::uint8_t { kBuy, kSell };
inline constexpr int side_sign(Side s) { return s == Side::kBuy ? 1 : -1; }
inline constexpr const char* to_string(Side s) { return s == Side::kBuy ? "buy" : "sell"; }

// One OHLCV bar; `time` is the bar's open time, the bar is complete at time + interval.
struct Bar {
  Timestamp time;
  Price open;
  Price high;
  Price low;
  Price close;
  Qty volume;
};

struct TradeTick {
  Timestamp time;
  Price price;
  Qty qty;
  Side aggressor = Side::kBuy;
};

struct TopOfBook {
  Timestamp time;
  Price bid;
  Qty bid_qty;
  Price ask;
  Qty ask_qty;
};

// What the gateway knows of the market for one instrument when it decides.
struct MarketSnapshot {
  Timestamp time;  // when this state was last updated
  Price last;      // last trade or close
  Price bid;       // zero if unknown
  Price ask;       // zero if unknown
  Qty bid_qty;
  Qty ask_qty;
  Qty recent_volume;  // traded quantity over the policy's volume window
  bool has_book() const { return bid.raw > 0 && ask.raw > 0; }
  // Reference price for collars and sizing: mid when a book exists, else last.
  Price reference() const { return has_book() ? Price::from_raw(bid.raw + (ask.raw - bid.raw) / 2) : last; }
};

}  // namespace cst
