// A deterministic synthetic market: bars, trades and top of book for one instrument, from a seed.
//
// The log price follows geometric Brownian motion on bar-sized steps whose volatility is set
// by a Markov chain over three regimes (calm, normal, turbulent), plus Poisson-arriving jumps
// with normally distributed log sizes. Each bar is simulated as `substeps` intrabar moves
// after its open; open is the previous close, close the last point, high/low the extremes of
// the points, so low <= open, close <= high holds exactly. Prices are rounded to the tick
// (one unit of price_decimals) and never below one tick. Volume grows with the bar's absolute
// return and with the regime. All randomness comes from cst::Rng (same seed, same output on
// every machine), never from std:: distributions.
//
// Trades and quotes are drawn for the same path: one trade per path point (the open and each
// substep), at evenly spaced times inside the bar, their quantities summing to the bar's
// volume; one TopOfBook per trade at the same time, the trade at its touch (a buy lifts the
// ask, a sell hits the bid), with a spread that widens with the regime. Asking for ticks does
// not change the bars: generate_synthetic_ticks(seed, n).bars == generate_synthetic_bars(seed, n).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cst/core/fixed_point.hpp"
#include "cst/core/result.hpp"
#include "cst/core/rng.hpp"
#include "cst/core/timestamp.hpp"
#include "cst/market/bar_series.hpp"
#include "cst/market/market_event.hpp"

namespace cst {

enum class VolatilityRegime : std::uint8_t { kCalm, kNormal, kTurbulent };
inline constexpr std::size_t kVolatilityRegimeCount = 3;
const char* to_string(VolatilityRegime r);

struct RegimeParams {
  double sigma = 0.0;              // std dev of one bar's diffusive log return
  double spread_bps = 0.0;         // quoted spread, in basis points of the price
  double volume_multiplier = 1.0;  // scales base_volume in this regime
};

struct SyntheticMarketOptions {
  std::string symbol = "SYN-USD";
  int price_decimals = 2;  // the tick is one unit: 0.01
  int qty_decimals = 6;
  Price start_price = Price::from_raw(3'000'000);                 // 30000.00
  Timestamp start_time = Timestamp::from_seconds(1'704'067'200);  // 2024-01-01T00:00:00Z
  Duration bar_interval = Duration::from_seconds(60);
  double drift = 0.0;  // expected log return per bar

  // Indexed by VolatilityRegime. Per 1-minute bar: about 0.04%, 0.08% and 0.25%.
  std::array<RegimeParams, kVolatilityRegimeCount> regimes = {{
      {0.0004, 1.0, 0.6},
      {0.0008, 2.0, 1.0},
      {0.0025, 8.0, 2.5},
  }};
  // transition[i][j]: probability that a bar in regime i is followed by one in regime j; each
  // row sums to 1. Defaults: calm lasts ~6 h, normal ~4 h, turbulent ~1 h on average.
  std::array<std::array<double, kVolatilityRegimeCount>, kVolatilityRegimeCount> transition = {{
      {1.0 - 1.0 / 360, 0.9 / 360, 0.1 / 360},
      {0.6 / 240, 1.0 - 1.0 / 240, 0.4 / 240},
      {0.2 / 60, 0.8 / 60, 1.0 - 1.0 / 60},
  }};
  VolatilityRegime start_regime = VolatilityRegime::kNormal;

  double jump_intensity = 1.0 / 1440;  // expected jumps per bar (about one a day)
  double jump_mean = 0.0;              // mean log jump size
  double jump_sigma = 0.01;            // std dev of the log jump size

  int substeps = 4;                 // intrabar moves after the open, 1..1000
  double base_volume = 2.0;         // typical bar volume in the normal regime, in asset units
  double volume_return_beta = 1.5;  // volume *= 1 + beta * |bar return| / regime sigma
  double volume_noise = 0.4;        // std dev of the volume's lognormal noise
  double book_qty = 0.5;            // typical quantity at each side of the top of book
};

// Checks ranges (decimals, positive price and interval, probabilities, finite parameters) and
// names the first bad field.
Status validate(const SyntheticMarketOptions& options);

// Streams the synthetic path bar by bar. Not thread-safe; copyable (a copy continues the same
// path independently).
class SyntheticMarketGenerator {
 public:
  static Result<SyntheticMarketGenerator> create(std::uint64_t seed, const SyntheticMarketOptions& options = {});

  // The next bar of the path.
  Bar next_bar();
  // The next bar; its trades and quotes are appended to `trades` and `quotes`.
  Bar next_bar(std::vector<TradeTick>& trades, std::vector<TopOfBook>& quotes);

  // Regime of the bar returned last (start_regime before the first bar).
  VolatilityRegime regime() const { return regime_; }
  const SyntheticMarketOptions& options() const { return options_; }

 private:
  SyntheticMarketGenerator(std::uint64_t seed, const SyntheticMarketOptions& options);
  void advance_regime();
  int draw_jump_count();
  std::int64_t to_ticks(double log_price) const;
  Bar simulate_bar();
  void emit_ticks(const Bar& bar, std::vector<TradeTick>& trades, std::vector<TopOfBook>& quotes);

  SyntheticMarketOptions options_;
  Rng path_rng_;                      // price path, regimes, jumps, volume: everything a bar is made of
  Rng detail_rng_;                    // only trade sizes and book sizes, so ticks never change the bars
  double no_jump_probability_ = 1.0;  // exp(-jump_intensity), the Poisson P(0)
  double log_price_ = 0.0;
  double price_scale_ = 1.0;  // 10^price_decimals
  double qty_scale_ = 1.0;    // 10^qty_decimals
  std::int64_t last_close_ = 0;
  std::int64_t bar_index_ = 0;
  VolatilityRegime regime_ = VolatilityRegime::kNormal;
  Side last_side_ = Side::kBuy;
  std::int64_t last_trade_price_ = 0;
  std::vector<std::int64_t> points_;  // intrabar path of the current bar, in ticks
};

// `count` bars of the path for `seed` (BarSeries symbol and decimals from the options).
Result<BarSeries> generate_synthetic_bars(std::uint64_t seed, std::size_t count,
                                          const SyntheticMarketOptions& options = {});

struct SyntheticTicks {
  BarSeries bars;                 // identical to generate_synthetic_bars(seed, count, options)
  std::vector<TradeTick> trades;  // substeps + 1 per bar, strictly increasing times
  std::vector<TopOfBook> quotes;  // quotes[i] is the book trades[i] executed against
};

// The same path with its trades and top of book.
Result<SyntheticTicks> generate_synthetic_ticks(std::uint64_t seed, std::size_t count,
                                                const SyntheticMarketOptions& options = {});

}  // namespace cst
