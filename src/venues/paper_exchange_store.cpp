// Rows of the paper-exchange file: progress (meta), orders, fills and balances, converted
// between their SQLite columns and the venue types. Values that do not parse back are
// reported as corruption, naming the file and the row.
#include "paper_exchange_store.hpp"

#include <bit>
#include <charconv>
#include <limits>

namespace cst {
namespace {

constexpr const char* kOrderColumns =
    "client_order_id, seq, venue_order_id, side, type, qty, limit_price, post_only, filled, status, created_ns,"
    " active_from_ns, resting, reason";

std::string_view side_text(Side s) { return s == Side::kBuy ? "buy" : "sell"; }

std::optional<Side> parse_side(std::string_view text) {
  if (text == "buy") return Side::kBuy;
  if (text == "sell") return Side::kSell;
  return std::nullopt;
}

std::optional<OrderType> parse_type(std::string_view text) {
  if (text == "market") return OrderType::kMarket;
  if (text == "limit") return OrderType::kLimit;
  return std::nullopt;
}

// A uint64 (Rng words, ids) kept bit for bit in SQLite's signed 64-bit integer.
std::int64_t as_int(std::uint64_t v) { return std::bit_cast<std::int64_t>(v); }
std::uint64_t as_uint(std::int64_t v) { return std::bit_cast<std::uint64_t>(v); }

}  // namespace

std::string round_trip_text(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::string("nan");
}

Result<double> parse_round_trip(std::string_view text) {
  double v = 0.0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size())
    return make_error(ErrorCode::kParse, "'" + std::string(text) + "' is not a number");
  return v;
}

Status PaperExchangeStore::prepare_statements() {
  const std::string select_order = std::string("SELECT ") + kOrderColumns + " FROM orders";
  const std::pair<sqlite::Statement*, std::string> statements[] = {
      {&get_meta_, "SELECT value, typeof(value) FROM meta WHERE key = ?1"},
      {&set_meta_, "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)"},
      {&find_order_, select_order + " WHERE client_order_id = ?1"},
      {&working_orders_, select_order + " WHERE status IN ('open', 'partially_filled') ORDER BY seq"},
      {&insert_order_, std::string("INSERT INTO orders(") + kOrderColumns +
                           ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"},
      {&update_order_, "UPDATE orders SET filled = ?2, status = ?3, reason = ?4 WHERE client_order_id = ?1"},
      {&insert_fill_,
       "INSERT INTO fills(trade_id, client_order_id, side, qty, price, fee, maker, time_ns)"
       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"},
      {&fills_after_,
       "SELECT trade_id, client_order_id, side, qty, price, fee, maker, time_ns FROM fills"
       " WHERE trade_id > ?1 ORDER BY trade_id"},
      {&read_balances_, "SELECT asset, amount FROM balances"},
      {&write_balance_, "UPDATE balances SET amount = ?2 WHERE asset = ?1"},
  };
  for (const auto& [stmt, sql] : statements) {
    auto prepared = db_.prepare(sql);
    if (!prepared.ok()) return prepared.error();
    *stmt = std::move(*prepared);
  }
  return Status::Ok();
}

Result<PaperExchangeProgress> PaperExchangeStore::read_progress() {
  PaperExchangeProgress p;
  std::int64_t has_bar = 0, last_bar = 0, has_spare = 0, words[4] = {};
  std::int64_t next_order = 0, next_trade = 0, received = 0, duplicates = 0;
  const std::pair<const char*, std::int64_t*> ints[] = {
      {"has_last_bar", &has_bar},     {"last_bar_ns", &last_bar},     {"last_close", &p.last_close.raw},
      {"rng_0", &words[0]},           {"rng_1", &words[1]},           {"rng_2", &words[2]},
      {"rng_3", &words[3]},           {"rng_has_spare", &has_spare},  {"next_order_seq", &next_order},
      {"next_trade_id", &next_trade}, {"orders_received", &received}, {"duplicate_submissions", &duplicates},
  };
  for (const auto& [key, out] : ints) {
    auto v = meta_int(key);
    if (!v.ok()) return v.error();
    *out = *v;
  }
  auto spare = meta_text("rng_spare");
  if (!spare.ok()) return spare.error();
  auto spare_value = parse_round_trip(*spare);
  if (!spare_value.ok()) return error(ErrorCode::kCorruption, "meta 'rng_spare': " + spare_value.error().message);
  p.rng.spare = *spare_value;
  if (has_bar != 0) p.last_bar = Timestamp{last_bar};
  for (int i = 0; i < 4; ++i) p.rng.words[i] = as_uint(words[i]);
  p.rng.has_spare = has_spare != 0;
  p.next_order_seq = as_uint(next_order);
  p.next_trade_id = as_uint(next_trade);
  p.orders_received = as_uint(received);
  p.duplicate_submissions = as_uint(duplicates);
  return p;
}

Status PaperExchangeStore::write_progress(const PaperExchangeProgress& p) {
  const std::pair<const char*, std::int64_t> ints[] = {
      {"has_last_bar", p.last_bar ? 1 : 0},
      {"last_bar_ns", p.last_bar ? p.last_bar->ns : 0},
      {"last_close", p.last_close.raw},
      {"rng_0", as_int(p.rng.words[0])},
      {"rng_1", as_int(p.rng.words[1])},
      {"rng_2", as_int(p.rng.words[2])},
      {"rng_3", as_int(p.rng.words[3])},
      {"rng_has_spare", p.rng.has_spare ? 1 : 0},
      {"next_order_seq", as_int(p.next_order_seq)},
      {"next_trade_id", as_int(p.next_trade_id)},
      {"orders_received", as_int(p.orders_received)},
      {"duplicate_submissions", as_int(p.duplicate_submissions)},
  };
  for (const auto& [key, value] : ints) {
    Status s = set_meta(key, value);
    if (!s.ok()) return s;
  }
  return set_meta("rng_spare", round_trip_text(p.rng.spare));
}

Result<ExchangeOrder> PaperExchangeStore::order_from_row(const sqlite::Statement& row) const {
  ExchangeOrder s;
  VenueOrder& o = s.order;
  const std::string id_text(row.text(0));
  auto id = ClientOrderId::parse(id_text);
  if (!id.ok()) return error(ErrorCode::kCorruption, "order '" + id_text + "': " + id.error().message);
  auto venue_id = VenueOrderId::parse(row.text(2));
  auto side = parse_side(row.text(3));
  auto type = parse_type(row.text(4));
  auto status = parse_venue_order_status(row.text(9));
  if (!venue_id.ok() || !side || !type || !status.ok())
    return error(ErrorCode::kCorruption, "order '" + id_text + "' has a damaged venue id, side, type or status");
  o.client_order_id = *id;
  s.seq = as_uint(row.int64(1));
  o.venue_order_id = *venue_id;
  o.instrument = config_.instrument.id;
  o.side = *side;
  o.type = *type;
  o.qty = Qty::from_raw(row.int64(5));
  o.limit_price = Price::from_raw(row.int64(6));
  o.post_only = row.int64(7) != 0;
  o.filled = Qty::from_raw(row.int64(8));
  o.status = *status;
  o.created = Timestamp{row.int64(10)};
  s.active_from = Timestamp{row.int64(11)};
  s.resting = row.int64(12) != 0;
  o.reason = std::string(row.text(13));
  // What matching relies on: nothing filled below zero or beyond the order's quantity, and
  // something left on a working order. A row edited past that would fill a negative quantity.
  if (o.filled.raw < 0 || (o.filled.raw > 0 && o.filled > o.qty) || (is_working(o.status) && o.filled >= o.qty))
    return error(ErrorCode::kCorruption, "order '" + id_text + "' has " + std::to_string(o.filled.raw) + " of " +
                                             std::to_string(o.qty.raw) + " filled, impossible for a " +
                                             std::string(to_string(o.status)) + " order");
  return s;
}

Result<std::optional<ExchangeOrder>> PaperExchangeStore::find_order(const ClientOrderId& id) {
  find_order_.bind(1, id.view());
  auto row = find_order_.step();
  Result<std::optional<ExchangeOrder>> out = std::optional<ExchangeOrder>{};
  if (!row.ok()) {
    out = row.error();
  } else if (*row) {
    auto order = order_from_row(find_order_);
    out = order.ok() ? Result<std::optional<ExchangeOrder>>(std::optional<ExchangeOrder>(std::move(*order)))
                     : Result<std::optional<ExchangeOrder>>(order.error());
  }
  find_order_.reset();
  return out;
}

Result<std::vector<ExchangeOrder>> PaperExchangeStore::working_orders() {
  std::vector<ExchangeOrder> orders;
  for (;;) {
    auto row = working_orders_.step();
    if (!row.ok() || !*row) {
      working_orders_.reset();
      if (!row.ok()) return row.error();
      return orders;
    }
    auto order = order_from_row(working_orders_);
    if (!order.ok()) {
      working_orders_.reset();
      return order.error();
    }
    orders.push_back(std::move(*order));
  }
}

Status PaperExchangeStore::insert_order(const ExchangeOrder& s) {
  const VenueOrder& o = s.order;
  return insert_order_.bind(1, o.client_order_id.view())
      .bind(2, as_int(s.seq))
      .bind(3, o.venue_order_id.view())
      .bind(4, side_text(o.side))
      .bind(5, std::string_view(to_string(o.type)))
      .bind(6, o.qty.raw)
      .bind(7, o.limit_price.raw)
      .bind(8, std::int64_t{o.post_only ? 1 : 0})
      .bind(9, o.filled.raw)
      .bind(10, to_string(o.status))
      .bind(11, o.created.ns)
      .bind(12, s.active_from.ns)
      .bind(13, std::int64_t{s.resting ? 1 : 0})
      .bind(14, std::string_view(o.reason))
      .run();
}

Status PaperExchangeStore::update_order(const ExchangeOrder& s) {
  const VenueOrder& o = s.order;
  return update_order_.bind(1, o.client_order_id.view())
      .bind(2, o.filled.raw)
      .bind(3, to_string(o.status))
      .bind(4, std::string_view(o.reason))
      .run();
}

Status PaperExchangeStore::insert_fill(const VenueFill& f) {
  return insert_fill_.bind(1, as_int(f.trade_id))
      .bind(2, f.client_order_id.view())
      .bind(3, side_text(f.side))
      .bind(4, f.qty.raw)
      .bind(5, f.price.raw)
      .bind(6, f.fee.raw)
      .bind(7, std::int64_t{f.maker ? 1 : 0})
      .bind(8, f.time.ns)
      .run();
}

Result<std::vector<VenueFill>> PaperExchangeStore::fills_after(std::uint64_t trade_id) {
  std::vector<VenueFill> fills;
  // Trade ids are stored as signed integers and never reach 2^63.
  if (trade_id >= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return fills;
  fills_after_.bind(1, static_cast<std::int64_t>(trade_id));
  for (;;) {
    auto row = fills_after_.step();
    if (!row.ok() || !*row) {
      fills_after_.reset();
      if (!row.ok()) return row.error();
      return fills;
    }
    VenueFill f;
    f.trade_id = as_uint(fills_after_.int64(0));
    auto id = ClientOrderId::parse(fills_after_.text(1));
    auto side = parse_side(fills_after_.text(2));
    if (!id.ok() || !side) {
      fills_after_.reset();
      return error(ErrorCode::kCorruption, "fill " + std::to_string(f.trade_id) + " has a damaged order id or side");
    }
    f.client_order_id = *id;
    f.instrument = config_.instrument.id;
    f.side = *side;
    f.qty = Qty::from_raw(fills_after_.int64(3));
    f.price = Price::from_raw(fills_after_.int64(4));
    f.fee = Money::from_raw(fills_after_.int64(5));
    f.maker = fills_after_.int64(6) != 0;
    f.time = Timestamp{fills_after_.int64(7)};
    fills.push_back(f);
  }
}

Result<VenueBalances> PaperExchangeStore::read_balances() {
  VenueBalances b;
  int seen = 0;
  for (;;) {
    auto row = read_balances_.step();
    if (!row.ok()) {
      read_balances_.reset();
      return row.error();
    }
    if (!*row) break;
    if (read_balances_.text(0) == "cash") {
      b.cash = Money::from_raw(read_balances_.int64(1));
      seen |= 1;
    } else if (read_balances_.text(0) == "base") {
      b.base = Qty::from_raw(read_balances_.int64(1));
      seen |= 2;
    }
  }
  read_balances_.reset();
  if (seen != 3) return error(ErrorCode::kCorruption, "the balances table lacks its 'cash' or 'base' row");
  return b;
}

Status PaperExchangeStore::write_balances(const VenueBalances& b) {
  Status s = write_balance_.bind(1, std::string_view("cash")).bind(2, b.cash.raw).run();
  if (!s.ok()) return s;
  return write_balance_.bind(1, std::string_view("base")).bind(2, b.base.raw).run();
}

}  // namespace cst
