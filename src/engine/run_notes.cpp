#include "cst/engine/run_notes.hpp"

#include "cst/audit/json_writer.hpp"

namespace cst::run_notes {

std::string run_start(const BacktestConfig& config, const RiskGuard& risk) {
  std::string out;
  audit::JsonWriter w(&out);
  const Instrument& inst = config.instrument;
  w.begin_object();
  w.key("mode").string("backtest");
  w.key("strategy").string(config.strategy_name);
  w.key("params").begin_object();
  for (const auto& [k, v] : config.params) w.key(k).string(v);
  w.end_object();
  w.key("data").string(config.data_source);
  w.key("instrument").begin_object();
  w.key("symbol").string(inst.symbol);
  w.key("price_decimals").integer(inst.price_decimals);
  w.key("qty_decimals").integer(inst.qty_decimals);
  w.key("tick_size").string(inst.format(inst.tick_size));
  w.key("lot_step").string(inst.format(inst.lot_step));
  w.key("maker_fee_ppm").integer(inst.maker_fee.ppm);
  w.key("taker_fee_ppm").integer(inst.taker_fee.ppm);
  w.end_object();
  w.key("starting_cash").string(to_string(config.starting_cash));
  w.key("risk_profile").string(to_string(risk.profile()));
  const RiskLimits& l = risk.limits();
  w.key("limits_bp").begin_object();
  w.key("daily_loss").integer(l.daily_loss_bp);
  w.key("max_drawdown").integer(l.max_drawdown_bp);
  w.key("position").integer(l.position_bp);
  w.key("exposure").integer(l.exposure_bp);
  w.key("leverage_x100").integer(l.leverage_x100);
  w.key("emergency_loss").integer(l.emergency_loss_bp);
  w.end_object();
  w.key("fill").string(config.venue.timing == FillTiming::kNextOpen ? "next-open" : "close");
  const FillModel& m = config.venue.model;
  w.key("fill_model").begin_object();
  w.key("slippage_bps").integer(m.slippage_bps);
  w.key("spread_bps").integer(m.spread_bps);
  w.key("partial_probability_ppm").integer(static_cast<std::int64_t>(m.partial_probability * 1e6));
  w.key("partial_ratio_ppm").integer(static_cast<std::int64_t>(m.partial_ratio * 1e6));
  w.key("latency_ns").integer(m.latency.ns);
  w.key("seed").unsigned_integer(m.seed);
  w.end_object();
  w.end_object();
  return out;
}

std::string risk_event(RiskEvent event, Money equity) {
  std::string out;
  audit::JsonWriter w(&out);
  w.begin_object().key("event").string(to_string(event)).key("equity").string(to_string(equity)).end_object();
  return out;
}

std::string strategy_stopped(const std::string& message) {
  std::string out;
  audit::JsonWriter w(&out);
  w.begin_object().key("error").string(message).end_object();
  return out;
}

std::string run_end(const BacktestResult& result, std::size_t open_orders) {
  std::string out;
  audit::JsonWriter w(&out);
  w.begin_object();
  w.key("final_equity").string(to_string(result.final_equity));
  w.key("fills").unsigned_integer(result.fills.size());
  w.key("closed_trades").unsigned_integer(result.closed_trades.size());
  w.key("open_orders").unsigned_integer(open_orders);
  w.end_object();
  return out;
}

}  // namespace cst::run_notes
