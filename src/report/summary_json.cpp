#include "cst/report/summary_json.hpp"

#include "cst/core/atomic_file.hpp"
#include "json_writer.hpp"

namespace cst::report {

namespace {

constexpr int kRealDecimals = 6;

void money(JsonWriter& w, std::string_view name, Money m) {
  w.key(name);
  w.number_text(format_decimal(m.raw, kMoneyDecimals));
}

void real(JsonWriter& w, std::string_view name, double v) {
  w.key(name);
  w.real(v, kRealDecimals);
}

void integer(JsonWriter& w, std::string_view name, std::int64_t v) {
  w.key(name);
  w.integer(v);
}

// Starts the object held by key `name`; the caller closes it with w.end_object().
void begin_object(JsonWriter& w, std::string_view name) {
  w.key(name);
  w.begin_object();
}

void count(JsonWriter& w, std::string_view name, std::uint64_t v) {
  w.key(name);
  w.unsigned_integer(v);
}

void text(JsonWriter& w, std::string_view name, std::string_view v) {
  w.key(name);
  w.string(v);
}

void time_or_null(JsonWriter& w, std::string_view name, bool known, Timestamp t) {
  w.key(name);
  if (known) {
    w.string(format_iso8601(t));
  } else {
    w.null();
  }
}

void optional_real(JsonWriter& w, std::string_view name, bool known, double v) {
  w.key(name);
  if (known) {
    w.real(v, kRealDecimals);
  } else {
    w.null();
  }
}

void write_run(JsonWriter& w, const BacktestResult& r) {
  integer(w, "schema_version", kSummarySchemaVersion);
  text(w, "strategy", r.strategy);
  begin_object(w, "params");
  for (const auto& [name, value] : r.params) text(w, name, value);  // std::map: sorted
  w.end_object();
  text(w, "data", r.data_source);
  text(w, "risk_profile", r.risk_profile);
  text(w, "fill_mode", r.fill_mode);
  begin_object(w, "instrument");
  text(w, "symbol", r.instrument.symbol);
  integer(w, "price_decimals", r.instrument.price_decimals);
  integer(w, "qty_decimals", r.instrument.qty_decimals);
  w.end_object();
  count(w, "bars", r.bars);
  const bool has_bars = r.bars > 0 || !r.equity_curve.empty();
  time_or_null(w, "first_bar", has_bars, r.first_bar);
  time_or_null(w, "last_bar", has_bars, r.last_bar);
}

void write_performance(JsonWriter& w, const BacktestResult& r, const Statistics& s) {
  money(w, "starting_cash", r.starting_cash);
  money(w, "final_equity", r.final_equity);
  money(w, "final_cash", r.final_cash);
  money(w, "net_pnl", s.net_pnl);
  money(w, "realized_pnl", r.realized_pnl);
  money(w, "unrealized_pnl", r.unrealized_pnl);
  money(w, "fees", r.fees);
  w.key("final_position");
  w.number_text(format_decimal(r.final_position.raw, r.instrument.qty_decimals));
  real(w, "return_pct", s.return_pct);
  real(w, "cagr", s.cagr);
  real(w, "max_drawdown_pct", s.max_drawdown_pct);
  count(w, "max_drawdown_duration_bars", s.max_drawdown_duration_bars);
  real(w, "max_drawdown_duration_seconds", static_cast<double>(s.max_drawdown_duration.ns) / 1e9);
  real(w, "sharpe", s.sharpe);
  real(w, "sortino", s.sortino);
  real(w, "volatility_pct", s.volatility_pct);
  text(w, "return_basis", to_string(s.return_basis));
  count(w, "return_samples", s.return_samples);
  real(w, "periods_per_year", s.periods_per_year);
  real(w, "exposure_pct", s.exposure_pct);
  optional_real(w, "buy_and_hold_return_pct", s.has_buy_and_hold, s.buy_and_hold_return_pct);
}

void write_trades(JsonWriter& w, const Statistics& s) {
  count(w, "fills", s.fills);
  count(w, "closed_trades", s.closed_trades);
  count(w, "winning_trades", s.winning_trades);
  count(w, "losing_trades", s.losing_trades);
  real(w, "win_rate", s.win_rate);
  optional_real(w, "profit_factor", s.profit_factor.has_value(), s.profit_factor.value_or(0));
  money(w, "gross_profit", s.gross_profit);
  money(w, "gross_loss", s.gross_loss);
  money(w, "avg_trade_pnl", s.avg_trade_pnl);
  money(w, "best_trade_pnl", s.best_trade_pnl);
  money(w, "worst_trade_pnl", s.worst_trade_pnl);
}

void write_decisions(JsonWriter& w, const DecisionCounts& d) {
  begin_object(w, "decisions");
  count(w, "approved", d.approved);
  count(w, "reduced", d.reduced);
  count(w, "rejected", d.rejected);
  begin_object(w, "by_reason");
  for (int i = 0; i < kReasonCodeCount; ++i) {
    const auto idx = static_cast<std::size_t>(i);
    const std::uint64_t reduced = d.reduced_by_reason[idx];
    const std::uint64_t rejected = d.rejected_by_reason[idx];
    if (reduced == 0 && rejected == 0) continue;
    begin_object(w, to_string(static_cast<ReasonCode>(i)));
    count(w, "reduced", reduced);
    count(w, "rejected", rejected);
    w.end_object();
  }
  w.end_object();
  w.end_object();
}

}  // namespace

std::string render_summary_json(const BacktestResult& result, const Statistics& stats) {
  JsonWriter w;
  w.begin_object();
  write_run(w, result);
  write_performance(w, result, stats);
  write_trades(w, stats);
  write_decisions(w, result.decisions);
  text(w, "journal_head_hash", result.journal_head_hash);
  w.key("strategy_errors");
  w.begin_array();
  for (const std::string& e : result.strategy_errors) w.string(e);
  w.end_array();
  w.end_object();
  return w.finish();
}

Status write_summary_json(const BacktestResult& result, const Statistics& stats, const std::string& path) {
  return write_file_atomically(path, render_summary_json(result, stats));
}

}  // namespace cst::report
