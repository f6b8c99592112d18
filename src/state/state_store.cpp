#include "cst/state/state_store.hpp"

#include <algorithm>

#include "cst/state/state_schema.hpp"

namespace cst {
namespace {

constexpr const char* kOrderColumns =
    "client_order_id, decision_id, source, instrument, side, type, qty, limit_price, post_only, reduce_only,"
    " reference_price, status, venue_order_id, filled, fill_value, created_ns, updated_ns, uncertain";

std::string int128_text(int128 v) {
  if (v == 0) return "0";
  const bool negative = v < 0;
  uint128 u = negative ? static_cast<uint128>(-(v + 1)) + 1 : static_cast<uint128>(v);
  std::string s;
  while (u > 0) {
    s.push_back(static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  }
  if (negative) s.push_back('-');
  std::reverse(s.begin(), s.end());
  return s;
}

Result<int128> parse_int128(std::string_view text, const std::string& what) {
  auto bad = [&] {
    return make_error(ErrorCode::kCorruption, what + ": '" + std::string(text) + "' is not an integer");
  };
  if (text.empty() || text.size() > 39) return bad();
  const bool negative = text.front() == '-';
  if (negative) text.remove_prefix(1);
  if (text.empty()) return bad();
  int128 v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return bad();
    v = v * 10 + (c - '0');
  }
  return negative ? -v : v;
}

template <class Id>
Result<Id> parse_id(std::string_view text, const std::string& what) {
  auto id = Id::parse(text);
  if (!id.ok()) return make_error(ErrorCode::kCorruption, what + ": " + id.error().message);
  return *id;
}

// Reads a row of kOrderColumns.
Result<StoredOrder> read_order(const sqlite::Statement& s, const std::string& path) {
  StoredOrder o;
  const std::string where = "state store '" + path + "', order '" + std::string(s.text(0)) + "'";
  auto id = parse_id<ClientOrderId>(s.text(0), where);
  if (!id.ok()) return id.error();
  o.order.intent.client_order_id = *id;
  o.decision_id = static_cast<std::uint64_t>(s.int64(1));
  if (!s.text(2).empty()) {
    auto src = parse_id<SourceId>(s.text(2), where);
    if (!src.ok()) return src.error();
    o.order.intent.source = *src;
  }
  o.order.intent.instrument = InstrumentId{static_cast<std::uint32_t>(s.int64(3))};
  const std::int64_t side = s.int64(4), type = s.int64(5), status = s.int64(11);
  if (side < 0 || side > 1 || type < 0 || type > 1 || status < 0 || status >= kOrderStatusCount)
    return make_error(ErrorCode::kCorruption, where + ": side, type or status out of range");
  o.order.intent.side = static_cast<Side>(side);
  o.order.intent.type = static_cast<OrderType>(type);
  o.order.intent.qty = Qty::from_raw(s.int64(6));
  o.order.intent.limit_price = Price::from_raw(s.int64(7));
  o.order.intent.post_only = s.int64(8) != 0;
  o.order.intent.reduce_only = s.int64(9) != 0;
  o.reference = Price::from_raw(s.int64(10));
  o.order.status = static_cast<OrderStatus>(status);
  if (!s.text(12).empty()) {
    auto vid = parse_id<VenueOrderId>(s.text(12), where);
    if (!vid.ok()) return vid.error();
    o.order.venue_order_id = *vid;
  }
  o.order.filled = Qty::from_raw(s.int64(13));
  auto value = parse_int128(s.text(14), where + " fill_value");
  if (!value.ok()) return value.error();
  o.order.fill_value = *value;
  o.created = Timestamp{s.int64(15)};
  o.order.updated = Timestamp{s.int64(16)};
  o.order.intent.time = o.created;
  o.uncertain = s.int64(17) != 0;
  // The same consistency rules a restored Order enforces, so a damaged row is found at load.
  auto check = Order::restore(o.order);
  if (!check.ok()) return make_error(ErrorCode::kCorruption, "state store '" + path + "': " + check.error().message);
  return o;
}

Result<StoredFill> read_fill(const sqlite::Statement& s, const std::string& path) {
  StoredFill f;
  f.trade_id = static_cast<std::uint64_t>(s.int64(0));
  auto id = parse_id<ClientOrderId>(s.text(1), "state store '" + path + "', fill " + std::to_string(f.trade_id));
  if (!id.ok()) return id.error();
  f.client_order_id = *id;
  f.instrument = InstrumentId{static_cast<std::uint32_t>(s.int64(2))};
  f.side = s.int64(3) == 0 ? Side::kBuy : Side::kSell;
  f.qty = Qty::from_raw(s.int64(4));
  f.price = Price::from_raw(s.int64(5));
  f.fee = Money::from_raw(s.int64(6));
  f.maker = s.int64(7) != 0;
  f.time = Timestamp{s.int64(8)};
  return f;
}

}  // namespace

std::string_view to_string(OperatorAction a) { return a == OperatorAction::kKill ? "kill" : "resume"; }

struct StateStore::Statements {
  sqlite::Statement insert_order, update_order, insert_event, insert_fill, upsert_position, upsert_account,
      save_controls, set_meta;
};

StateStore::StateStore(sqlite::Database db, std::unique_ptr<Statements> st, bool has_account)
    : db_(std::move(db)), st_(std::move(st)), has_account_(has_account) {}

StateStore::~StateStore() = default;

Result<std::unique_ptr<StateStore>> StateStore::open(const std::string& path, const StateOpenOptions& options) {
  const auto mode = options.read_only           ? sqlite::OpenMode::kReadOnly
                    : options.create_if_missing ? sqlite::OpenMode::kReadWriteCreate
                                                : sqlite::OpenMode::kReadWrite;
  auto db = sqlite::Database::open(path, "state store", mode);
  if (!db.ok()) return db.error();
  auto kind = state_schema::inspect(*db);
  if (!kind.ok()) return kind.error();
  if (options.read_only && *kind == state_schema::FileKind::kEmpty)
    return make_error(ErrorCode::kNotFound, "state store '" + path + "' is empty: no trading process has used it yet");
  if (!options.read_only) {
    Status s = db->exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL");
    if (!s.ok()) return s.error();
    s = state_schema::create_or_migrate(*db);
    if (!s.ok()) return s.error();
  }
  auto has = db->query_int("SELECT count(*) FROM meta WHERE key = 'instrument'");
  if (!has.ok()) return has.error();

  auto st = std::make_unique<Statements>();
  if (!options.read_only) {
    struct {
      sqlite::Statement* target;
      std::string sql;
    } const prepared[] = {
        {&st->insert_order, std::string("INSERT INTO orders(") + kOrderColumns +
                                ") VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18)"},
        {&st->update_order,
         "UPDATE orders SET status = ?2, venue_order_id = ?3, filled = ?4, fill_value = ?5, updated_ns = ?6,"
         " uncertain = ?7 WHERE client_order_id = ?1"},
        {&st->insert_event,
         "INSERT INTO order_events(client_order_id, time_ns, status, qty, price, reason) VALUES (?1,?2,?3,?4,?5,?6)"},
        {&st->insert_fill,
         "INSERT OR IGNORE INTO fills(trade_id, client_order_id, instrument, side, qty, price, fee, maker, time_ns)"
         " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)"},
        {&st->upsert_position, "INSERT OR REPLACE INTO positions VALUES (?1,?2,?3,?4,?5,?6)"},
        {&st->upsert_account, "INSERT OR REPLACE INTO account VALUES (1,?1,?2,?3,?4,?5,?6)"},
        {&st->save_controls,
         "UPDATE controls SET trading_state = ?1, reason = ?2, operator = ?3, since_ns = ?4,"
         " safe_mode = ?5, safe_reason = ?6, safe_since_ns = ?7 WHERE id = 1"},
        {&st->set_meta, "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)"},
    };
    for (const auto& p : prepared) {
      auto s = db->prepare(p.sql);
      if (!s.ok()) return s.error();
      *p.target = std::move(*s);
    }
  }
  return std::unique_ptr<StateStore>(new StateStore(std::move(*db), std::move(st), **has > 0));
}

Status StateStore::set_sync(StateSync sync) {
  if (sync == sync_) return Status::Ok();
  Status s = db_.exec(sync == StateSync::kDurable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
  if (s.ok()) sync_ = sync;
  return s;
}

Status StateStore::initialize(const AccountSetup& setup, Timestamp now) {
  if (has_account_) return check_setup(setup);
  Status s = set_sync(StateSync::kDurable);
  if (!s.ok()) return s;
  auto tx = sqlite::Transaction::begin(db_);
  if (!tx.ok()) return tx.error();
  const std::pair<const char*, std::string> rows[] = {{"account", setup.account},
                                                      {"instrument", setup.instrument},
                                                      {"starting_cash", std::to_string(setup.starting_cash.raw)},
                                                      {"created_ns", std::to_string(now.ns)}};
  for (const auto& [key, value] : rows) {
    s = st_->set_meta.bind(1, key).bind(2, value).run();
    if (!s.ok()) return s;
  }
  for (const auto& [key, value] : {std::pair<const char*, int>{"price_decimals", setup.price_decimals},
                                   std::pair<const char*, int>{"qty_decimals", setup.qty_decimals}}) {
    if (value < 0) continue;
    s = st_->set_meta.bind(1, key).bind(2, std::to_string(value)).run();
    if (!s.ok()) return s;
  }
  PortfolioSnapshot p;
  p.starting_cash = p.cash = p.start_of_day_equity = p.equity_peak = setup.starting_cash;
  s = write_portfolio(p);
  if (!s.ok()) return s;
  s = tx->commit();
  if (s.ok()) has_account_ = true;
  return s;
}

Status StateStore::check_setup(const AccountSetup& setup) const {
  auto loaded = load();
  if (!loaded.ok()) return loaded.error();
  const AccountSetup& have = loaded->setup;
  if (have.instrument != setup.instrument)
    return make_error(ErrorCode::kInvalidArgument, "state store '" + path() + "' belongs to an account trading " +
                                                       have.instrument + ", not " + setup.instrument);
  if (have.starting_cash != setup.starting_cash)
    return make_error(ErrorCode::kInvalidArgument, "state store '" + path() + "' was started with cash " +
                                                       to_string(have.starting_cash) + ", the configuration says " +
                                                       to_string(setup.starting_cash) +
                                                       "; use a new state file for a new account");
  // Raw amounts read with other units would be off by powers of ten.
  const auto same_units = [&](int stored, int wanted, const char* what) -> Status {
    if (stored < 0 || wanted < 0 || stored == wanted) return Status::Ok();
    return make_error(ErrorCode::kInvalidArgument, "state store '" + path() + "' holds " + what + " with " +
                                                       std::to_string(stored) +
                                                       " decimals, the configured instrument has " +
                                                       std::to_string(wanted) + "; use a new state file for new units");
  };
  Status units = same_units(have.price_decimals, setup.price_decimals, "prices");
  if (units.ok()) units = same_units(have.qty_decimals, setup.qty_decimals, "quantities");
  return units;
}

Result<LoadedState> StateStore::load() const {
  LoadedState out;
  {
    auto meta = db_.prepare("SELECT key, value FROM meta");
    if (!meta.ok()) return meta.error();
    for (;;) {
      auto row = meta->step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      const std::string_view key = meta->text(0);
      if (key == "account")
        out.setup.account = meta->text(1);
      else if (key == "instrument")
        out.setup.instrument = meta->text(1);
      else if (key == "starting_cash")
        out.setup.starting_cash = Money::from_raw(meta->int64(1));
      else if (key == "price_decimals")
        out.setup.price_decimals = static_cast<int>(meta->int64(1));
      else if (key == "qty_decimals")
        out.setup.qty_decimals = static_cast<int>(meta->int64(1));
      else if (key == "boot")
        out.boot = static_cast<std::uint64_t>(meta->int64(1));
      else if (key == "config_hash")
        out.config_hash = meta->text(1);
      else if (key == "config_values")
        out.config_values = meta->text(1);
      else if (key == "keys_journaled_until")
        out.keys_journaled_until = Timestamp{meta->int64(1)};
    }
  }
  {
    auto acct = db_.prepare("SELECT starting_cash, cash, fees, start_of_day_equity, equity_peak, day FROM account");
    if (!acct.ok()) return acct.error();
    auto row = acct->step();
    if (!row.ok()) return row.error();
    if (*row) {
      PortfolioSnapshot p;
      p.starting_cash = Money::from_raw(acct->int64(0));
      p.cash = Money::from_raw(acct->int64(1));
      p.fees = Money::from_raw(acct->int64(2));
      p.start_of_day_equity = Money::from_raw(acct->int64(3));
      p.equity_peak = Money::from_raw(acct->int64(4));
      p.day = acct->int64(5);
      auto pos =
          db_.prepare("SELECT instrument, qty, cost, mark, realized_pnl, fees FROM positions ORDER BY instrument");
      if (!pos.ok()) return pos.error();
      for (;;) {
        auto r = pos->step();
        if (!r.ok()) return r.error();
        if (!*r) break;
        Position q;
        q.qty = Qty::from_raw(pos->int64(1));
        q.cost = Money::from_raw(pos->int64(2));
        q.mark = Price::from_raw(pos->int64(3));
        q.realized_pnl = Money::from_raw(pos->int64(4));
        q.fees = Money::from_raw(pos->int64(5));
        p.positions.push_back({InstrumentId{static_cast<std::uint32_t>(pos->int64(0))}, q});
      }
      out.portfolio = std::move(p);
    }
  }
  {
    auto c = db_.prepare(
        "SELECT trading_state, reason, operator, since_ns, safe_mode, safe_reason, safe_since_ns FROM controls");
    if (!c.ok()) return c.error();
    auto row = c->step();
    if (!row.ok()) return row.error();
    if (!*row) return make_error(ErrorCode::kCorruption, "state store '" + path() + "' has no controls row");
    const std::int64_t ts = c->int64(0);
    if (ts < 0 || ts > static_cast<std::int64_t>(TradingState::kLockdown))
      return make_error(ErrorCode::kCorruption, "state store '" + path() + "': trading state " + std::to_string(ts));
    out.controls.trading_state = static_cast<TradingState>(ts);
    out.controls.reason = c->text(1);
    out.controls.operator_name = c->text(2);
    out.controls.since = Timestamp{c->int64(3)};
    out.controls.safe_mode = c->int64(4) != 0;
    out.controls.safe_reason = c->text(5);
    out.controls.safe_since = Timestamp{c->int64(6)};
  }
  {
    auto o = db_.prepare(std::string("SELECT ") + kOrderColumns +
                         " FROM orders WHERE status < 4 ORDER BY created_ns, client_order_id");
    if (!o.ok()) return o.error();
    for (;;) {
      auto row = o->step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      auto order = read_order(*o, path());
      if (!order.ok()) return order.error();
      out.open_orders.push_back(std::move(*order));
    }
  }
  {
    auto f = db_.prepare("SELECT trade_id FROM fills ORDER BY trade_id");
    if (!f.ok()) return f.error();
    for (;;) {
      auto row = f->step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      out.trade_ids.push_back(static_cast<std::uint64_t>(f->int64(0)));
    }
  }
  auto count = db_.query_int("SELECT count(*) FROM orders");
  if (!count.ok()) return count.error();
  out.order_count = static_cast<std::uint64_t>(**count);
  return out;
}

Result<std::uint64_t> StateStore::next_boot() {
  Status s = set_sync(StateSync::kDurable);
  if (!s.ok()) return s.error();
  s = db_.exec("UPDATE meta SET value = value + 1 WHERE key = 'boot'");
  if (!s.ok()) return s.error();
  auto boot = db_.query_int("SELECT value FROM meta WHERE key = 'boot'");
  if (!boot.ok()) return boot.error();
  return static_cast<std::uint64_t>(**boot);
}

Status StateStore::set_config_in_force(const std::string& hash, const std::string& values_json) {
  Status s = set_sync(StateSync::kDurable);
  if (!s.ok()) return s;
  auto tx = sqlite::Transaction::begin(db_);
  if (!tx.ok()) return tx.error();
  s = st_->set_meta.bind(1, std::string_view("config_hash")).bind(2, hash).run();
  if (s.ok() && !values_json.empty()) {
    s = st_->set_meta.bind(1, std::string_view("config_values")).bind(2, values_json).run();
  }
  if (!s.ok()) return s;
  return tx->commit();
}

Status StateStore::record_new_order(const StoredOrder& o) {
  Status s = set_sync(StateSync::kDurable);
  if (!s.ok()) return s;
  auto tx = sqlite::Transaction::begin(db_);
  if (!tx.ok()) return tx.error();
  const OrderIntent& i = o.order.intent;
  auto& ins = st_->insert_order;
  ins.bind(1, i.client_order_id.view())
      .bind(2, static_cast<std::int64_t>(o.decision_id))
      .bind(3, i.source.view())
      .bind(4, static_cast<std::int64_t>(i.instrument.value))
      .bind(5, static_cast<std::int64_t>(i.side))
      .bind(6, static_cast<std::int64_t>(i.type))
      .bind(7, i.qty.raw)
      .bind(8, i.limit_price.raw)
      .bind(9, std::int64_t{i.post_only})
      .bind(10, std::int64_t{i.reduce_only})
      .bind(11, o.reference.raw)
      .bind(12, static_cast<std::int64_t>(o.order.status))
      .bind(13, o.order.venue_order_id.view())
      .bind(14, o.order.filled.raw)
      .bind(15, int128_text(o.order.fill_value))
      .bind(16, o.created.ns)
      .bind(17, o.order.updated.ns)
      .bind(18, std::int64_t{o.uncertain});
  s = ins.run();
  if (!s.ok()) {
    if (find_order(i.client_order_id).ok() && find_order(i.client_order_id)->has_value())
      return make_error(ErrorCode::kDuplicate, "state store '" + path() + "': client order id " +
                                                   i.client_order_id.str() + " was used before");
    return s;
  }
  s = st_->insert_event.bind(1, i.client_order_id.view())
          .bind(2, o.order.updated.ns)
          .bind(3, static_cast<std::int64_t>(o.order.status))
          .bind(4, std::int64_t{0})
          .bind(5, std::int64_t{0})
          .bind(6, std::string_view("decision " + std::to_string(o.decision_id)))
          .run();
  if (!s.ok()) return s;
  return tx->commit();
}

Status StateStore::write_order_state(const Order& order, std::string_view reason, bool uncertain) {
  const OrderSnapshot snap = order.snapshot();
  Status s = st_->update_order.bind(1, snap.intent.client_order_id.view())
                 .bind(2, static_cast<std::int64_t>(snap.status))
                 .bind(3, snap.venue_order_id.view())
                 .bind(4, snap.filled.raw)
                 .bind(5, int128_text(snap.fill_value))
                 .bind(6, snap.updated.ns)
                 .bind(7, std::int64_t{uncertain})
                 .run();
  if (!s.ok()) return s;
  if (db_.changes() == 0)
    return make_error(ErrorCode::kNotFound,
                      "state store '" + path() + "': no order " + snap.intent.client_order_id.str());
  const OrderEvent& e = order.events().back();
  return st_->insert_event.bind(1, snap.intent.client_order_id.view())
      .bind(2, e.time.ns)
      .bind(3, static_cast<std::int64_t>(e.status))
      .bind(4, e.qty.raw)
      .bind(5, e.price.raw)
      .bind(6, reason.empty() ? std::string_view(e.reason) : reason)
      .run();
}

Status StateStore::record_order_update(const Order& order, std::string_view reason, bool uncertain) {
  Status s = set_sync(StateSync::kDurable);
  if (!s.ok()) return s;
  auto tx = sqlite::Transaction::begin(db_);
  if (!tx.ok()) return tx.error();
  s = write_order_state(order, reason, uncertain);
  if (!s.ok()) return s;
  return tx->commit();
}

Result<bool> StateStore::record_fill(const StoredFill& f, const Order* order, const PortfolioSnapshot& portfolio) {
  Status s = set_sync(StateSync::kDurable);
  if (!s.ok()) return s.error();
  auto tx = sqlite::Transaction::begin(db_);
  if (!tx.ok()) return tx.error();
  s = st_->insert_fill.bind(1, static_cast<std::int64_t>(f.trade_id))
          .bind(2, f.client_order_id.view())
          .bind(3, static_cast<std::int64_t>(f.instrument.value))
          .bind(4, static_cast<std::int64_t>(f.side))
          .bind(5, f.qty.raw)
          .bind(6, f.price.raw)
          .bind(7, f.fee.raw)
          .bind(8, std::int64_t{f.maker})
          .bind(9, f.time.ns)
          .run();
  if (!s.ok()) return s.error();
  if (db_.changes() == 0) return false;  // stored before; the transaction rolls back
  if (order != nullptr) {
    s = write_order_state(*order, {}, false);
    if (!s.ok()) return s.error();
  }
  s = write_portfolio(portfolio);
  if (!s.ok()) return s.error();
  s = tx->commit();
  if (!s.ok()) return s.error();
  return true;
}

Status StateStore::write_portfolio(const PortfolioSnapshot& p) {
  Status s = st_->upsert_account.bind(1, p.starting_cash.raw)
                 .bind(2, p.cash.raw)
                 .bind(3, p.fees.raw)
                 .bind(4, p.start_of_day_equity.raw)
                 .bind(5, p.equity_peak.raw)
                 .bind(6, p.day)
                 .run();
  if (!s.ok()) return s;
  for (const auto& h : p.positions) {
    s = st_->upsert_position.bind(1, static_cast<std::int64_t>(h.instrument.value))
            .bind(2, h.position.qty.raw)
            .bind(3, h.position.cost.raw)
            .bind(4, h.position.mark.raw)
            .bind(5, h.position.realized_pnl.raw)
            .bind(6, h.position.fees.raw)
            .run();
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status StateStore::save_portfolio(const PortfolioSnapshot& portfolio, StateSync sync) {
  Status s = set_sync(sync);
  if (!s.ok()) return s;
  auto tx = sqlite::Transaction::begin(db_);
  if (!tx.ok()) return tx.error();
  s = write_portfolio(portfolio);
  if (!s.ok()) return s;
  return tx->commit();
}

Status StateStore::save_controls(const Controls& c) {
  Status s = set_sync(StateSync::kDurable);
  if (!s.ok()) return s;
  return st_->save_controls.bind(1, static_cast<std::int64_t>(c.trading_state))
      .bind(2, c.reason)
      .bind(3, c.operator_name)
      .bind(4, c.since.ns)
      .bind(5, std::int64_t{c.safe_mode})
      .bind(6, c.safe_reason)
      .bind(7, c.safe_since.ns)
      .run();
}

Status StateStore::add_operator_action(OperatorAction action, std::string_view reason, std::string_view operator_name,
                                       Timestamp time, std::string_view signature, Timestamp clears_since) {
  Status s = set_sync(StateSync::kDurable);
  if (!s.ok()) return s;
  auto ins = db_.prepare(
      "INSERT INTO operator_actions(time_ns, action, reason, operator, signature, clears_since_ns)"
      " VALUES (?1,?2,?3,?4,?5,?6)");
  if (!ins.ok()) return ins.error();
  return ins->bind(1, time.ns)
      .bind(2, static_cast<std::int64_t>(action))
      .bind(3, reason)
      .bind(4, operator_name)
      .bind(5, signature)
      .bind(6, clears_since.ns)
      .run();
}

Result<std::vector<PendingAction>> StateStore::pending_operator_actions() const {
  auto q = db_.prepare(
      "SELECT seq, time_ns, action, reason, operator, signature, clears_since_ns FROM operator_actions"
      " WHERE done = 0 ORDER BY seq");
  if (!q.ok()) return q.error();
  std::vector<PendingAction> out;
  for (;;) {
    auto row = q->step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    PendingAction a;
    a.seq = q->int64(0);
    a.time = Timestamp{q->int64(1)};
    a.action = q->int64(2) == 0 ? OperatorAction::kKill : OperatorAction::kResume;
    a.reason = q->text(3);
    a.operator_name = q->text(4);
    a.signature = q->text(5);
    a.clears_since = Timestamp{q->int64(6)};
    out.push_back(std::move(a));
  }
  return out;
}

Status StateStore::add_security_event(const StoredSecurityEvent& e) {
  Status s = set_sync(StateSync::kDurable);
  if (!s.ok()) return s;
  auto ins = db_.prepare("INSERT INTO security_events(time_ns, kind, detail, acknowledged) VALUES (?1,?2,?3,?4)");
  if (!ins.ok()) return ins.error();
  return ins->bind(1, e.time.ns).bind(2, e.kind).bind(3, e.detail).bind(4, std::int64_t{e.acknowledged}).run();
}

Result<std::vector<StoredSecurityEvent>> StateStore::security_events(Timestamp since) const {
  auto q = db_.prepare(
      "SELECT time_ns, kind, detail, acknowledged FROM security_events WHERE time_ns >= ?1 ORDER BY time_ns, seq");
  if (!q.ok()) return q.error();
  q->bind(1, since.ns);
  std::vector<StoredSecurityEvent> out;
  for (;;) {
    auto row = q->step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    out.push_back(StoredSecurityEvent{Timestamp{q->int64(0)}, std::string(q->text(1)), std::string(q->text(2)),
                                      q->int64(3) != 0});
  }
  return out;
}

Status StateStore::acknowledge_security_events(Timestamp until) {
  Status s = set_sync(StateSync::kDurable);
  if (!s.ok()) return s;
  auto upd = db_.prepare("UPDATE security_events SET acknowledged = 1 WHERE time_ns <= ?1");
  if (!upd.ok()) return upd.error();
  return upd->bind(1, until.ns).run();
}

Status StateStore::put_held_order(const HeldOrderRow& h) {
  auto ins = db_.prepare(
      "INSERT OR REPLACE INTO held_orders(client_order_id, side, qty, price, notional, required, since_ns, expires_ns,"
      " status) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)");
  if (!ins.ok()) return ins.error();
  return ins->bind(1, h.client_order_id)
      .bind(2, h.side)
      .bind(3, h.qty)
      .bind(4, h.price)
      .bind(5, h.notional.raw)
      .bind(6, std::int64_t{h.required})
      .bind(7, h.since.ns)
      .bind(8, h.expires.ns)
      .bind(9, h.status)
      .run();
}

Status StateStore::set_held_status(std::string_view client_order_id, std::string_view status) {
  auto upd = db_.prepare("UPDATE held_orders SET status = ?2 WHERE client_order_id = ?1");
  if (!upd.ok()) return upd.error();
  return upd->bind(1, client_order_id).bind(2, status).run();
}

Result<std::vector<HeldOrderRow>> StateStore::held_orders() const {
  auto q = db_.prepare(
      "SELECT client_order_id, side, qty, price, notional, required, since_ns, expires_ns, status FROM held_orders"
      " WHERE status = 'held' ORDER BY since_ns, client_order_id");
  if (!q.ok()) return q.error();
  std::vector<HeldOrderRow> out;
  for (;;) {
    auto row = q->step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    out.push_back(HeldOrderRow{std::string(q->text(0)), std::string(q->text(1)), q->int64(2), q->int64(3),
                               Money::from_raw(q->int64(4)), static_cast<int>(q->int64(5)), Timestamp{q->int64(6)},
                               Timestamp{q->int64(7)}, std::string(q->text(8))});
  }
  return out;
}

Status StateStore::add_order_approval(std::string_view client_order_id, std::string_view operator_name,
                                      std::string_view signature, Timestamp time) {
  Status s = set_sync(StateSync::kDurable);
  if (!s.ok()) return s;
  auto ins =
      db_.prepare("INSERT INTO order_approvals(client_order_id, operator, signature, time_ns) VALUES (?1,?2,?3,?4)");
  if (!ins.ok()) return ins.error();
  return ins->bind(1, client_order_id).bind(2, operator_name).bind(3, signature).bind(4, time.ns).run();
}

Result<std::vector<OrderApprovalRow>> StateStore::pending_order_approvals() const {
  auto q = db_.prepare(
      "SELECT seq, client_order_id, operator, signature, time_ns FROM order_approvals WHERE done = 0 ORDER BY seq");
  if (!q.ok()) return q.error();
  std::vector<OrderApprovalRow> out;
  for (;;) {
    auto row = q->step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    out.push_back(OrderApprovalRow{q->int64(0), std::string(q->text(1)), std::string(q->text(2)),
                                   std::string(q->text(3)), Timestamp{q->int64(4)}});
  }
  return out;
}

Status StateStore::mark_approval_done(std::int64_t seq) {
  auto upd = db_.prepare("UPDATE order_approvals SET done = 1 WHERE seq = ?1");
  if (!upd.ok()) return upd.error();
  return upd->bind(1, seq).run();
}

Status StateStore::put_key_usage(const KeyUsageRow& r) {
  auto ins = db_.prepare(
      "INSERT OR REPLACE INTO key_usage(key_id, venue, requests, auth_failures, first_use_ns, last_use_ns, endpoints,"
      " hours) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)");
  if (!ins.ok()) return ins.error();
  return ins->bind(1, r.key_id)
      .bind(2, r.venue)
      .bind(3, r.requests)
      .bind(4, r.auth_failures)
      .bind(5, r.first_use.ns)
      .bind(6, r.last_use.ns)
      .bind(7, r.endpoints)
      .bind(8, r.hours)
      .run();
}

Result<std::vector<KeyUsageRow>> StateStore::key_usage() const {
  auto q = db_.prepare(
      "SELECT key_id, venue, requests, auth_failures, first_use_ns, last_use_ns, endpoints, hours FROM key_usage"
      " ORDER BY key_id");
  if (!q.ok()) return q.error();
  std::vector<KeyUsageRow> out;
  for (;;) {
    auto row = q->step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    out.push_back(KeyUsageRow{std::string(q->text(0)), std::string(q->text(1)), q->int64(2), q->int64(3),
                              Timestamp{q->int64(4)}, Timestamp{q->int64(5)}, std::string(q->text(6)),
                              std::string(q->text(7))});
  }
  return out;
}

Status StateStore::set_keys_journaled_until(Timestamp t) {
  return st_->set_meta.bind(1, std::string_view("keys_journaled_until")).bind(2, std::to_string(t.ns)).run();
}

Status StateStore::mark_action_done(std::int64_t seq) {
  auto upd = db_.prepare("UPDATE operator_actions SET done = 1 WHERE seq = ?1");
  if (!upd.ok()) return upd.error();
  return upd->bind(1, seq).run();
}

Result<std::vector<StoredOrder>> StateStore::orders() const {
  auto q = db_.prepare(std::string("SELECT ") + kOrderColumns + " FROM orders ORDER BY created_ns, client_order_id");
  if (!q.ok()) return q.error();
  std::vector<StoredOrder> out;
  for (;;) {
    auto row = q->step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    auto o = read_order(*q, path());
    if (!o.ok()) return o.error();
    out.push_back(std::move(*o));
  }
  return out;
}

Result<std::optional<StoredOrder>> StateStore::find_order(const ClientOrderId& id) const {
  auto q = db_.prepare(std::string("SELECT ") + kOrderColumns + " FROM orders WHERE client_order_id = ?1");
  if (!q.ok()) return q.error();
  q->bind(1, id.view());
  auto row = q->step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<StoredOrder>{};
  auto o = read_order(*q, path());
  if (!o.ok()) return o.error();
  return std::optional<StoredOrder>{std::move(*o)};
}

Result<std::vector<StoredFill>> StateStore::fills() const {
  auto q = db_.prepare(
      "SELECT trade_id, client_order_id, instrument, side, qty, price, fee, maker, time_ns FROM fills ORDER BY "
      "trade_id");
  if (!q.ok()) return q.error();
  std::vector<StoredFill> out;
  for (;;) {
    auto row = q->step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    auto f = read_fill(*q, path());
    if (!f.ok()) return f.error();
    out.push_back(*f);
  }
  return out;
}

Result<std::vector<OrderEvent>> StateStore::order_events(const ClientOrderId& id) const {
  auto q = db_.prepare(
      "SELECT time_ns, status, qty, price, reason FROM order_events WHERE client_order_id = ?1 ORDER BY seq");
  if (!q.ok()) return q.error();
  q->bind(1, id.view());
  std::vector<OrderEvent> out;
  for (;;) {
    auto row = q->step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    out.push_back(OrderEvent{Timestamp{q->int64(0)}, static_cast<OrderStatus>(q->int64(1)), Qty::from_raw(q->int64(2)),
                             Price::from_raw(q->int64(3)), std::string(q->text(4))});
  }
  return out;
}

Result<std::int64_t> StateStore::data_version() const {
  auto v = db_.query_int("PRAGMA data_version");
  if (!v.ok()) return v.error();
  return **v;
}

}  // namespace cst
