#include "cst/engine/backtest_engine.hpp"

#include <algorithm>
#include <cctype>
#include <exception>
#include <memory>
#include <optional>

#include "cst/audit/audit_journal.hpp"
#include "cst/core/huge_pages.hpp"
#include "cst/engine/order_flow.hpp"
#include "cst/engine/round_trip_tracker.hpp"
#include "cst/engine/run_notes.hpp"
#include "cst/engine/strategy_calls.hpp"
#include "cst/gateway/execution_gateway.hpp"
#include "cst/portfolio/portfolio.hpp"
#include "cst/risk/risk_guard.hpp"

namespace cst {
namespace {

Duration infer_interval(std::span<const Bar> bars) {
  std::int64_t best = 0;
  const std::size_t n = std::min<std::size_t>(bars.size(), 1000);
  for (std::size_t i = 1; i < n; ++i) {
    const std::int64_t gap = bars[i].time.ns - bars[i - 1].time.ns;
    if (gap > 0 && (best == 0 || gap < best)) best = gap;
  }
  return Duration{best > 0 ? best : Duration::from_seconds(60).ns};
}

class Engine final : public ExecutionListener, public OrderFlowListener, public StrategyContext {
 public:
  Engine(const BacktestConfig& config, RiskGuard risk, std::unique_ptr<AuditJournal> journal, Strategy& strategy)
      : config_(config),
        inst_(config.instrument),
        portfolio_(config.starting_cash),
        risk_(std::move(risk)),
        policy_(config.policy),
        journal_(std::move(journal)),
        gateway_(risk_, policy_, *journal_, GatewayOptions{false, 1 << 12}),
        venue_(inst_, config.venue, portfolio_, *this),
        flow_(inst_, portfolio_, gateway_, *journal_, venue_, *this,
              ClientOrderIdGenerator(client_id_prefix(strategy.name())), config.venue.allow_short),
        strategy_(strategy),
        source_(*SourceId::parse("strategy")) {}

  Status init() { return portfolio_.add_instrument(inst_); }

  Result<BacktestResult> run(std::span<const Bar> bars);

  // StrategyContext
  Timestamp now() const override { return now_; }
  const Instrument& instrument() const override { return inst_; }
  Qty position() const override { return portfolio_.position(inst_.id).qty; }
  Money equity() const override { return portfolio_.equity(); }
  Money cash() const override { return portfolio_.cash(); }
  bool has_open_orders() const override { return flow_.orders().open_orders() > 0; }
  SubmitResult submit(const OrderRequest& request) override {
    return flow_.submit(request, source_, bar_.close, bar_.volume);
  }
  void cancel(const ClientOrderId& id) override { flow_.cancel(id, source_); }
  void set_timer(Timestamp at) override { timers_.add(at); }

  // ExecutionListener
  void on_execution(const ExecutionReport& r) override { flow_.on_execution(r); }
  // OrderFlowListener
  void on_fill(const Fill& fill, const FillEffect& effect) override;
  void on_flow_error(std::string message) override { error(std::move(message)); }

 private:
  static std::string client_id_prefix(std::string_view name) {
    std::string p;
    for (char c : name.substr(0, 16)) p += (c == '_' || std::isalnum(static_cast<unsigned char>(c))) ? c : '-';
    return p.empty() ? "s" : p;
  }
  void set_now(Timestamp t) {
    now_ = t;
    flow_.set_now(t);
  }
  void on_bar(const Bar& bar, Duration interval);
  void evaluate_limits();
  void flatten();
  void fire_timers();
  template <class F>
  void guarded(F&& call);
  void stop(std::string message);
  void error(std::string message) { result_.strategy_errors.push_back(std::move(message)); }

  const BacktestConfig& config_;
  Instrument inst_;
  Portfolio portfolio_;
  RiskGuard risk_;
  ExecutionPolicy policy_;
  std::unique_ptr<AuditJournal> journal_;
  ExecutionGateway gateway_;
  SimVenue venue_;
  OrderFlow flow_;
  RoundTripTracker trips_;
  Strategy& strategy_;
  SourceId source_;
  TimerQueue timers_;
  Timestamp now_;
  Bar bar_{};
  bool stopped_ = false;
  AccountState last_evaluated_;  // what the loss limits last saw
  bool limits_evaluated_ = false;
  BacktestResult result_;
};

template <class F>
void Engine::guarded(F&& call) {
  call_strategy(stopped_, call, [&](const std::string& what) {
    stop("strategy " + std::string(strategy_.name()) + " stopped at " + format_iso8601(now_) + ": " + what);
  });
}

void Engine::stop(std::string message) {
  stopped_ = true;
  journal_->append(NoteRecord{now_, "strategy_stopped", run_notes::strategy_stopped(message)});
  error(std::move(message));
}

void Engine::on_fill(const Fill& fill, const FillEffect& effect) {
  trips_.on_fill(fill, effect);
  result_.fills.push_back(
      FillRecord{fill.time, fill.client_order_id.str(), fill.side, fill.qty, fill.price, fill.fee, fill.maker});
  guarded([&] { strategy_.on_fill(*this, fill); });
}

void Engine::evaluate_limits() {
  // The loss limits read only equity and its references; skip bars where none moved.
  const Money equity = portfolio_.equity();
  if (limits_evaluated_ && equity == last_evaluated_.equity &&
      portfolio_.start_of_day_equity() == last_evaluated_.start_of_day_equity &&
      portfolio_.equity_peak() == last_evaluated_.equity_peak)
    return;
  limits_evaluated_ = true;
  last_evaluated_.equity = equity;
  last_evaluated_.start_of_day_equity = portfolio_.start_of_day_equity();
  last_evaluated_.equity_peak = portfolio_.equity_peak();
  const RiskEvent event = risk_.update(last_evaluated_);
  if (event == RiskEvent::kNone) return;
  journal_->append(NoteRecord{now_, "risk_event", run_notes::risk_event(event, portfolio_.equity())});
  if (event == RiskEvent::kEmergencyLockdown) flatten();
}

void Engine::flatten() {
  const Qty pos = portfolio_.position(inst_.id).qty;
  if (pos.raw == 0) return;
  const Side side = pos.raw > 0 ? Side::kSell : Side::kBuy;
  flow_.submit(OrderRequest{side, OrderType::kMarket, Qty::from_raw(abs64(pos.raw)), {}, false, true},
               *SourceId::parse("risk_guard"), bar_.close, bar_.volume);
}

void Engine::fire_timers() {
  for (Timestamp t : timers_.take_due(now_)) guarded([&] { strategy_.on_timer(*this, t); });
}

void Engine::on_bar(const Bar& bar, Duration interval) {
  set_now(bar.time);
  if (utc_day(bar.time) != portfolio_.current_day()) {
    portfolio_.start_day(bar.time);
    risk_.start_day();
  }
  venue_.on_bar_open(bar);
  bar_ = bar;
  set_now(bar.time + interval);
  (void)portfolio_.mark(inst_.id, bar.close);
  // The venue learns the bar is complete before anything can send at its close (the limit
  // check's flatten order, the strategy), so close-mode orders fill at this close, not the last.
  venue_.on_bar_close(bar, now_);
  evaluate_limits();
  guarded([&] { strategy_.on_bar(*this, bar); });
  fire_timers();
  // After everything the bar's close can bring (close-mode fills and their fees), so the last
  // point is the final equity.
  result_.equity_curve.push_back(EquityPoint{now_, portfolio_.equity(), portfolio_.position(inst_.id).qty, bar.close});
}

Result<BacktestResult> Engine::run(std::span<const Bar> bars) {
  const Duration interval = config_.bar_interval.ns > 0 ? config_.bar_interval : infer_interval(bars);
  result_.equity_curve.reserve(bars.size());
  advise_huge_pages(result_.equity_curve.data(), result_.equity_curve.capacity() * sizeof(EquityPoint));
  set_now(bars.empty() ? Timestamp{} : bars.front().time);
  journal_->append(NoteRecord{now_, "run_start", run_notes::run_start(config_, risk_)});
  guarded([&] { strategy_.on_start(*this); });
  constexpr std::uint64_t kProgressEvery = 1 << 16;
  for (std::size_t i = 0; i < bars.size(); ++i) {
    on_bar(bars[i], interval);
    if (config_.progress && (i % kProgressEvery) == 0) config_.progress(i, bars.size());
  }
  if (config_.progress) config_.progress(bars.size(), bars.size());

  result_.strategy = config_.strategy_name;
  result_.params = config_.params;
  result_.data_source = config_.data_source;
  result_.risk_profile = std::string(to_string(config_.risk_profile));
  result_.fill_mode = config_.venue.timing == FillTiming::kNextOpen ? "next-open" : "close";
  result_.instrument = inst_;
  result_.bars = bars.size();
  if (!bars.empty()) {
    result_.first_bar = bars.front().time;
    result_.last_bar = bars.back().time;
  }
  result_.starting_cash = portfolio_.starting_cash();
  result_.final_cash = portfolio_.cash();
  result_.final_equity = portfolio_.equity();
  result_.fees = portfolio_.fees();
  result_.realized_pnl = portfolio_.realized_pnl();
  result_.unrealized_pnl = portfolio_.unrealized_pnl();
  result_.final_position = portfolio_.position(inst_.id).qty;
  result_.closed_trades = trips_.take();
  const GatewayStats& st = gateway_.stats();
  result_.decisions.approved = st.total.approved;
  result_.decisions.reduced = st.total.reduced;
  result_.decisions.rejected = st.total.rejected;
  result_.decisions.reduced_by_reason = st.reduced_by_reason;
  result_.decisions.rejected_by_reason = st.rejected_by_reason;
  journal_->append(NoteRecord{now_, "run_end", run_notes::run_end(result_, flow_.orders().open_orders())});
  Status closed = journal_->close();
  if (!closed.ok())
    return make_error(closed.error().code, "journal " + config_.journal_path + ": " + closed.error().message);
  result_.journal_head_hash = journal_->head_hash_hex();
  return std::move(result_);
}

}  // namespace

Result<BacktestResult> run_backtest(const BacktestConfig& config, std::span<const Bar> bars, Strategy& strategy) {
  if (config.starting_cash.raw <= 0) return make_error(ErrorCode::kInvalidArgument, "starting cash must be positive");
  // Checked before the journal exists and the strategy runs: a bad series is a setup error.
  for (std::size_t i = 1; i < bars.size(); ++i) {
    if (bars[i].time <= bars[i - 1].time)
      return make_error(
          ErrorCode::kInvalidArgument,
          "bar " + std::to_string(i) + " at " + format_iso8601(bars[i].time) + " is not after the previous bar");
  }
  Status valid = config.instrument.validate();
  if (!valid.ok()) return valid.error();
  auto risk = config.risk_limits ? RiskGuard::create(config.risk_profile, TradingMode::kBacktest, *config.risk_limits)
                                 : RiskGuard::create(config.risk_profile, TradingMode::kBacktest);
  if (!risk.ok()) return risk.error();
  JournalOptions options;
  options.durability = JournalDurability::kNone;
  options.queue_capacity = 1 << 14;  // a backtest decides rarely; a small ring opens fast
  auto journal = AuditJournal::open(config.journal_path, options);
  if (!journal.ok()) return journal.error();
  auto engine = std::make_unique<Engine>(config, std::move(*risk), std::move(*journal), strategy);
  Status init = engine->init();
  if (!init.ok()) return init.error();
  return engine->run(bars);
}

}  // namespace cst
