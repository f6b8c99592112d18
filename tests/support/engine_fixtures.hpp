// Shared fixtures for the venues, strategy and engine tests: a private temporary directory,
// a small test instrument whose numbers are easy to check by hand, and bar builders.
//
// Units of the test instrument (kTestPriceDecimals = 2, kTestQtyDecimals = 3):
//   Price raw 10'050 = 100.50; Qty raw 1'000 = 1.000; Money raw is always 10^-8
//   (kMoneyDecimals), so 1.00 of quote currency = Money raw 100'000'000.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "cst/core/instrument.hpp"
#include "cst/core/timestamp.hpp"
#include "cst/market/market_event.hpp"
#include "support/temp_dir.hpp"

// Readable failure messages (found by gtest through argument-dependent lookup).
namespace cst {
template <class Tag>
void PrintTo(const Fixed<Tag>& v, std::ostream* os) {
  *os << v.raw << " (raw)";
}
inline void PrintTo(const Timestamp& t, std::ostream* os) { *os << format_iso8601(t); }
template <class Tag, std::size_t N>
void PrintTo(const InlineId<Tag, N>& id, std::ostream* os) {
  *os << '"' << id.view() << '"';
}
inline void PrintTo(Side s, std::ostream* os) { *os << to_string(s); }
}  // namespace cst

namespace cst::testing_support {

inline constexpr int kTestPriceDecimals = 2;
inline constexpr int kTestQtyDecimals = 3;
// 2024-01-01T00:00:00Z: a UTC midnight, so a run of minute bars stays within one day.
inline constexpr Timestamp kT0 = Timestamp::from_seconds(1'704'067'200);
inline constexpr Duration kMinute = Duration::from_seconds(60);

// One unit of quote currency in Money raw (10^-8).
inline constexpr std::int64_t kMoneyUnit = 100'000'000;

// A private temporary directory per object (see support/temp_dir.hpp).
using TempDir = test::TempDir;

// "TEST-USD": prices in cents, quantities in thousandths, tick 0.01, lot 0.001.
// Fees are in ppm (10 bps = 1000 ppm).
inline Instrument test_instrument(std::int64_t maker_ppm = 200, std::int64_t taker_ppm = 1000) {
  Instrument i;
  i.id = InstrumentId{0};
  i.symbol = "TEST-USD";
  i.price_decimals = kTestPriceDecimals;
  i.qty_decimals = kTestQtyDecimals;
  i.tick_size = Price::from_raw(1);
  i.lot_step = Qty::from_raw(1);
  i.maker_fee = FeeRate{maker_ppm};
  i.taker_fee = FeeRate{taker_ppm};
  return i;
}

inline Price px(std::int64_t raw) { return Price::from_raw(raw); }
inline Qty qty(std::int64_t raw) { return Qty::from_raw(raw); }
inline Money money(std::int64_t raw) { return Money::from_raw(raw); }

// Bar number `index` of a minute series starting at kT0 (raw prices, volume 1000 units).
inline Bar minute_bar(std::int64_t index, std::int64_t open, std::int64_t high, std::int64_t low, std::int64_t close) {
  return Bar{kT0 + Duration{kMinute.ns * index}, px(open), px(high), px(low), px(close), qty(1'000'000)};
}

// A bar that opens and closes at `close` (high/low around it), for tests that only care
// about closes.
inline Bar flat_bar(std::int64_t index, std::int64_t open, std::int64_t close) {
  const std::int64_t hi = open > close ? open : close;
  const std::int64_t lo = open < close ? open : close;
  return minute_bar(index, open, hi + 10, lo - 10, close);
}

// Minute bars whose every open equals the previous close (first open = first close).
inline std::vector<Bar> bars_from_closes(const std::vector<std::int64_t>& closes) {
  std::vector<Bar> out;
  out.reserve(closes.size());
  for (std::size_t i = 0; i < closes.size(); ++i) {
    const std::int64_t open = i == 0 ? closes[0] : closes[i - 1];
    out.push_back(flat_bar(static_cast<std::int64_t>(i), open, closes[i]));
  }
  return out;
}

}  // namespace cst::testing_support
