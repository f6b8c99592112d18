#include "cst/gateway/execution_policy.hpp"

#include <algorithm>

namespace cst {
namespace {

// |a - b| / b > bps / 10000, in integers.
bool deviates_more_than(std::int64_t a, std::int64_t b, std::int64_t bps) {
  return static_cast<int128>(abs64(a - b)) * 10'000 > static_cast<int128>(b) * bps;
}

constexpr int kAccountThrottleFactor = 4;

}  // namespace

void ExecutionPolicy::SendHistory::push(std::int64_t t) {
  times[static_cast<std::size_t>(head)] = t;
  head = (head + 1) % kMaxThrottle;
  count = std::min(count + 1, kMaxThrottle);
}

std::int64_t ExecutionPolicy::SendHistory::nth_latest(int n) const {
  return times[static_cast<std::size_t>((head - n + kMaxThrottle) % kMaxThrottle)];
}

ExecutionPolicy::ExecutionPolicy(ExecutionPolicyConfig config) : config_(config) {
  config_.max_orders_per_window = std::clamp(config_.max_orders_per_window, 0, kMaxThrottle / kAccountThrottleFactor);
  per_instrument_.resize(16);
  last_order_.resize(16);
}

ExecutionPolicy::SendHistory& ExecutionPolicy::history(InstrumentId id) {
  if (id.value >= per_instrument_.size()) {
    per_instrument_.resize(id.value + 1);
    last_order_.resize(id.value + 1);
  }
  return per_instrument_[id.value];
}

bool ExecutionPolicy::throttled(const SendHistory& h, int limit, Timestamp now) const {
  if (limit <= 0 || h.count < limit) return false;
  return now.ns - h.nth_latest(limit) < config_.throttle_window.ns;
}

PolicyCheck ExecutionPolicy::check(const OrderIntent& intent, const Instrument& inst, const MarketSnapshot& market,
                                   Price reference, Timestamp now) const {
  PolicyCheck out;
  auto fail = [&out](ReasonCode r) {
    out.reasons_mask |= reason_bit(r);
    if (out.reason == ReasonCode::kNone) out.reason = r;
  };
  // No snapshot, or one without any price: nothing to check the order against.
  if (market.time.ns == 0 || market.reference().raw <= 0 || reference.raw <= 0) {
    fail(ReasonCode::kNoMarketData);
    return out;
  }
  if (config_.max_data_age.ns > 0 && now - market.time > config_.max_data_age) fail(ReasonCode::kStaleMarketData);
  const bool buy = intent.side == Side::kBuy;
  if (market.has_book()) {
    const Price mid = market.reference();
    if (config_.max_spread_bps > 0 && static_cast<int128>(market.ask.raw - market.bid.raw) * 10'000 >
                                          static_cast<int128>(mid.raw) * config_.max_spread_bps)
      fail(ReasonCode::kSpreadTooWide);
    if (config_.min_top_depth.raw > 0) {
      auto depth = buy ? inst.notional(market.ask, market.ask_qty) : inst.notional(market.bid, market.bid_qty);
      if (!depth.ok() || *depth < config_.min_top_depth) fail(ReasonCode::kInsufficientDepth);
    }
    if (intent.post_only && intent.type == OrderType::kLimit &&
        (buy ? intent.limit_price >= market.ask : intent.limit_price <= market.bid))
      fail(ReasonCode::kPostOnlyWouldCross);
  }
  if (config_.min_recent_volume.raw > 0 && market.recent_volume < config_.min_recent_volume)
    fail(ReasonCode::kInsufficientVolume);
  if (config_.collar_bps > 0 && intent.type == OrderType::kLimit &&
      deviates_more_than(intent.limit_price.raw, market.reference().raw, config_.collar_bps))
    fail(ReasonCode::kPriceCollar);
  if (config_.max_order_notional.raw > 0) {
    auto notional = inst.notional(reference, intent.qty);
    if (!notional.ok() || *notional > config_.max_order_notional) fail(ReasonCode::kMaxOrderNotional);
  }
  if (config_.max_order_qty.raw > 0 && intent.qty > config_.max_order_qty) fail(ReasonCode::kMaxOrderQty);
  const int limit = config_.max_orders_per_window;
  if (intent.instrument.value < per_instrument_.size() &&
      throttled(per_instrument_[intent.instrument.value], limit, now))
    fail(ReasonCode::kThrottled);
  if (throttled(account_, limit * kAccountThrottleFactor, now)) fail(ReasonCode::kThrottled);
  if (config_.max_repeats > 0 && intent.instrument.value < last_order_.size()) {
    const LastOrder& last = last_order_[intent.instrument.value];
    const bool same = last.side == intent.side && last.qty == intent.qty.raw && last.price == intent.limit_price.raw;
    if (same && last.repeats >= config_.max_repeats && now.ns - last.time < config_.repeat_window.ns)
      fail(ReasonCode::kRepeatedOrder);
  }
  return out;
}

void ExecutionPolicy::record_sent(const OrderIntent& intent, Qty qty, Timestamp now) {
  history(intent.instrument).push(now.ns);
  account_.push(now.ns);
  LastOrder& last = last_order_[intent.instrument.value];
  const bool same = last.side == intent.side && last.qty == qty.raw && last.price == intent.limit_price.raw &&
                    now.ns - last.time < config_.repeat_window.ns;
  last = LastOrder{intent.side, qty.raw, intent.limit_price.raw, now.ns, same ? last.repeats + 1 : 1};
}

}  // namespace cst
