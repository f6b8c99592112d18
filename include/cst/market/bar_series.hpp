// BarSeries: the bars of one instrument, in time order, with the units they are written in.
//
// Prices and volumes are fixed-point counts of 10^-price_decimals and 10^-qty_decimals (the
// same convention as Instrument). A series that came from a reader or a generator satisfies,
// for every bar: 0 < low <= open, close <= high; volume >= 0; and times strictly increasing.
// Bar::time is the bar's open time (ns since the Unix epoch, UTC).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "cst/core/fixed_point.hpp"
#include "cst/market/market_event.hpp"

namespace cst {

struct BarSeries {
  std::string symbol;      // may be empty when the source does not name it
  int price_decimals = 0;  // unit of open/high/low/close is 10^-price_decimals
  int qty_decimals = 0;    // unit of volume is 10^-qty_decimals
  std::vector<Bar> bars;

  std::size_t size() const { return bars.size(); }
  bool empty() const { return bars.empty(); }
  double to_double(Price p) const { return cst::to_double(p.raw, price_decimals); }
  double to_double(Qty q) const { return cst::to_double(q.raw, qty_decimals); }
  std::string format(Price p) const { return format_decimal(p.raw, price_decimals); }
  std::string format(Qty q) const { return format_decimal(q.raw, qty_decimals); }
};

}  // namespace cst
