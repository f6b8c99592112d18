#include "cst/market/synthetic_market.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "cst/core/huge_pages.hpp"

namespace cst {
namespace {

// Keeps prices far from int64 limits even if a caller picks absurd volatility.
constexpr double kMaxTicks = 1e17;
// Separates the detail stream from the path stream of the same seed.
constexpr std::uint64_t kDetailStream = 0x6a09e667f3bcc909ULL;

Status bad(const std::string& what) { return make_error(ErrorCode::kInvalidArgument, "synthetic market: " + what); }

bool finite_nonnegative(double v) { return std::isfinite(v) && v >= 0.0; }

std::int64_t round_to_int(double v) { return static_cast<std::int64_t>(std::llround(v)); }

}  // namespace

const char* to_string(VolatilityRegime r) {
  switch (r) {
    case VolatilityRegime::kCalm: return "calm";
    case VolatilityRegime::kNormal: return "normal";
    case VolatilityRegime::kTurbulent: return "turbulent";
  }
  return "unknown";
}

Status validate(const SyntheticMarketOptions& o) {
  if (o.price_decimals < 0 || o.price_decimals > kMaxDecimals) return bad("price_decimals must be 0..18");
  if (o.qty_decimals < 0 || o.qty_decimals > kMaxDecimals) return bad("qty_decimals must be 0..18");
  if (o.start_price.raw <= 0 || static_cast<double>(o.start_price.raw) > kMaxTicks)
    return bad("start_price must be positive and below 1e17 ticks");
  if (o.substeps < 1 || o.substeps > 1000) return bad("substeps must be 1..1000");
  if (o.bar_interval.ns < o.substeps + 1) return bad("bar_interval must hold substeps + 1 distinct trade times");
  if (!std::isfinite(o.drift)) return bad("drift must be finite");
  for (std::size_t i = 0; i < kVolatilityRegimeCount; ++i) {
    const auto name = std::string(to_string(static_cast<VolatilityRegime>(i)));
    const RegimeParams& r = o.regimes[i];
    if (!finite_nonnegative(r.sigma) || r.sigma > 1.0) return bad("regime " + name + ": sigma must be in [0, 1]");
    if (!finite_nonnegative(r.spread_bps) || r.spread_bps > 10'000)
      return bad("regime " + name + ": spread_bps must be in [0, 10000]");
    if (!std::isfinite(r.volume_multiplier) || r.volume_multiplier <= 0.0)
      return bad("regime " + name + ": volume_multiplier must be positive");
    double sum = 0.0;
    for (const double p : o.transition[i]) {
      if (!finite_nonnegative(p)) return bad("transition from " + name + ": probabilities must be >= 0");
      sum += p;
    }
    if (std::fabs(sum - 1.0) > 1e-9) return bad("transition from " + name + ": probabilities must sum to 1");
  }
  if (static_cast<std::size_t>(o.start_regime) >= kVolatilityRegimeCount) return bad("start_regime is not a regime");
  if (!finite_nonnegative(o.jump_intensity) || o.jump_intensity > 10.0) return bad("jump_intensity must be in [0, 10]");
  if (!std::isfinite(o.jump_mean) || !finite_nonnegative(o.jump_sigma))
    return bad("jump_mean/jump_sigma must be finite, sigma >= 0");
  if (!std::isfinite(o.base_volume) || o.base_volume <= 0.0) return bad("base_volume must be positive");
  if (!finite_nonnegative(o.volume_return_beta) || !finite_nonnegative(o.volume_noise))
    return bad("volume_return_beta and volume_noise must be >= 0");
  if (!std::isfinite(o.book_qty) || o.book_qty <= 0.0) return bad("book_qty must be positive");
  return Status::Ok();
}

Result<SyntheticMarketGenerator> SyntheticMarketGenerator::create(std::uint64_t seed,
                                                                  const SyntheticMarketOptions& options) {
  if (Status s = validate(options); !s.ok()) return s.error();
  return SyntheticMarketGenerator(seed, options);
}

SyntheticMarketGenerator::SyntheticMarketGenerator(std::uint64_t seed, const SyntheticMarketOptions& options)
    : options_(options),
      path_rng_(seed),
      detail_rng_(seed ^ kDetailStream),
      price_scale_(static_cast<double>(pow10(options.price_decimals))),
      qty_scale_(static_cast<double>(pow10(options.qty_decimals))),
      last_close_(options.start_price.raw),
      regime_(options.start_regime),
      last_trade_price_(options.start_price.raw) {
  no_jump_probability_ = std::exp(-options.jump_intensity);
  log_price_ = std::log(static_cast<double>(options.start_price.raw) / price_scale_);
  points_.resize(static_cast<std::size_t>(options.substeps) + 1);
}

void SyntheticMarketGenerator::advance_regime() {
  const auto& row = options_.transition[static_cast<std::size_t>(regime_)];
  const double u = path_rng_.uniform();
  double cumulative = 0.0;
  for (std::size_t j = 0; j < kVolatilityRegimeCount; ++j) {
    cumulative += row[j];
    if (u < cumulative) {
      regime_ = static_cast<VolatilityRegime>(j);
      return;
    }
  }
  // u fell in the rounding gap above the row's sum: stay.
}

// Poisson(jump_intensity) by inversion: one uniform per bar in the common no-jump case.
int SyntheticMarketGenerator::draw_jump_count() {
  const double lambda = options_.jump_intensity;
  if (lambda <= 0.0) return 0;
  const double u = path_rng_.uniform();
  double p = no_jump_probability_;
  double cdf = p;
  int k = 0;
  while (u > cdf && k < 100) {
    ++k;
    p *= lambda / k;
    cdf += p;
  }
  return k;
}

std::int64_t SyntheticMarketGenerator::to_ticks(double log_price) const {
  const double ticks = std::exp(log_price) * price_scale_;
  if (!(ticks >= 1.0)) return 1;  // also catches NaN
  if (ticks > kMaxTicks) return static_cast<std::int64_t>(kMaxTicks);
  return round_to_int(ticks);
}

// One bar of the path: regime, intrabar points (with jumps), OHLC from the points, volume.
Bar SyntheticMarketGenerator::simulate_bar() {
  if (bar_index_ > 0) advance_regime();
  const RegimeParams& rp = options_.regimes[static_cast<std::size_t>(regime_)];
  const int n = options_.substeps;
  const double step_sigma = rp.sigma / std::sqrt(static_cast<double>(n));
  const double step_drift = (options_.drift - 0.5 * rp.sigma * rp.sigma) / n;

  // Jumps first, each pinned to a substep, so the path below is drawn in one loop.
  int jumps = draw_jump_count();
  std::array<double, 8> jump_size{};
  std::array<int, 8> jump_step{};
  jumps = std::min(jumps, static_cast<int>(jump_size.size()));
  for (int j = 0; j < jumps; ++j) {
    jump_step[static_cast<std::size_t>(j)] = 1 + static_cast<int>(path_rng_.uniform() * n);
    jump_size[static_cast<std::size_t>(j)] = options_.jump_mean + options_.jump_sigma * path_rng_.normal();
  }

  const double log_open = log_price_;
  points_[0] = last_close_;
  std::int64_t high = last_close_;
  std::int64_t low = last_close_;
  for (int k = 1; k <= n; ++k) {
    log_price_ += step_drift + step_sigma * path_rng_.normal();
    for (int j = 0; j < jumps; ++j) {
      if (jump_step[static_cast<std::size_t>(j)] == k) log_price_ += jump_size[static_cast<std::size_t>(j)];
    }
    const std::int64_t px = to_ticks(log_price_);
    points_[static_cast<std::size_t>(k)] = px;
    high = std::max(high, px);
    low = std::min(low, px);
  }
  const std::int64_t close = points_[static_cast<std::size_t>(n)];

  const double abs_return = std::fabs(log_price_ - log_open);
  const double activity = rp.sigma > 0.0 ? 1.0 + options_.volume_return_beta * abs_return / rp.sigma : 1.0;
  const double noise = options_.volume_noise;
  const double volume = options_.base_volume * rp.volume_multiplier * activity *
                        std::exp(noise * path_rng_.normal() - 0.5 * noise * noise);
  // At least one unit per trade, so every trade of the bar has a positive quantity.
  const std::int64_t volume_raw = std::max<std::int64_t>(round_to_int(std::min(volume * qty_scale_, kMaxTicks)), n + 1);

  const Timestamp time = options_.start_time + Duration{bar_index_ * options_.bar_interval.ns};
  ++bar_index_;
  last_close_ = close;
  return Bar{time,
             Price::from_raw(points_[0]),
             Price::from_raw(high),
             Price::from_raw(low),
             Price::from_raw(close),
             Qty::from_raw(volume_raw)};
}

Bar SyntheticMarketGenerator::next_bar() { return simulate_bar(); }

Bar SyntheticMarketGenerator::next_bar(std::vector<TradeTick>& trades, std::vector<TopOfBook>& quotes) {
  const Bar bar = simulate_bar();
  emit_ticks(bar, trades, quotes);
  return bar;
}

// One trade per path point, quantities summing to the bar volume, each at its own touch.
void SyntheticMarketGenerator::emit_ticks(const Bar& bar, std::vector<TradeTick>& trades,
                                          std::vector<TopOfBook>& quotes) {
  const auto m = static_cast<std::int64_t>(points_.size());
  const std::int64_t spacing = options_.bar_interval.ns / m;
  const RegimeParams& rp = options_.regimes[static_cast<std::size_t>(regime_)];

  std::array<double, 1001> weights{};
  double weight_sum = 0.0;
  for (std::int64_t k = 0; k < m; ++k) {
    weights[static_cast<std::size_t>(k)] = 0.5 + detail_rng_.uniform();
    weight_sum += weights[static_cast<std::size_t>(k)];
  }
  const std::int64_t spare = bar.volume.raw - m;  // >= 0: the bar volume is at least m units
  std::int64_t remaining = bar.volume.raw;
  for (std::int64_t k = 0; k < m; ++k) {
    const std::int64_t price = points_[static_cast<std::size_t>(k)];
    std::int64_t qty = remaining;
    if (k + 1 < m) {
      qty = 1 + static_cast<std::int64_t>(
                    std::floor(static_cast<double>(spare) * weights[static_cast<std::size_t>(k)] / weight_sum));
      qty = std::min(qty, remaining - (m - 1 - k));  // leave one unit for each later trade
    }
    remaining -= qty;
    // Tick rule: an uptick is buyer-initiated, a downtick seller-initiated, no change repeats.
    Side side = price > last_trade_price_ ? Side::kBuy : price < last_trade_price_ ? Side::kSell : last_side_;
    const std::int64_t spread =
        std::max<std::int64_t>(1, round_to_int(static_cast<double>(price) * rp.spread_bps / 1e4));
    if (side == Side::kBuy && price - spread < 1) side = Side::kSell;  // no room for a bid below
    const auto book_size = [&] {
      const double q = options_.book_qty * rp.volume_multiplier * (0.5 + detail_rng_.uniform()) * qty_scale_;
      return std::max<std::int64_t>(1, round_to_int(std::min(q, kMaxTicks)));
    };
    TopOfBook book{};
    book.time = Timestamp{bar.time.ns + k * spacing};
    if (side == Side::kBuy) {
      book.ask = Price::from_raw(price);
      book.bid = Price::from_raw(price - spread);
    } else {
      book.bid = Price::from_raw(price);
      book.ask = Price::from_raw(price + spread);
    }
    book.bid_qty = Qty::from_raw(book_size());
    book.ask_qty = Qty::from_raw(book_size());
    // The touch the trade takes must hold at least its quantity.
    Qty& touch = side == Side::kBuy ? book.ask_qty : book.bid_qty;
    touch.raw = std::max(touch.raw, qty);
    quotes.push_back(book);
    trades.push_back(TradeTick{book.time, Price::from_raw(price), Qty::from_raw(qty), side});
    last_trade_price_ = price;
    last_side_ = side;
  }
}

namespace {

Status check_count(const SyntheticMarketOptions& options, std::size_t count) {
  const auto max_bars = static_cast<std::size_t>((std::numeric_limits<std::int64_t>::max() - options.start_time.ns) /
                                                 options.bar_interval.ns);
  if (count > max_bars) return bad("count " + std::to_string(count) + " runs past the int64 time range");
  return Status::Ok();
}

BarSeries empty_series(const SyntheticMarketOptions& options, std::size_t count) {
  BarSeries series;
  series.symbol = options.symbol;
  series.price_decimals = options.price_decimals;
  series.qty_decimals = options.qty_decimals;
  series.bars.reserve(count);
  advise_huge_pages(series.bars.data(), count * sizeof(Bar));
  return series;
}

}  // namespace

Result<BarSeries> generate_synthetic_bars(std::uint64_t seed, std::size_t count,
                                          const SyntheticMarketOptions& options) {
  auto gen = SyntheticMarketGenerator::create(seed, options);
  if (!gen.ok()) return gen.error();
  if (Status s = check_count(options, count); !s.ok()) return s.error();
  BarSeries series = empty_series(options, count);
  for (std::size_t i = 0; i < count; ++i) series.bars.push_back(gen->next_bar());
  return series;
}

Result<SyntheticTicks> generate_synthetic_ticks(std::uint64_t seed, std::size_t count,
                                                const SyntheticMarketOptions& options) {
  auto gen = SyntheticMarketGenerator::create(seed, options);
  if (!gen.ok()) return gen.error();
  if (Status s = check_count(options, count); !s.ok()) return s.error();
  SyntheticTicks out;
  out.bars = empty_series(options, count);
  const std::size_t per_bar = static_cast<std::size_t>(options.substeps) + 1;
  out.trades.reserve(count * per_bar);
  out.quotes.reserve(count * per_bar);
  advise_huge_pages(out.trades.data(), out.trades.capacity() * sizeof(TradeTick));
  advise_huge_pages(out.quotes.data(), out.quotes.capacity() * sizeof(TopOfBook));
  for (std::size_t i = 0; i < count; ++i) out.bars.bars.push_back(gen->next_bar(out.trades, out.quotes));
  return out;
}

}  // namespace cst
