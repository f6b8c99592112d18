// PaperExchange: order entry, cancels, queries and the report queue. Matching and the
// divergence drills are in paper_exchange_matching.cpp, the file format in
// paper_exchange_store.hpp.
#include "cst/venues/paper_exchange.hpp"

#include <limits>
#include <utility>

#include "paper_exchange_store.hpp"

namespace cst {

Result<std::unique_ptr<PaperExchange>> PaperExchange::open(const std::string& path, const PaperExchangeConfig& config) {
  auto store = PaperExchangeStore::open(path, config);
  if (!store.ok()) return store.error();
  auto progress = (*store)->read_progress();
  if (!progress.ok()) return progress.error();
  return std::unique_ptr<PaperExchange>(new PaperExchange(std::move(*store), *progress));
}

PaperExchange::PaperExchange(std::unique_ptr<PaperExchangeStore> store, PaperExchangeProgress progress)
    : store_(std::move(store)), progress_(progress) {}

PaperExchange::~PaperExchange() = default;

const std::string& PaperExchange::path() const { return store_->path(); }
const PaperExchangeConfig& PaperExchange::config() const { return store_->config(); }

Timestamp PaperExchange::last_bar_time() const {
  return progress_.last_bar.value_or(Timestamp{std::numeric_limits<std::int64_t>::min()});
}

std::uint64_t PaperExchange::duplicate_submissions() const { return progress_.duplicate_submissions; }
std::uint64_t PaperExchange::orders_received() const { return progress_.orders_received; }

std::vector<ExecutionReport> PaperExchange::take_reports() { return std::exchange(reports_, {}); }

const char* PaperExchange::rejection_reason(const NewOrder& order) const {
  const Instrument& inst = config().instrument;
  if (order.qty.raw <= 0) return "qty_not_positive";
  if (!inst.on_lot(order.qty)) return "qty_off_lot_grid";
  if (order.type == OrderType::kMarket) return order.post_only ? "post_only_market" : nullptr;
  if (order.limit_price.raw <= 0) return "price_not_positive";
  if (!inst.on_tick(order.limit_price)) return "price_off_tick_grid";
  if (order.post_only && progress_.last_bar &&
      marketable_on_arrival(order.side, order.limit_price, progress_.last_close))
    return "post_only_would_cross";
  return nullptr;
}

Result<VenueOrder> PaperExchange::place(const NewOrder& order, Timestamp now) {
  auto placed = store_new_order(order, now, true);
  if (!placed.ok()) return placed;
  if (placed->status == VenueOrderStatus::kRejected) {
    queue(ExecKind::kRejected, *placed, now, placed->reason);
  } else {
    queue(ExecKind::kAccepted, *placed, now, {});
  }
  return placed;
}

Result<VenueOrder> PaperExchange::store_new_order(const NewOrder& order, Timestamp now, bool counted) {
  auto tx = store_->begin();
  if (!tx.ok()) return tx.error();
  PaperExchangeProgress next = progress_;
  if (counted) ++next.orders_received;
  auto existing = store_->find_order(order.client_order_id);
  if (!existing.ok()) return existing.error();
  if (*existing) {
    Error duplicate =
        store_->error(ErrorCode::kDuplicate, "duplicate order sent: client order id '" + order.client_order_id.str() +
                                                 "' was already received (" +
                                                 std::string(to_string((*existing)->order.status)) + ")");
    if (!counted) return duplicate;
    ++next.duplicate_submissions;
    Status s = store_->write_progress(next);
    if (s.ok()) s = tx->commit();
    if (!s.ok()) return s.error();
    progress_ = next;
    return duplicate;
  }

  ExchangeOrder stored;
  VenueOrder& o = stored.order;
  stored.seq = next.next_order_seq++;
  auto venue_id = VenueOrderId::parse("PX-" + std::to_string(stored.seq));
  if (!venue_id.ok()) return venue_id.error();
  o.client_order_id = order.client_order_id;
  o.venue_order_id = *venue_id;
  o.instrument = config().instrument.id;
  o.side = order.side;
  o.type = order.type;
  o.qty = order.qty;
  o.limit_price = order.limit_price;
  o.post_only = order.post_only;
  o.created = now;
  if (const char* why = rejection_reason(order)) {
    o.status = VenueOrderStatus::kRejected;
    o.reason = why;
  }
  stored.active_from = now + config().model.latency;
  // As in SimVenue: a limit that does not cross the last close rests and trades as maker. A
  // post-only limit that got here rests by definition, even before the first bar.
  stored.resting = order.type == OrderType::kLimit &&
                   (order.post_only || (progress_.last_bar &&
                                        !marketable_on_arrival(order.side, order.limit_price, progress_.last_close)));
  Status s = store_->insert_order(stored);
  if (s.ok()) s = store_->write_progress(next);
  if (s.ok()) s = tx->commit();
  if (!s.ok()) return s.error();
  progress_ = next;
  return o;
}

Status PaperExchange::cancel(const ClientOrderId& id, Timestamp now, std::string_view reason) {
  auto tx = store_->begin();
  if (!tx.ok()) return tx.error();
  auto found = store_->find_order(id);
  if (!found.ok()) return found.error();
  if (!*found) return store_->error(ErrorCode::kNotFound, "no order '" + id.str() + "' to cancel");
  ExchangeOrder& stored = **found;
  if (!is_working(stored.order.status))
    return store_->error(ErrorCode::kNotFound,
                         "order '" + id.str() + "' is not open (" + std::string(to_string(stored.order.status)) + ")");
  stored.order.status = VenueOrderStatus::kCancelled;
  stored.order.reason = std::string(reason);
  Status s = store_->update_order(stored);
  if (s.ok()) s = tx->commit();
  if (!s.ok()) return s;
  queue(ExecKind::kCancelled, stored.order, now, reason);
  return Status::Ok();
}

std::size_t PaperExchange::cancel_all(Timestamp now, std::string_view reason) {
  auto tx = store_->begin();
  if (!tx.ok()) return 0;
  auto working = store_->working_orders();
  if (!working.ok()) return 0;
  for (ExchangeOrder& stored : *working) {
    stored.order.status = VenueOrderStatus::kCancelled;
    stored.order.reason = std::string(reason);
    if (!store_->update_order(stored).ok()) return 0;
  }
  if (!tx->commit().ok()) return 0;
  for (const ExchangeOrder& stored : *working) queue(ExecKind::kCancelled, stored.order, now, reason);
  return working->size();
}

Result<std::optional<VenueOrder>> PaperExchange::query(const ClientOrderId& id) const {
  auto found = store_->find_order(id);
  if (!found.ok()) return found.error();
  if (!*found) return std::optional<VenueOrder>{};
  return std::optional<VenueOrder>{std::move((*found)->order)};
}

Result<std::vector<VenueOrder>> PaperExchange::open_orders() const {
  auto working = store_->working_orders();
  if (!working.ok()) return working.error();
  std::vector<VenueOrder> out;
  out.reserve(working->size());
  for (ExchangeOrder& stored : *working) out.push_back(std::move(stored.order));
  return out;
}

Result<std::vector<VenueFill>> PaperExchange::fills_after(std::uint64_t trade_id) const {
  return store_->fills_after(trade_id);
}

Result<VenueBalances> PaperExchange::balances() const { return store_->read_balances(); }

void PaperExchange::queue(ExecKind kind, const VenueOrder& order, Timestamp when, std::string_view reason) {
  ExecutionReport r;
  r.kind = kind;
  r.time = when;
  r.client_order_id = order.client_order_id;
  r.venue_order_id = order.venue_order_id;
  r.instrument = order.instrument;
  r.side = order.side;
  r.set_reason(reason);
  reports_.push_back(r);
}

}  // namespace cst
