#include "backtest_setup.hpp"

#include <filesystem>

#include "cst/market/ohlcv_csv_reader.hpp"
#include "cst/market/synthetic_market.hpp"
#include "cst/risk/risk_limits.hpp"
#include "cst/strategy/sizing.hpp"
#include "cst/strategy/strategy_registry.hpp"
#include "cst/venues/bar_matching.hpp"

namespace cst::cli {
namespace {

// Percentage sizing needs fractional quantities; keep at least 8 decimals for them.
constexpr int kMinQtyDecimals = 8;

Result<FeeRate> parse_bps(const std::string& option, const std::string& text) {
  auto ppm = parse_decimal(text, 2);  // bps with two decimals = parts per million
  if (!ppm.ok() || *ppm < -10'000 || *ppm > 100'000)
    return make_error(ErrorCode::kInvalidArgument,
                      option + " '" + text + "' must be a number of basis points in [-100, 1000]");
  return FeeRate{*ppm};
}

Result<BarSeries> load_bars(const BacktestArgs& args) {
  if (args.synthetic_seed) {
    SyntheticMarketOptions options;
    return generate_synthetic_bars(*args.synthetic_seed, args.synthetic_bars, options);
  }
  if (args.data_file.empty())
    return make_error(ErrorCode::kInvalidArgument, "give either --data FILE or --synthetic SEED");
  OhlcvCsvOptions options;
  options.format = args.format == "binance-kline" ? OhlcvCsvFormat::kBinanceKline : OhlcvCsvFormat::kHeader;
  options.symbol = args.symbol.empty() ? std::filesystem::path(args.data_file).stem().string() : args.symbol;
  return read_ohlcv_csv(args.data_file, options);
}

// Raises the volume unit so percent sizing can ask for fractions of a unit.
Status widen_qty_decimals(BarSeries& series) {
  if (series.qty_decimals >= kMinQtyDecimals) return Status::Ok();
  const std::int64_t factor = pow10(kMinQtyDecimals - series.qty_decimals);
  for (Bar& b : series.bars) {
    if (__builtin_mul_overflow(b.volume.raw, factor, &b.volume.raw))
      return make_error(ErrorCode::kOverflow, "volume at " + format_iso8601(b.time) + " is too large");
  }
  series.qty_decimals = kMinQtyDecimals;
  return Status::Ok();
}

Result<std::map<std::string, std::string>> parse_params(const std::vector<std::string>& raw) {
  std::map<std::string, std::string> params;
  for (const auto& p : raw) {
    const auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0)
      return make_error(ErrorCode::kInvalidArgument, "--param '" + p + "' must look like key=value");
    if (!params.emplace(p.substr(0, eq), p.substr(eq + 1)).second)
      return make_error(ErrorCode::kInvalidArgument, "--param " + p.substr(0, eq) + " is given twice");
  }
  return params;
}

}  // namespace

Result<BacktestSetup> prepare_backtest(const BacktestArgs& args) {
  BacktestSetup setup;
  auto params = parse_params(args.params);
  if (!params.ok()) return params.error();
  auto size = Sizing::parse(args.size);
  if (!size.ok()) return size.error();
  auto strategy = make_strategy(args.strategy, *params, *size);
  if (!strategy.ok()) return strategy.error();
  auto cash = parse_money(args.cash);
  if (!cash.ok() || cash->raw <= 0)
    return make_error(ErrorCode::kInvalidArgument, "--cash '" + args.cash + "' must be a positive amount");
  auto profile = parse_risk_profile(args.risk_profile);
  if (!profile) return make_error(ErrorCode::kInvalidArgument, "unknown --risk-profile '" + args.risk_profile + "'");
  auto commission = parse_bps("--commission-bps", args.commission_bps);
  if (!commission.ok()) return commission.error();
  auto maker = args.maker_bps.empty() ? commission : parse_bps("--maker-bps", args.maker_bps);
  if (!maker.ok()) return maker.error();
  auto taker = args.taker_bps.empty() ? commission : parse_bps("--taker-bps", args.taker_bps);
  if (!taker.ok()) return taker.error();

  // Checked before Duration::from_ms, whose nanoseconds would overflow (a config's latency_ms
  // has no other bound); the other knobs by check_fill_model below.
  if (args.latency_ms < 0 || args.latency_ms > 86'400'000)
    return make_error(ErrorCode::kInvalidArgument,
                      "fill latency " + std::to_string(args.latency_ms) + " ms must be 0 to 86400000 (1 day)");

  auto series = load_bars(args);
  if (!series.ok()) return series.error();
  if (series->bars.empty()) return make_error(ErrorCode::kInvalidArgument, "the data has no bars");
  Status widened = widen_qty_decimals(*series);
  if (!widened.ok()) return widened.error();

  Instrument inst;
  inst.id = InstrumentId{0};
  inst.symbol = series->symbol.empty() ? "INSTRUMENT" : series->symbol;
  inst.price_decimals = series->price_decimals;
  inst.qty_decimals = series->qty_decimals;
  inst.tick_size = Price::from_raw(1);
  inst.lot_step = Qty::from_raw(1);
  inst.maker_fee = *maker;
  inst.taker_fee = *taker;
  Status valid = inst.validate();
  if (!valid.ok()) return valid.error();
  if (size->kind == Sizing::Kind::kFixedQty) {
    auto q = size->quantity(inst, *cash, series->bars.front().close);
    if (!q.ok()) return q.error();
  }

  BacktestConfig& c = setup.config;
  c.instrument = inst;
  c.starting_cash = *cash;
  c.risk_profile = *profile;
  c.risk_limits = args.risk_limits;
  c.venue.timing = args.fill == "close" ? FillTiming::kThisClose : FillTiming::kNextOpen;
  c.venue.allow_short = args.allow_short;
  c.venue.model.slippage_bps = args.slippage_bps;
  c.venue.model.spread_bps = args.spread_bps;
  c.venue.model.partial_probability = args.partial_probability;
  c.venue.model.partial_ratio = args.partial_ratio;
  c.venue.model.latency = Duration::from_ms(args.latency_ms);
  c.venue.model.seed = args.fill_seed;
  if (Status knobs = check_fill_model(c.venue.model); !knobs.ok()) return knobs.error();
  c.strategy_name = args.strategy;
  c.params = *params;
  c.params["size"] = args.size;
  c.data_source = args.synthetic_seed ? "synthetic:" + std::to_string(*args.synthetic_seed) : args.data_file;
  setup.series = std::move(*series);
  setup.strategy = std::move(*strategy);
  return setup;
}

}  // namespace cst::cli
