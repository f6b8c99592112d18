#include "cst/engine/round_trip_tracker.hpp"

#include <algorithm>

namespace cst {
namespace {

Price average(int128 value, std::int64_t qty) {
  if (qty == 0) return Price{};
  return Price::from_raw(static_cast<std::int64_t>(divide_rounded(value, qty, Rounding::kHalfEven)));
}

Money pro_rata(Money m, std::int64_t part, std::int64_t whole) {
  auto v = mul_div(m.raw, part, whole, Rounding::kHalfEven);
  return Money::from_raw(v.ok() ? *v : m.raw);
}

}  // namespace

void RoundTripTracker::on_fill(const Fill& fill, const FillEffect& effect) {
  const std::int64_t before = effect.position_before.raw;
  const std::int64_t after = effect.position_after.raw;
  const bool flips = before != 0 && after != 0 && ((before > 0) != (after > 0));
  const std::int64_t closing =
      before == 0 || ((before > 0) == (fill.side == Side::kBuy)) ? 0 : std::min(abs64(before), fill.qty.raw);
  const std::int64_t opening = fill.qty.raw - closing;

  if (closing > 0) {
    const Money fee_part = flips ? pro_rata(fill.fee, closing, fill.qty.raw) : fill.fee;
    open_.exit_value += static_cast<int128>(fill.price.raw) * closing;
    open_.exit_qty += closing;
    open_.realized += effect.realized_pnl;
    open_.fees += fee_part;
    if (after == 0 || flips) close_trip(fill.time);
    if (!flips) return;
  }
  if (opening > 0) {
    if (!open_.active) {
      open_ = Open{};
      open_.active = true;
      open_.entry_time = fill.time;
      open_.side = fill.side;
    }
    open_.entry_value += static_cast<int128>(fill.price.raw) * opening;
    open_.entry_qty += opening;
    open_.fees += flips ? fill.fee - pro_rata(fill.fee, closing, fill.qty.raw) : fill.fee;
    open_.max_abs_qty = std::max(open_.max_abs_qty, abs64(after));
  }
}

void RoundTripTracker::close_trip(Timestamp when) {
  ClosedTrade t;
  t.entry_time = open_.entry_time;
  t.exit_time = when;
  t.side = open_.side;
  t.qty = Qty::from_raw(open_.max_abs_qty);
  t.entry_price = average(open_.entry_value, open_.entry_qty);
  t.exit_price = average(open_.exit_value, open_.exit_qty);
  t.fees = open_.fees;
  t.pnl = open_.realized - open_.fees;
  closed_.push_back(t);
  open_ = Open{};
}

}  // namespace cst
