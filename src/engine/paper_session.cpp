#include "cst/engine/paper_session.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <memory>
#include <optional>
#include <thread>
#include <unordered_set>

#include "cst/audit/audit_journal.hpp"
#include "cst/audit/json_writer.hpp"
#include "cst/engine/crash_point.hpp"
#include "cst/engine/event_bus.hpp"
#include "cst/engine/order_flow.hpp"
#include "cst/engine/run_notes.hpp"
#include "cst/engine/store_durable_log.hpp"
#include "cst/gateway/execution_gateway.hpp"
#include "cst/portfolio/portfolio.hpp"
#include "cst/risk/risk_guard.hpp"
#include "cst/state/state_store.hpp"
#include "cst/state/trader_lock.hpp"
#include "cst/venues/paper_exchange.hpp"

namespace cst {
namespace {

using WallClock = std::chrono::steady_clock;

std::string id_prefix(std::string_view strategy, std::uint64_t boot) {
  std::string p;
  for (char c : strategy.substr(0, 16)) p += (c == '_' || std::isalnum(static_cast<unsigned char>(c))) ? c : '-';
  if (p.empty()) p = "s";
  // The boot number makes every process's ids new: an id is never used twice, even one a
  // crashed process had decided on but never stored.
  return p + "-" + std::to_string(boot);
}

std::string json_object(std::initializer_list<std::pair<std::string_view, std::string>> fields) {
  std::string out;
  audit::JsonWriter w(&out);
  w.begin_object();
  for (const auto& [k, v] : fields) w.key(k).string(v);
  w.end_object();
  return out;
}

ExecutionReport fill_report(const VenueFill& f) {
  ExecutionReport r;
  r.kind = ExecKind::kFilled;
  r.time = f.time;
  r.client_order_id = f.client_order_id;
  r.instrument = f.instrument;
  r.side = f.side;
  r.qty = f.qty;
  r.price = f.price;
  r.fee = f.fee;
  r.maker = f.maker;
  r.trade_id = f.trade_id;
  return r;
}

// The replay feed: a thread that hands bars to the engine at their wall-clock time (speed x
// faster than recorded). Paced, it drops the oldest bars if the engine falls behind (counted);
// unpaced (speed 0), it never drops and the engine sets the pace.
class ReplayFeed {
 public:
  ReplayFeed(std::span<const Bar> bars, double speed, Duration interval)
      : bus_(speed > 0 ? OverflowPolicy::kDropOldest : OverflowPolicy::kBlock), bars_(bars), speed_(speed),
        interval_(interval) {
    thread_ = std::thread([this] { run(); });
  }
  ~ReplayFeed() {
    bus_.close();
    thread_.join();
  }
  EventBus<Bar>& bus() { return bus_; }

 private:
  void run() {
    const auto start = WallClock::now();
    for (std::size_t i = 0; i < bars_.size(); ++i) {
      if (speed_ > 0) {
        // A bar is complete at its close: time + interval after the first bar's open.
        const double data_ns = static_cast<double>(bars_[i].time.ns - bars_.front().time.ns + interval_.ns);
        std::this_thread::sleep_until(start + std::chrono::nanoseconds(static_cast<std::int64_t>(data_ns / speed_)));
      }
      if (!bus_.push(bars_[i])) return;  // closed: the engine stopped
    }
    bus_.close();
  }

  EventBus<Bar> bus_;
  std::span<const Bar> bars_;
  double speed_;
  Duration interval_;
  std::thread thread_;
};

class PaperSession final : public ExecutionListener, public OrderFlowListener, public StrategyContext {
 public:
  PaperSession(const BacktestConfig& config, const PaperOptions& options, Strategy& strategy, RiskGuard risk,
               TraderLock lock, std::unique_ptr<StateStore> store, std::unique_ptr<AuditJournal> journal,
               std::unique_ptr<PaperExchange> exchange, LoadedState loaded, std::uint64_t boot)
      : config_(config),
        options_(options),
        inst_(config.instrument),
        portfolio_(config.starting_cash),
        risk_(std::move(risk)),
        policy_(config.policy),
        lock_(std::move(lock)),
        store_(std::move(store)),
        journal_(std::move(journal)),
        exchange_(std::move(exchange)),
        loaded_(std::move(loaded)),
        gateway_(risk_, policy_, *journal_, GatewayOptions{true, 1 << 12}),
        venue_(*exchange_, *this, options.faults),
        durable_(*store_, *journal_, loaded_.trade_ids),
        flow_(inst_, portfolio_, gateway_, *journal_, venue_, *this,
              ClientOrderIdGenerator(id_prefix(strategy.name(), boot)), config.venue.allow_short, &durable_),
        strategy_(strategy),
        source_(*SourceId::parse("strategy")),
        boot_(boot) {
    flow_.set_retry_policy(options.retry);
  }

  Status recover();
  SyncOutcome sync(bool startup);
  void reconcile() {
    run_.last_reconciliations.push_back(sync(false));
    if (run_.last_reconciliations.size() > 100) run_.last_reconciliations.erase(run_.last_reconciliations.begin());
    ++run_.reconciliations;
  }
  Result<PaperRun> run(std::span<const Bar> bars);
  Status close();
  std::string head_hash() const { return journal_->head_hash_hex(); }

  // StrategyContext
  Timestamp now() const override { return now_; }
  const Instrument& instrument() const override { return inst_; }
  Qty position() const override { return portfolio_.position(inst_.id).qty; }
  Money equity() const override { return portfolio_.equity(); }
  Money cash() const override { return portfolio_.cash(); }
  bool has_open_orders() const override { return flow_.orders().open_orders() > 0; }
  SubmitResult submit(const OrderRequest& request) override {
    const auto before = flow_.orders().open_orders();
    SubmitResult r = flow_.submit(request, source_, bar_.close, bar_.volume);
    if (flow_.orders().open_orders() > before || r.approved) ++run_.orders_sent;
    return r;
  }
  void cancel(const ClientOrderId& id) override { flow_.cancel(id, source_); }
  void set_timer(Timestamp at) override { timers_.push_back(at); }

  // ExecutionListener: reports from the paper venue, on this thread.
  void on_execution(const ExecutionReport& r) override;
  // OrderFlowListener
  void on_fill(const Fill& fill, const FillEffect&) override {
    ++run_.fills;
    tell("fill " + fill.client_order_id.str() + " " + std::string(to_string(fill.side)) + " " +
         format_decimal(fill.qty.raw, inst_.qty_decimals) + " @ " + format_decimal(fill.price.raw, inst_.price_decimals));
    guarded([&] { strategy_.on_fill(*this, fill); });
  }
  void on_flow_error(std::string message) override { note("engine_error", json_object({{"message", message}})); }

 private:
  void tell(const std::string& line) {
    if (options_.progress) options_.progress(line);
  }
  void note(std::string kind, std::string json) { journal_->append(NoteRecord{now_, std::move(kind), std::move(json)}); }
  void set_now(Timestamp t) {
    now_ = t;
    flow_.set_now(t);
  }
  template <class F>
  void guarded(F&& call);
  Status save_controls(std::string reason, std::string operator_name);
  void on_bar(const Bar& bar, Duration interval);
  void evaluate_limits();
  // Kill/resume written by `cst kill`/`cst resume`; checked when another process wrote the store.
  void apply_operator_actions(bool force = false);
  void apply_foreign_fill(const VenueFill& f, SyncOutcome& out);
  void handle_unknown_order(const VenueOrder& v, SyncOutcome& out);
  void cancel_all_working(SyncOutcome& out);
  void check_balances(SyncOutcome& out);
  void enter_safe_mode(const std::string& reason);
  void fire_timers();
  Status persist_marks();
  // Guardian: no new risk while the venue is unreachable; on reconnect, cancel what was working
  // (unless the venue cancelled it on disconnect), reconcile, then resume.
  void watch_connection();
  bool was_connected_ = true;

  const BacktestConfig& config_;
  const PaperOptions& options_;
  Instrument inst_;
  Portfolio portfolio_;
  RiskGuard risk_;
  ExecutionPolicy policy_;
  TraderLock lock_;
  std::unique_ptr<StateStore> store_;
  std::unique_ptr<AuditJournal> journal_;
  std::unique_ptr<PaperExchange> exchange_;
  LoadedState loaded_;
  ExecutionGateway gateway_;
  PaperVenue venue_;
  StoreDurableLog durable_;
  OrderFlow flow_;
  Strategy& strategy_;
  SourceId source_;
  std::uint64_t boot_;
  std::vector<Timestamp> timers_;
  Timestamp now_;
  Bar bar_{};
  bool stopped_ = false;
  std::uint64_t fill_cursor_ = 0;  // venue fills up to here have been seen by a sync
  std::int64_t store_version_ = 0;
  PortfolioSnapshot last_saved_;
  PaperRun run_;
};

template <class F>
void PaperSession::guarded(F&& call) {
  if (stopped_) return;
  try {
    call();
  } catch (const std::exception& e) {
    stopped_ = true;
    note("strategy_stopped", run_notes::strategy_stopped(std::string(strategy_.name()) + ": " + e.what()));
  } catch (...) {
    stopped_ = true;
    note("strategy_stopped", run_notes::strategy_stopped(std::string(strategy_.name()) + ": unknown exception"));
  }
}

Status PaperSession::save_controls(std::string reason, std::string operator_name) {
  Controls c;
  c.trading_state = risk_.state();
  c.reason = std::move(reason);
  c.operator_name = std::move(operator_name);
  c.since = now_;
  c.safe_mode = risk_.safe_mode();
  c.safe_reason = loaded_.controls.safe_reason;
  c.safe_since = loaded_.controls.safe_since;
  loaded_.controls = c;
  return store_->save_controls(c);
}

void PaperSession::enter_safe_mode(const std::string& reason) {
  if (risk_.safe_mode()) return;
  risk_.set_safe_mode(true);
  loaded_.controls.safe_reason = reason;
  loaded_.controls.safe_since = now_;
  Status s = save_controls(loaded_.controls.reason, loaded_.controls.operator_name);
  note("alert", json_object({{"kind", "safe_mode"}, {"reason", reason}}));
  tell("ALERT safe mode (reduce-only): " + reason);
  if (!s.ok()) note("engine_error", json_object({{"message", s.error().message}}));
}

Status PaperSession::recover() {
  Status s = portfolio_.add_instrument(inst_);
  if (!s.ok()) return s;
  if (loaded_.portfolio) {
    s = portfolio_.restore(*loaded_.portfolio);
    if (!s.ok()) return make_error(s.error().code, "state store '" + store_->path() + "': " + s.error().message);
  }
  last_saved_ = portfolio_.snapshot();
  risk_.restore(loaded_.controls.trading_state);
  risk_.set_safe_mode(loaded_.controls.safe_mode);
  risk_.set_venue_unavailable(true);  // until the venue and our state agree
  for (const StoredOrder& o : loaded_.open_orders) {
    auto order = Order::restore(o.order);
    if (!order.ok()) return order.error();
    flow_.adopt(std::move(*order), o.reference);
  }
  note("recovery_start",
       json_object({{"boot", std::to_string(boot_)},
                    {"open_orders", std::to_string(loaded_.open_orders.size())},
                    {"trading_state", std::string(to_string(risk_.state()))},
                    {"reason", loaded_.controls.reason},
                    {"safe_mode", risk_.safe_mode() ? "true" : "false"},
                    {"config_hash", options_.config_hash}}));
  // Actions an operator took while no trader ran: already in the controls, journaled now.
  apply_operator_actions(true);
  if (options_.faults.cancel_on_disconnect) {
    // The previous process's session ended (perhaps by a crash): a venue with cancel-on-
    // disconnect has cancelled what it had working for us. We learn the outcome by querying.
    exchange_->cancel_all(now_, "cancel_on_disconnect");
    (void)exchange_->take_reports();
  }
  run_.recovery = sync(true);
  if (flow_.halted()) return flow_.halt_reason();
  if (!run_.recovery.venue_reachable) return make_error(ErrorCode::kUnavailable, "paper venue unreachable at start");
  cancel_all_working(run_.recovery);
  risk_.set_venue_unavailable(false);
  note("recovery_done", run_.recovery.to_json());
  Status f = journal_->flush();
  if (!f.ok()) return f;
  tell("recovered: boot " + std::to_string(boot_) + ", state " + std::string(to_string(risk_.state())) +
       (risk_.safe_mode() ? " (safe mode)" : "") + ", " + run_.recovery.to_json());
  return Status::Ok();
}

void PaperSession::on_execution(const ExecutionReport& r) {
  // The venue has committed what this report says; we have not stored it yet.
  crash_point::pass("venue report received, not stored");
  if (flow_.orders().find(r.client_order_id) == nullptr || !flow_.orders().find(r.client_order_id)->is_open()) {
    // Not one of our working orders: a late report for one that ended, or an order we do not
    // know. Fills move money either way; reconciliation applies them from the venue's record.
    if (r.kind == ExecKind::kFilled && !durable_.has_trade(r.trade_id)) {
      note("report_for_unknown_order", json_object({{"client_order_id", r.client_order_id.str()}, {"kind", "fill"}}));
    }
    return;
  }
  flow_.on_execution(r);
}

void PaperSession::watch_connection() {
  const bool up = venue_.connected();
  if (up == was_connected_) return;
  was_connected_ = up;
  if (!up) {
    ++run_.disconnects;
    risk_.set_venue_unavailable(true);
    note("venue_disconnected", json_object({{"cancel_on_disconnect", venue_.cancels_on_disconnect() ? "true" : "false"}}));
    tell("venue disconnected: no new risk until it is back and reconciled");
    return;
  }
  SyncOutcome out = sync(true);
  if (!venue_.cancels_on_disconnect()) cancel_all_working(out);
  risk_.set_venue_unavailable(false);
  note("venue_reconnected", out.to_json());
  run_.last_reconciliations.push_back(out);
  tell("venue reconnected: " + out.to_json());
}

void PaperSession::apply_foreign_fill(const VenueFill& f, SyncOutcome& out) {
  const Fill fill{f.time, f.client_order_id, f.instrument, f.side, f.qty, f.price, f.fee, f.maker};
  auto effect = portfolio_.apply_fill(fill);
  if (!effect.ok()) {
    note("engine_error", json_object({{"message", "foreign fill " + std::to_string(f.trade_id) + ": " + effect.error().message}}));
    return;
  }
  const StoredFill stored{f.trade_id, f.client_order_id, f.instrument, f.side, f.qty, f.price, f.fee, f.maker, f.time};
  Status s = durable_.foreign_fill_applied(stored, portfolio_);
  if (!s.ok()) {
    note("engine_error", json_object({{"message", s.error().message}}));
    return;
  }
  ++out.foreign_fills_applied;
  note("foreign_fill", json_object({{"trade_id", std::to_string(f.trade_id)}, {"client_order_id", f.client_order_id.str()}}));
}

void PaperSession::handle_unknown_order(const VenueOrder& v, SyncOutcome& out) {
  if (options_.unknown_orders == UnknownOrderPolicy::kCancel) {
    ApprovedCancel c = gateway_.cancel(CancelIntent{v.client_order_id, AccountId{}, inst_.id,
                                                    *SourceId::parse("reconciler"), now_},
                                       now_);
    Status s = venue_.cancel(std::move(c));
    if (s.ok()) ++out.unknown_orders_cancelled;
    note("unknown_order", json_object({{"client_order_id", v.client_order_id.str()},
                                       {"action", s.ok() ? "cancelled" : "cancel_failed: " + (s.ok() ? "" : s.error().message)}}));
    return;
  }
  // Adopt: manage it from now on as if we had placed it (it counts against the limits).
  OrderIntent intent;
  intent.client_order_id = v.client_order_id;
  intent.instrument = inst_.id;
  intent.source = *SourceId::parse("adopted");
  intent.side = v.side;
  intent.type = v.type;
  intent.qty = v.qty;
  intent.limit_price = v.limit_price;
  intent.post_only = v.post_only;
  intent.time = v.created;
  Order order(intent, v.qty, v.limit_price, now_);
  (void)order.submit(now_);
  StoredOrder stored{order.snapshot(), 0, v.limit_price.raw > 0 ? v.limit_price : bar_.close, now_, false};
  stored.order.intent.source = intent.source;
  Status s = store_->record_new_order(stored);
  if (!s.ok()) {
    note("engine_error", json_object({{"message", s.error().message}}));
    return;
  }
  (void)order.accept(now_, v.venue_order_id);
  flow_.adopt(std::move(order), stored.reference);
  if (Order* o = flow_.orders().find(v.client_order_id)) flow_.changed(*o, "adopted", false);
  ++out.unknown_orders_adopted;
  note("unknown_order", json_object({{"client_order_id", v.client_order_id.str()}, {"action", "adopted"}}));
}

SyncOutcome PaperSession::sync(bool startup) {
  SyncOutcome out;
  if (!venue_.connected()) {
    out.venue_reachable = false;
    return out;
  }
  // 1. Orders whose fate we do not know: ask the venue by client order id.
  for (const Order* w : flow_.orders().working()) {
    // Orders waiting for a retry belong to the retry (which queries before it re-sends).
    if (w->status() != OrderStatus::kSubmitted || flow_.has_pending_send(w->client_order_id())) continue;
    auto q = venue_.query_order(w->client_order_id());
    if (!q.ok()) {
      out.venue_reachable = false;
      return out;
    }
    Order* o = flow_.orders().find(w->client_order_id());
    if (!q->has_value()) {
      // The venue never received it: it ends here and is never re-sent (its decision is old).
      if (o->reject(now_, "not_received_by_venue").ok()) flow_.settle(*o, o->remaining_qty(), "not_received_by_venue");
      ++out.not_received;
      ++out.uncertain_resolved;
      continue;
    }
    if (o->accept(now_, (*q)->venue_order_id).ok()) flow_.changed(*o, startup ? "ack_recovered" : "ack_by_query", false);
    ++out.uncertain_resolved;
  }
  // 2. Fills the venue has and we do not: applied exactly once, by trade id.
  auto fills = venue_.fills_after(fill_cursor_);
  if (!fills.ok()) {
    out.venue_reachable = false;
    return out;
  }
  for (const VenueFill& f : *fills) {
    fill_cursor_ = std::max(fill_cursor_, f.trade_id);
    if (durable_.has_trade(f.trade_id)) continue;
    Order* o = flow_.orders().find(f.client_order_id);
    ++out.missing_fills_applied;
    if (o != nullptr && o->is_open()) {
      flow_.on_execution(fill_report(f));
    } else {
      apply_foreign_fill(f, out);
    }
  }
  // 3. Orders the venue has working that we do not know.
  auto open = venue_.open_orders();
  if (!open.ok()) {
    out.venue_reachable = false;
    return out;
  }
  std::unordered_set<ClientOrderId> venue_open;
  for (const VenueOrder& v : *open) {
    venue_open.insert(v.client_order_id);
    const Order* o = flow_.orders().find(v.client_order_id);
    if (o == nullptr || !o->is_open()) handle_unknown_order(v, out);
  }
  // 4. Orders working here that the venue has ended.
  for (const Order* w : flow_.orders().working()) {
    if (venue_open.count(w->client_order_id()) != 0) continue;
    auto q = venue_.query_order(w->client_order_id());
    if (!q.ok() || !q->has_value()) continue;
    Order* o = flow_.orders().find(w->client_order_id());
    const VenueOrder& v = **q;
    if (v.status == VenueOrderStatus::kCancelled || v.status == VenueOrderStatus::kRejected) {
      const Qty remaining = o->remaining_qty();
      const std::string reason = v.reason.empty() ? std::string(to_string(v.status)) : v.reason;
      const bool acknowledged = o->status() == OrderStatus::kOpen || o->status() == OrderStatus::kPartiallyFilled;
      Status s = v.status == VenueOrderStatus::kCancelled || acknowledged ? o->cancel(now_, reason) : o->reject(now_, reason);
      if (s.ok()) {
        flow_.settle(*o, remaining, reason);
        ++out.orders_settled;
      }
    }
  }
  check_balances(out);
  if (!startup) note("reconciliation", out.to_json());
  crash_point::pass("reconciled");
  return out;
}

void PaperSession::check_balances(SyncOutcome& out) {
  auto b = venue_.balances();
  if (!b.ok()) {
    out.venue_reachable = false;
    return;
  }
  out.cash_difference = b->cash - portfolio_.cash();
  out.base_difference = b->base - portfolio_.position(inst_.id).qty;
  const bool cash_off = abs64(out.cash_difference.raw) > options_.balance_tolerance.raw;
  if (cash_off || out.base_difference.raw != 0) {
    out.balance_mismatch = true;
    if (!risk_.safe_mode()) {
      out.safe_mode_entered = true;
      enter_safe_mode("balance mismatch: venue cash - local = " + to_string(out.cash_difference) + ", holdings - local = " +
                      format_decimal(out.base_difference.raw, inst_.qty_decimals));
    }
  }
}

void PaperSession::cancel_all_working(SyncOutcome& out) {
  // Guardian: nothing stays working across a lost connection unless we see it again.
  for (const Order* w : flow_.orders().working()) {
    const ClientOrderId id = w->client_order_id();
    flow_.cancel(id, *SourceId::parse("guardian"));
    ++out.orders_cancelled_on_resume;
  }
  venue_.poll();
}

void PaperSession::apply_operator_actions(bool force) {
  auto v = store_->data_version();
  if (!v.ok() || (*v == store_version_ && !force)) return;
  store_version_ = *v;
  auto actions = store_->pending_operator_actions();
  if (!actions.ok()) return;
  for (const PendingAction& a : *actions) {
    if (a.action == OperatorAction::kKill) {
      risk_.kill();
    } else {
      risk_.resume();
      risk_.set_safe_mode(false);
      loaded_.controls.safe_reason.clear();
    }
    Status s = save_controls(a.reason, a.operator_name);
    note(a.action == OperatorAction::kKill ? "operator_kill" : "operator_resume",
         json_object({{"reason", a.reason}, {"operator", a.operator_name}, {"state", std::string(to_string(risk_.state()))}}));
    // Journaled (durably) before it is marked done: a crash in between journals it again
    // rather than never.
    if (s.ok()) s = journal_->flush();
    if (s.ok()) s = store_->mark_action_done(a.seq);
    if (!s.ok()) note("engine_error", json_object({{"message", s.error().message}}));
    tell(std::string("operator ") + std::string(to_string(a.action)) + " by " + a.operator_name + ": " + a.reason);
  }
  auto again = store_->data_version();
  if (again.ok()) store_version_ = *again;
}

void PaperSession::evaluate_limits() {
  const RiskEvent event = risk_.update(flow_.account_state(bar_.close));
  if (event == RiskEvent::kNone) return;
  note("risk_event", run_notes::risk_event(event, portfolio_.equity()));
  Status s = save_controls(std::string(to_string(event)), "risk_guard");
  if (!s.ok()) note("engine_error", json_object({{"message", s.error().message}}));
  tell("risk event: " + std::string(to_string(event)));
  if (event == RiskEvent::kEmergencyLockdown) {
    const Qty pos = portfolio_.position(inst_.id).qty;
    if (pos.raw != 0)
      flow_.submit(OrderRequest{pos.raw > 0 ? Side::kSell : Side::kBuy, OrderType::kMarket, Qty::from_raw(abs64(pos.raw)), {},
                                false, true},
                   *SourceId::parse("risk_guard"), bar_.close, bar_.volume);
  }
}

void PaperSession::fire_timers() {
  if (timers_.empty()) return;
  std::sort(timers_.begin(), timers_.end());
  std::size_t due = 0;
  while (due < timers_.size() && timers_[due] <= now_) ++due;
  std::vector<Timestamp> fired(timers_.begin(), timers_.begin() + static_cast<std::ptrdiff_t>(due));
  timers_.erase(timers_.begin(), timers_.begin() + static_cast<std::ptrdiff_t>(due));
  for (Timestamp t : fired) guarded([&] { strategy_.on_timer(*this, t); });
}

Status PaperSession::persist_marks() {
  const PortfolioSnapshot now = portfolio_.snapshot();
  if (now.equity_peak == last_saved_.equity_peak && now.start_of_day_equity == last_saved_.start_of_day_equity &&
      now.day == last_saved_.day && now.cash == last_saved_.cash)
    return Status::Ok();
  last_saved_ = now;
  // Peaks and day starts: losing the last one to a power cut only loosens nothing (the next bar
  // writes it again), so no fsync.
  return store_->save_portfolio(now, StateSync::kProcessCrash);
}

void PaperSession::on_bar(const Bar& bar, Duration interval) {
  set_now(bar.time);
  if (utc_day(bar.time) != portfolio_.current_day()) {
    portfolio_.start_day(bar.time);
    risk_.start_day();
  }
  Status matched = exchange_->on_bar(bar);
  if (!matched.ok()) note("engine_error", json_object({{"message", matched.error().message}}));
  venue_.poll();
  bar_ = bar;
  set_now(bar.time + interval);
  (void)portfolio_.mark(inst_.id, bar.close);
  evaluate_limits();
  guarded([&] { strategy_.on_bar(*this, bar); });
  venue_.poll();
  flow_.retry_due();
  fire_timers();
  apply_operator_actions();
  if (options_.drill) {
    PaperDrill d{*exchange_, venue_, run_.bars + 1, now_};
    if (options_.drill(d)) reconcile();
  }
  watch_connection();
  Status saved = persist_marks();
  if (!saved.ok()) note("engine_error", json_object({{"message", saved.error().message}}));
  crash_point::pass("bar done");
}

Result<PaperRun> PaperSession::run(std::span<const Bar> bars) {
  const Duration interval = config_.bar_interval.ns > 0 ? config_.bar_interval
                                                        : Duration{bars.size() > 1 ? bars[1].time.ns - bars[0].time.ns : 60'000'000'000};
  // Resume after the last bar the exchange matched: a restarted replay never matches a bar twice.
  const Timestamp last = exchange_->last_bar_time();
  const auto first = std::upper_bound(bars.begin(), bars.end(), last, [](Timestamp t, const Bar& b) { return t < b.time; });
  std::span<const Bar> todo(first, bars.end());
  if (options_.max_bars > 0 && todo.size() > options_.max_bars) todo = todo.first(options_.max_bars);
  if (!todo.empty()) set_now(todo.front().time);
  guarded([&] { strategy_.on_start(*this); });

  ReplayFeed feed(todo, options_.speed, interval);
  auto next_reconcile = WallClock::now() + options_.reconcile_interval;
  for (;;) {
    if (flow_.halted()) break;
    if (options_.stop != nullptr && options_.stop->load()) {
      note("stop_requested", "{}");
      break;
    }
    // Wake at least every 200 ms so a stop request is seen even between slow bars.
    auto bar = feed.bus().pop_until(std::min(next_reconcile, WallClock::now() + std::chrono::milliseconds(200)));
    if (WallClock::now() >= next_reconcile) {
      reconcile();
      next_reconcile = WallClock::now() + options_.reconcile_interval;
    }
    flow_.retry_due();
    if (!bar) {
      if (feed.bus().closed() && feed.bus().size() == 0) break;
      continue;
    }
    on_bar(*bar, interval);
    ++run_.bars;
  }
  if (flow_.halted()) {
    note("halted", json_object({{"reason", flow_.halt_reason().error().message}}));
    (void)journal_->flush();
    return flow_.halt_reason().error();
  }
  run_.data_exhausted = bars.empty() || exchange_->last_bar_time() >= bars.back().time;
  if (feed.bus().dropped() > 0) note("market_data_dropped", json_object({{"bars", std::to_string(feed.bus().dropped())}}));
  run_.boot = boot_;
  run_.equity = portfolio_.equity();
  run_.cash = portfolio_.cash();
  run_.position = portfolio_.position(inst_.id).qty;
  run_.trading_state = risk_.state();
  run_.safe_mode = risk_.safe_mode();
  return run_;
}

Status PaperSession::close() {
  Status saved = store_->save_portfolio(portfolio_.snapshot(), StateSync::kDurable);
  note("session_end", json_object({{"boot", std::to_string(boot_)}, {"equity", to_string(portfolio_.equity())}}));
  Status closed = journal_->close();
  if (!saved.ok()) return saved;
  return closed;
}

// Opens everything in order and refuses, before anything trades, what cannot be right.
Result<std::unique_ptr<PaperSession>> open_session(const BacktestConfig& config, Strategy& strategy,
                                                   const PaperOptions& options) {
  auto risk = RiskGuard::create(config.risk_profile, TradingMode::kPaper);
  if (!risk.ok()) return risk.error();
  if (options.state_path.empty() || options.journal_path.empty() || options.venue_path.empty())
    return make_error(ErrorCode::kInvalidArgument, "paper trading needs a state file, a journal file and a venue file");
  for (const std::string* p : {&options.state_path, &options.journal_path, &options.venue_path}) {
    const auto dir = std::filesystem::path(*p).parent_path();
    std::error_code ec;
    if (!dir.empty()) std::filesystem::create_directories(dir, ec);
    if (ec) return make_error(ErrorCode::kIo, "cannot create directory '" + dir.string() + "': " + ec.message());
  }
  auto lock = TraderLock::acquire(options.state_path);
  if (!lock.ok()) return lock.error();
  auto store = StateStore::open(options.state_path, StateOpenOptions{true, false});
  if (!store.ok()) return store.error();
  const AccountSetup setup{config.strategy_name, config.instrument.symbol, config.starting_cash};
  Status s = (*store)->initialize(setup, Timestamp{});
  if (!s.ok()) return s.error();
  auto boot = (*store)->next_boot();
  if (!boot.ok()) return boot.error();
  if (!options.config_hash.empty()) {
    s = (*store)->set_config_hash(options.config_hash);
    if (!s.ok()) return s.error();
  }
  auto loaded = (*store)->load();
  if (!loaded.ok()) return loaded.error();
  JournalOptions jo;
  jo.durability = JournalDurability::kFull;
  jo.queue_capacity = 1 << 12;
  auto journal = AuditJournal::open(options.journal_path, jo);
  if (!journal.ok()) return journal.error();
  PaperExchangeConfig xc{config.instrument, config.starting_cash, Qty{}, config.venue.model, config.venue.allow_short};
  auto exchange = PaperExchange::open(options.venue_path, xc);
  if (!exchange.ok()) return exchange.error();
  auto session = std::make_unique<PaperSession>(config, options, strategy, std::move(*risk), std::move(*lock),
                                                std::move(*store), std::move(*journal), std::move(*exchange),
                                                std::move(*loaded), *boot);
  s = session->recover();
  if (!s.ok()) return s.error();
  return session;
}

}  // namespace

Result<PaperRun> run_paper(const BacktestConfig& config, std::span<const Bar> bars, Strategy& strategy,
                           const PaperOptions& options) {
  auto session = open_session(config, strategy, options);
  if (!session.ok()) return session.error();
  auto run = (*session)->run(bars);
  Status closed = (*session)->close();
  if (!run.ok()) return run.error();
  if (!closed.ok()) return closed.error();
  PaperRun out = *run;
  out.journal_head_hash = (*session)->head_hash();
  return out;
}

Result<SyncOutcome> reconcile_paper_once(const BacktestConfig& config, std::span<const Bar> /*bars*/, Strategy& strategy,
                                         const PaperOptions& options) {
  auto session = open_session(config, strategy, options);
  if (!session.ok()) return session.error();
  SyncOutcome out = (*session)->sync(false);
  Status closed = (*session)->close();
  if (!closed.ok()) return closed.error();
  return out;
}

}  // namespace cst
