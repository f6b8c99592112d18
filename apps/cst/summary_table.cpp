#include "summary_table.hpp"

#include <cstdio>
#include <string>

namespace cst::cli {
namespace {

std::string fixed(double v, int decimals) {
  char buf[64];
  (void)std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

void row(std::ostream& out, const std::string& name, const std::string& value) {
  std::string padded = name;
  padded.resize(28, ' ');
  out << "  " << padded << value << "\n";
}

}  // namespace

void print_summary_table(std::ostream& out, const BacktestResult& r, const report::Statistics& s) {
  out << "Backtest " << r.strategy << " on " << r.instrument.symbol << " (" << r.data_source << "), " << r.bars
      << " bars, risk profile " << r.risk_profile << ", fill " << r.fill_mode << "\n";
  row(out, "starting cash", to_string(r.starting_cash));
  row(out, "final equity", to_string(r.final_equity));
  row(out, "return", fixed(s.return_pct, 4) + " %");
  row(out, "buy and hold", fixed(s.buy_and_hold_return_pct, 4) + " %");
  row(out, "max drawdown", fixed(s.max_drawdown_pct, 4) + " %");
  row(out, "sharpe (annualized)", fixed(s.sharpe, 4));
  row(out, "fills", std::to_string(r.fills.size()));
  row(out, "closed trades", std::to_string(r.closed_trades.size()));
  row(out, "win rate", fixed(s.win_rate * 100.0, 2) + " %");
  row(out, "fees", to_string(r.fees));
  row(out, "gateway approved", std::to_string(r.decisions.approved));
  row(out, "gateway reduced", std::to_string(r.decisions.reduced));
  row(out, "gateway rejected", std::to_string(r.decisions.rejected));
  for (int i = 0; i < kReasonCodeCount; ++i) {
    const auto reduced = r.decisions.reduced_by_reason[static_cast<std::size_t>(i)];
    const auto rejected = r.decisions.rejected_by_reason[static_cast<std::size_t>(i)];
    if (reduced + rejected == 0) continue;
    row(out, "  " + std::string(to_string(static_cast<ReasonCode>(i))),
        std::to_string(reduced) + " reduced, " + std::to_string(rejected) + " rejected");
  }
  row(out, "journal head", r.journal_head_hash);
}

}  // namespace cst::cli
