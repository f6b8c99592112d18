#include "cst/engine/replay_feed.hpp"
#include "paper_session_impl.hpp"

namespace cst {
namespace paper_detail {

std::string id_prefix(std::string_view strategy, std::uint64_t boot) {
  std::string p;
  for (char c : strategy.substr(0, 16)) p += (c == '_' || std::isalnum(static_cast<unsigned char>(c))) ? c : '-';
  if (p.empty()) p = "s";
  // The boot number makes every process's ids new: an id is never used twice, even one a
  // crashed process had decided on but never stored.
  return p + "-" + std::to_string(boot);
}

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += separator;
    out += s;
  }
  return out;
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

void PaperSession::raise_alert(const std::string& kind, const std::string& reason, const std::string& text) {
  note("alert", json_object({{"kind", kind}, {"reason", reason}}));
  const std::string line = "ALERT " + text;
  if (options_.alert)
    options_.alert(line);
  else
    tell(line);
}

void PaperSession::enter_safe_mode(const std::string& reason) {
  if (risk_.safe_mode()) return;
  risk_.set_safe_mode(true);
  loaded_.controls.safe_reason = reason;
  loaded_.controls.safe_since = now_;
  Status s = save_controls(loaded_.controls.reason, loaded_.controls.operator_name);
  raise_alert("safe_mode", reason, "safe mode (reduce-only): " + reason);
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
  s = restore_security();
  if (!s.ok()) return s;
  start_keys();
  if (key_blocked_) {
    (void)journal_->flush();
    return make_error(ErrorCode::kUnavailable, "no usable API key for venue '" + options_.keys->venue +
                                                   "' (rotation overdue or revoked): add one with `cst keys add` or "
                                                   "`cst keys rotate` before starting");
  }
  s = take_config_in_force();
  if (!s.ok()) return s;
  risk_.set_venue_unavailable(true);  // until the venue and our state agree
  for (const StoredOrder& o : loaded_.open_orders) {
    auto order = Order::restore(o.order);
    if (!order.ok()) return order.error();
    flow_.adopt(std::move(*order), o.reference);
  }
  note("recovery_start", json_object({{"boot", std::to_string(boot_)},
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

void PaperSession::apply_operator_actions(bool force) {
  auto v = store_->data_version();
  if (!v.ok() || (*v == store_version_ && !force)) return;
  store_version_ = *v;
  auto actions = store_->pending_operator_actions();
  if (!actions.ok()) return;
  for (const PendingAction& a : *actions) {
    std::string refused;
    if (a.action == OperatorAction::kResume && !resume_is_signed(a, &refused)) {
      note("operator_resume_refused",
           json_object({{"reason", a.reason}, {"operator", a.operator_name}, {"why", refused}}));
      security_event(security::SecurityEventKind::kForgedSignature,
                     "resume by " + a.operator_name + " refused: " + refused);
      Status s = store_->mark_action_done(a.seq);
      if (!s.ok()) note("engine_error", json_object({{"message", s.error().message}}));
      continue;
    }
    if (a.action == OperatorAction::kKill) {
      risk_.kill();
    } else {
      risk_.resume();
      risk_.set_safe_mode(false);
      loaded_.controls.safe_reason.clear();
      // The operator has reviewed the incidents so far: they stop forcing SEVERE.
      monitor_.acknowledge(now_);
      Status ack = store_->acknowledge_security_events(now_);
      if (!ack.ok()) note("engine_error", json_object({{"message", ack.error().message}}));
      update_threat();
    }
    Status s = save_controls(a.reason, a.operator_name);
    note(a.action == OperatorAction::kKill ? "operator_kill" : "operator_resume",
         json_object(
             {{"reason", a.reason}, {"operator", a.operator_name}, {"state", std::string(to_string(risk_.state()))}}));
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
  raise_alert(
      "risk_event", std::string(to_string(event)),
      "risk event " + std::string(to_string(event)) + ": trading state " + std::string(to_string(risk_.state())));
  if (event == RiskEvent::kEmergencyLockdown) flatten("risk_guard");
}

void PaperSession::flatten(std::string_view source) {
  const Qty pos = portfolio_.position(inst_.id).qty;
  if (pos.raw == 0) return;
  note("flatten",
       json_object({{"source", std::string(source)}, {"position", format_decimal(pos.raw, inst_.qty_decimals)}}));
  flow_.submit(
      OrderRequest{
          pos.raw > 0 ? Side::kSell : Side::kBuy, OrderType::kMarket, Qty::from_raw(abs64(pos.raw)), {}, false, true},
      *SourceId::parse(source), bar_.close, bar_.volume);
}

void PaperSession::warm_up(std::span<const Bar> history, Duration interval) {
  if (history.empty()) return;
  // The account is today's (position, equity); the market is the past's. Marks, limits and
  // the exchange are left alone: these bars were traded by an earlier process.
  warming_up_ = true;
  for (const Bar& b : history) {
    if (stopped_) break;
    bar_ = b;
    set_now(b.time + interval);  // the bar's close, as on_bar shows it
    guarded([&] { strategy_.on_bar(*this, b); });
  }
  warming_up_ = false;
  note("strategy_warm_up", json_object({{"bars", std::to_string(history.size())},
                                        {"last_bar_ns", std::to_string(history.back().time.ns)}}));
  tell("strategy warmed up on " + std::to_string(history.size()) + " earlier bars");
}

void PaperSession::fire_timers() {
  for (Timestamp t : timers_.take_due(now_)) guarded([&] { strategy_.on_timer(*this, t); });
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
  if (flatten_pending_) {
    flatten_pending_ = false;
    flatten("security");
  }
  update_threat();  // events age out of the window
  check_keys();
  guarded([&] { strategy_.on_bar(*this, bar); });
  venue_.poll();
  flow_.retry_due();
  fire_timers();
  apply_operator_actions();
  process_approvals();
  if (options_.config_check_interval.count() == 0) watch_config_file(true);
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
  const Duration interval = config_.bar_interval.ns > 0
                                ? config_.bar_interval
                                : Duration{bars.size() > 1 ? bars[1].time.ns - bars[0].time.ns : 60'000'000'000};
  // Resume after the last bar the exchange matched: a restarted replay never matches a bar twice.
  const Timestamp last = exchange_->last_bar_time();
  const auto first =
      std::upper_bound(bars.begin(), bars.end(), last, [](Timestamp t, const Bar& b) { return t < b.time; });
  std::span<const Bar> todo(first, bars.end());
  if (options_.max_bars > 0 && todo.size() > options_.max_bars) todo = todo.first(options_.max_bars);
  if (!todo.empty()) set_now(todo.front().time);
  guarded([&] { strategy_.on_start(*this); });
  const auto history = static_cast<std::uint64_t>(first - bars.begin());
  warm_up(std::span<const Bar>(first - static_cast<std::ptrdiff_t>(std::min(history, options_.warm_up_bars)), first),
          interval);
  if (!todo.empty()) set_now(todo.front().time);

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
    if (options_.config_check_interval.count() > 0) watch_config_file();
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
  if (feed.bus().dropped() > 0)
    note("market_data_dropped", json_object({{"bars", std::to_string(feed.bus().dropped())}}));
  run_.boot = boot_;
  run_.equity = portfolio_.equity();
  run_.cash = portfolio_.cash();
  run_.position = portfolio_.position(inst_.id).qty;
  run_.trading_state = risk_.state();
  run_.safe_mode = risk_.safe_mode();
  return run_;
}

Status PaperSession::close() {
  // A held order was never sent; nobody will be here to release it.
  expire_all_held("trader_stopped");
  save_key_usage();
  Status saved = store_->save_portfolio(portfolio_.snapshot(), StateSync::kDurable);
  note("session_end", json_object({{"boot", std::to_string(boot_)}, {"equity", to_string(portfolio_.equity())}}));
  Status closed = journal_->close();
  if (!saved.ok()) return saved;
  return closed;
}

// Opens everything in order and refuses, before anything trades, what cannot be right.
Result<std::unique_ptr<PaperSession>> open_session(const BacktestConfig& config, std::span<const Bar> bars,
                                                   Strategy& strategy, const PaperOptions& options) {
  auto risk = config.risk_limits ? RiskGuard::create(config.risk_profile, TradingMode::kPaper, *config.risk_limits)
                                 : RiskGuard::create(config.risk_profile, TradingMode::kPaper);
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
  const AccountSetup setup{config.strategy_name, config.instrument.symbol, config.starting_cash,
                           config.instrument.price_decimals, config.instrument.qty_decimals};
  Status s = (*store)->initialize(setup, Timestamp{});
  if (!s.ok()) return s.error();
  auto boot = (*store)->next_boot();
  if (!boot.ok()) return boot.error();
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
  auto session =
      std::make_unique<PaperSession>(config, options, strategy, std::move(*risk), std::move(*lock), std::move(*store),
                                     std::move(*journal), std::move(*exchange), std::move(*loaded), *boot);
  // The clock starts where the replay resumes: recovery's notes and cancels carry that time.
  const Timestamp resumed = session->exchange_last_bar();
  session->start_clock(resumed.ns > 0 ? resumed : (bars.empty() ? Timestamp{} : bars.front().time));
  s = session->recover();
  if (!s.ok()) return s.error();
  return session;
}

}  // namespace paper_detail

using paper_detail::open_session;

Result<PaperRun> run_paper(const BacktestConfig& config, std::span<const Bar> bars, Strategy& strategy,
                           const PaperOptions& options) {
  auto session = open_session(config, bars, strategy, options);
  if (!session.ok()) return session.error();
  auto run = (*session)->run(bars);
  Status closed = (*session)->close();
  if (!run.ok()) return run.error();
  if (!closed.ok()) return closed.error();
  PaperRun out = *run;
  out.journal_head_hash = (*session)->head_hash();
  return out;
}

Result<SyncOutcome> reconcile_paper_once(const BacktestConfig& config, std::span<const Bar> bars, Strategy& strategy,
                                         const PaperOptions& options) {
  auto session = open_session(config, bars, strategy, options);
  if (!session.ok()) return session.error();
  SyncOutcome out = (*session)->sync(false);
  Status closed = (*session)->close();
  if (!closed.ok()) return closed.error();
  return out;
}

}  // namespace cst
