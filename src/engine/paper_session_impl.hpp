// The paper session's class, shared by its two source files: paper_session.cpp (start-up,
// the bar loop, operator actions, shut-down) and paper_sync.cpp (what it does with the venue:
// reports, reconciliation, unknown orders, balances, the guardian). Private to src/engine.
#pragma once

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <unordered_set>

#include "cst/audit/audit_journal.hpp"
#include "cst/audit/json_writer.hpp"
#include "cst/engine/crash_point.hpp"
#include "cst/engine/order_flow.hpp"
#include "cst/engine/paper_session.hpp"
#include "cst/engine/run_notes.hpp"
#include "cst/engine/store_durable_log.hpp"
#include "cst/engine/strategy_calls.hpp"
#include "cst/gateway/execution_gateway.hpp"
#include "cst/portfolio/portfolio.hpp"
#include "cst/risk/risk_guard.hpp"
#include "cst/security/security_monitor.hpp"
#include "cst/state/state_store.hpp"
#include "cst/state/trader_lock.hpp"
#include "cst/venues/paper_exchange.hpp"

namespace cst::paper_detail {

using WallClock = std::chrono::steady_clock;

std::string id_prefix(std::string_view strategy, std::uint64_t boot);
// "a, b, c" for a journal note or a message.
std::string joined(const std::vector<std::string>& items, std::string_view separator);
std::string json_object(std::initializer_list<std::pair<std::string_view, std::string>> fields);
ExecutionReport fill_report(const VenueFill& f);

class PaperSession final : public ExecutionListener,
                           public OrderFlowListener,
                           public StrategyContext,
                           public RequestGate {
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
        boot_(boot),
        monitor_(options.security) {
    flow_.set_retry_policy(options.retry);
    flow_.set_hold_threshold(options.multisig.threshold);
  }

  Status recover();
  // Reviews the configuration against the one last in force; refuses (after a persisted
  // lockdown) an unapproved RESTRICTED change. Otherwise stores it as the new baseline.
  Status take_config_in_force();
  // Re-hashes the running configuration file when due; a change → lockdown.
  void watch_config_file(bool force = false);
  Timestamp exchange_last_bar() const { return exchange_->last_bar_time(); }
  void start_clock(Timestamp t) { set_now(t); }
  SyncOutcome sync(bool startup);
  void reconcile() {
    save_key_usage();
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
    if (warming_up_) return SubmitResult{false, ClientOrderId{}, Qty{}, ReasonCode::kWarmUp};
    const auto before = flow_.orders().open_orders();
    const TradingState state_before = risk_.state();
    const std::size_t held_before = flow_.held().size();
    SubmitResult r = flow_.submit(request, source_, bar_.close, bar_.volume);
    if (risk_.state() == TradingState::kLockdown && state_before != TradingState::kLockdown)
      ceiling_attempt(request, r);
    if (flow_.held().size() > held_before) {
      hold_new_orders(held_before);  // counted as sent when released
    } else if (flow_.orders().open_orders() > before || r.approved) {
      ++run_.orders_sent;
    }
    return r;
  }
  // A warming-up strategy has no orders of its own yet, and its timers belong to the past.
  void cancel(const ClientOrderId& id) override {
    if (!warming_up_) flow_.cancel(id, source_);
  }
  void set_timer(Timestamp at) override {
    if (!warming_up_) timers_.add(at);
  }

  // ExecutionListener: reports from the paper venue, on this thread.
  void on_execution(const ExecutionReport& r) override;
  // OrderFlowListener
  void on_fill(const Fill& fill, const FillEffect&) override {
    ++run_.fills;
    tell("fill " + fill.client_order_id.str() + " " + std::string(to_string(fill.side)) + " " +
         format_decimal(fill.qty.raw, inst_.qty_decimals) + " @ " +
         format_decimal(fill.price.raw, inst_.price_decimals));
    guarded([&] { strategy_.on_fill(*this, fill); });
  }
  void on_flow_error(std::string message) override { note("engine_error", json_object({{"message", message}})); }
  // RequestGate: signing each venue request with the key manager's usable key.
  Status authorize(std::string_view endpoint) override;
  void accepted(std::string_view endpoint, bool ok) override;

 private:
  void tell(const std::string& line) {
    if (options_.progress) options_.progress(line);
  }
  void note(std::string kind, std::string json) {
    journal_->append(NoteRecord{now_, std::move(kind), std::move(json)});
  }
  void set_now(Timestamp t) {
    now_ = t;
    flow_.set_now(t);
  }
  template <class F>
  void guarded(F&& call);
  Status save_controls(std::string reason, std::string operator_name);
  void on_bar(const Bar& bar, Duration interval);
  void evaluate_limits();
  // A reduce-only market order for the whole position (emergency stop, lockdown with flatten).
  void flatten(std::string_view source);
  // Kill/resume written by `cst kill`/`cst resume`; checked when another process wrote the store.
  void apply_operator_actions(bool force = false);
  // A resume needs a valid Ed25519 signature by an operator of the configuration in force over
  // the action as stored (account, the controls' time it clears, operator, reason, time).
  // Whoever can write the state file could change the controls themselves; the signature
  // guards the operator channel and proves in the journal who resumed.
  bool resume_is_signed(const PendingAction& a, std::string* why) const;
  void apply_foreign_fill(const VenueFill& f, SyncOutcome& out);
  void handle_unknown_order(const VenueOrder& v, SyncOutcome& out);
  void cancel_all_working(SyncOutcome& out);
  void check_balances(SyncOutcome& out);
  void enter_safe_mode(const std::string& reason);
  // Lockdown for a security reason: persisted, journaled, alerted. Cancels stay allowed.
  void lock_down(const std::string& kind, const std::string& reason);
  // Records a security event (state, journal), locks down if it triggers, updates the threat.
  void security_event(security::SecurityEventKind kind, const std::string& detail);
  // Re-evaluates the threat level; a change tightens or loosens the gateway and is journaled.
  void update_threat(bool force = false);
  // Starts the key manager (if keys are configured) and journals the keys in use.
  void start_keys();
  // A usable key for the venue now? If not, no new risk until one is added; journaled once.
  void check_keys();
  void key_finding(const security::KeyReport& r);
  void journal_vault_changes(Timestamp now);
  // Usage totals per key into the state (cst keys list --state): at each reconciliation and close.
  void save_key_usage();
  // People's time: options_.wall_clock, else the system clock.
  Timestamp wall_now() const;
  // Multi-signature: registers orders the flow just held; applies operators' approvals,
  // releases orders with enough of them and rejects those past their timeout.
  void hold_new_orders(std::size_t held_before);
  void process_approvals();
  void expire_all_held(std::string_view reason);
  // Puts back the recent security events and whether the lockdown is a security one.
  Status restore_security();
  // The gateway locked the account down on this order (leverage or position ceiling).
  void ceiling_attempt(const OrderRequest& request, const SubmitResult& r);
  // Journals an alert and tells the operator (PaperOptions::alert, else progress).
  void raise_alert(const std::string& kind, const std::string& reason, const std::string& text);
  void fire_timers();
  // Shows the strategy `history` (bars already traded) without letting it trade.
  void warm_up(std::span<const Bar> history, Duration interval);
  Status persist_marks();
  // Guardian: no new risk while the venue is unreachable; on reconnect, cancel what was working
  // (unless the venue cancelled it on disconnect), reconcile, then resume.
  void watch_connection();
  bool was_connected_ = true;
  bool config_tampered_ = false;
  bool flatten_pending_ = false;
  WallClock::time_point next_config_check_{};

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
  security::SecurityMonitor monitor_;
  security::ThreatLevel threat_ = security::ThreatLevel::kLow;
  std::optional<security::KeyManager> key_manager_;
  std::string signing_key_;
  bool key_blocked_ = false;
  // Held orders: wall-clock deadline and the operators whose approval counted, by client id.
  struct HoldState {
    Timestamp expires;
    std::vector<std::string> approved_by;
  };
  std::map<std::string, HoldState> holds_;
  TimerQueue timers_;
  Timestamp now_;
  Bar bar_{};
  bool stopped_ = false;
  bool warming_up_ = false;
  std::uint64_t fill_cursor_ = 0;  // venue fills up to here have been seen by a sync
  std::int64_t store_version_ = 0;
  PortfolioSnapshot last_saved_;
  PaperRun run_;
};

template <class F>
void PaperSession::guarded(F&& call) {
  call_strategy(stopped_, call, [&](const std::string& what) {
    note("strategy_stopped", run_notes::strategy_stopped(std::string(strategy_.name()) + ": " + what));
  });
}

}  // namespace cst::paper_detail
