#include "cst/risk/risk_guard.hpp"

#include <algorithm>

namespace cst {
namespace {

constexpr std::int64_t kBpDenominator = 10'000;

int128 abs128(int128 v) { return v < 0 ? -v : v; }
// Saturates to int64: quantities and money from a caller (a huge order, a huge open order)
// must not wrap around in the arithmetic below.
std::int64_t clamp64(int128 v) {
  if (v > INT64_MAX) return INT64_MAX;
  if (v < INT64_MIN) return INT64_MIN;
  return static_cast<std::int64_t>(v);
}
Money money_clamped(int128 v) { return Money::from_raw(clamp64(v)); }

// equity * bp / 10000, rounded down; zero for non-positive equity.
Money fraction_of(Money equity, std::int64_t bp) {
  if (equity.raw <= 0) return Money{};
  auto v = mul_div(equity.raw, bp, kBpDenominator, Rounding::kDown);
  return v.ok() ? Money::from_raw(*v) : Money::from_raw(INT64_MAX);
}

// Largest quantity whose notional at `price` stays within `budget` (0 if budget <= 0).
std::int64_t qty_within(const Instrument& inst, Money budget, Price price) {
  if (budget.raw <= 0) return 0;
  auto q = inst.qty_for_notional(budget, price);
  return q.ok() ? q->raw : INT64_MAX;
}

// Worst-case absolute quantity of the instrument if this order is added.
std::int64_t worst_case_after(const InstrumentExposure& e, Side side, std::int64_t qty) {
  const int128 buys = int128{e.open_buy.raw} + (side == Side::kBuy ? qty : 0);
  const int128 sells = int128{e.open_sell.raw} + (side == Side::kSell ? qty : 0);
  return clamp64(std::max(abs128(e.position.raw + buys), abs128(e.position.raw - sells)));
}

// Largest order quantity that keeps the instrument's worst case within `max_abs_qty`.
std::int64_t max_qty_for_worst_case(const InstrumentExposure& e, Side side, std::int64_t max_abs_qty) {
  const int128 used =
      side == Side::kBuy ? int128{e.position.raw} + e.open_buy.raw : int128{e.open_sell.raw} - e.position.raw;
  return clamp64(std::max<int128>(0, max_abs_qty - used));
}

// Quantity that closes existing position without opening the other side.
std::int64_t reducible_qty(const InstrumentExposure& e, Side side) {
  if (side == Side::kSell) return clamp64(std::max<int128>(0, int128{e.position.raw} - e.open_sell.raw));
  return clamp64(std::max<int128>(0, -int128{e.position.raw} - e.open_buy.raw));
}

struct Cut {
  RiskCheck& check;
  std::int64_t& qty;
  // Lowers qty to `limit` for `reason`, recording the first reason that cut.
  void to(std::int64_t limit, ReasonCode reason) {
    if (qty <= limit) return;
    qty = std::max<std::int64_t>(0, limit);
    check.reasons_mask |= reason_bit(reason);
    if (check.reason == ReasonCode::kNone) check.reason = reason;
  }
};

// Rejects for `reason`; the reported reason stays the first one in validation order, so an
// order first cut by a limit and then refused by a later step reports that limit.
RiskCheck reject(RiskCheck check, ReasonCode reason) {
  check.verdict = Verdict::kRejected;
  check.approved_qty = Qty{};
  check.reasons_mask |= reason_bit(reason);
  // A rejection is explained by the step that rejected; earlier cuts stay in the mask.
  check.reason = reason;
  return check;
}

bool order_is_well_formed(const OrderIntent& intent, const Instrument& inst) {
  if (intent.instrument != inst.id) return false;
  if (intent.qty.raw <= 0 || !inst.on_lot(intent.qty)) return false;
  if (intent.type == OrderType::kLimit && (intent.limit_price.raw <= 0 || !inst.on_tick(intent.limit_price)))
    return false;
  return !(intent.type == OrderType::kMarket && intent.post_only);
}

}  // namespace

std::string_view to_string(TradingState s) {
  switch (s) {
    case TradingState::kActive: return "active";
    case TradingState::kKilledForDay: return "killed_for_day";
    case TradingState::kKilled: return "killed";
    case TradingState::kLockdown: return "lockdown";
  }
  return "unknown";
}

std::string_view to_string(RiskEvent e) {
  switch (e) {
    case RiskEvent::kNone: return "none";
    case RiskEvent::kDailyLossKill: return "daily_loss_kill";
    case RiskEvent::kDrawdownKill: return "drawdown_kill";
    case RiskEvent::kEmergencyLockdown: return "emergency_lockdown";
  }
  return "unknown";
}

Result<RiskGuard> RiskGuard::create(RiskProfile profile, TradingMode mode) {
  if (profile == RiskProfile::kResearch && mode != TradingMode::kBacktest)
    return make_error(ErrorCode::kInvalidArgument, "risk profile 'research' is for backtests only; refused in " +
                                                       std::string(to_string(mode)) + " mode");
  return RiskGuard(profile, mode, limits_for(profile));
}

Result<RiskGuard> RiskGuard::create(RiskProfile profile, TradingMode mode, const RiskLimits& limits) {
  auto guard = create(profile, mode);
  if (!guard.ok()) return guard;
  if (profile != RiskProfile::kResearch) {
    const std::string outside = limits_outside_ceilings(limits);
    if (!outside.empty()) return make_error(ErrorCode::kInvalidArgument, "risk limits refused: " + outside);
  }
  return RiskGuard(profile, mode, limits);
}

RiskGuard::RiskGuard(RiskProfile profile, TradingMode mode, const RiskLimits& limits)
    : profile_(profile), mode_(mode), configured_(limits), limits_(limits) {}

void RiskGuard::set_tightening(int percent) {
  tightening_ = std::clamp(percent, 0, 100);
  limits_ = configured_;
  limits_.position_bp = configured_.position_bp * tightening_ / 100;
  limits_.exposure_bp = configured_.exposure_bp * tightening_ / 100;
}

LimitsInForce RiskGuard::limits_in_force() const {
  return LimitsInForce{static_cast<std::uint8_t>(profile_),
                       static_cast<std::int32_t>(limits_.daily_loss_bp),
                       static_cast<std::int32_t>(limits_.max_drawdown_bp),
                       static_cast<std::int32_t>(limits_.position_bp),
                       static_cast<std::int32_t>(limits_.exposure_bp),
                       static_cast<std::int32_t>(limits_.leverage_x100)};
}

RiskCheck RiskGuard::check(const OrderIntent& intent, const Instrument& inst, const AccountState& account,
                           Price reference) {
  RiskCheck out;
  if (!order_is_well_formed(intent, inst)) return reject(out, ReasonCode::kInvalidOrder);
  // No price to value the order at (a market order before any market data).
  if (reference.raw <= 0) return reject(out, ReasonCode::kNoMarketData);
  std::int64_t qty = intent.qty.raw;
  Cut cut{out, qty};
  const InstrumentExposure& exp = account.instrument;
  const std::int64_t reducible = reducible_qty(exp, intent.side);
  if (intent.reduce_only) {
    if (reducible == 0) return reject(out, ReasonCode::kInsufficientPosition);
    cut.to(reducible, ReasonCode::kInsufficientPosition);
  }
  out.risk_reducing = qty <= reducible;

  if (!out.risk_reducing) {
    // 1. Lockdown and kill switch block every risk-increasing order.
    if (state_ == TradingState::kLockdown) return reject(out, ReasonCode::kLockdown);
    if (state_ != TradingState::kActive) return reject(out, ReasonCode::kKillSwitch);
    if (safe_mode_) return reject(out, ReasonCode::kSafeMode);
    if (venue_unavailable_) return reject(out, ReasonCode::kVenueUnavailable);
    if (no_usable_key_) return reject(out, ReasonCode::kNoUsableKey);
    if (account.equity.raw <= 0) return reject(out, ReasonCode::kInsufficientBalance);
    const int128 others = int128{account.gross_exposure.raw} - account.instrument_exposure.raw;

    // 2. Leverage: an attempt above the hard ceiling is refused and locks the account down.
    auto after = inst.notional(reference, Qty::from_raw(worst_case_after(exp, intent.side, qty)));
    const Money ceiling = fraction_of(account.equity, limits_.leverage_x100 * 100);
    if (!after.ok() || others + after->raw > ceiling.raw) {
      // Research runs mimic other engines, which simply refuse such an order.
      if (profile_ != RiskProfile::kResearch) state_ = TradingState::kLockdown;
      return reject(out, ReasonCode::kLeverageCeiling);
    }
    // 2b. Position size against its LOCKED hard ceiling: the profile's limit cuts orders as
    // routine (step 4); an order that itself takes the worst-case position beyond the ceiling
    // is never routine. (A position already there, e.g. after equity fell, is not an attempt.)
    const Money position_ceiling = fraction_of(account.equity, kHardCeilings.position_bp);
    const std::int64_t before_qty = worst_case_after(exp, intent.side, 0);
    if (profile_ != RiskProfile::kResearch && after->raw > position_ceiling.raw &&
        worst_case_after(exp, intent.side, qty) > before_qty) {
      state_ = TradingState::kLockdown;
      return reject(out, ReasonCode::kPositionCeiling);
    }

    // 3. Balance: spot buys need the cash (with fee); spot sells need the holdings.
    if (intent.side == Side::kBuy) {
      const Money free_cash = money_clamped(int128{account.cash.raw} - account.reserved_cash.raw);
      auto fee_rate = std::max(inst.taker_fee.ppm, inst.maker_fee.ppm);
      // budget / (1 + fee) so that notional + fee fits.
      auto budget = mul_div(free_cash.raw, 1'000'000, 1'000'000 + std::max<std::int64_t>(0, fee_rate), Rounding::kDown);
      cut.to(budget.ok() ? qty_within(inst, Money::from_raw(*budget), reference) : 0, ReasonCode::kInsufficientBalance);
    } else if (!account.allow_short) {
      cut.to(reducible, ReasonCode::kInsufficientPosition);
    }

    // 4. Position size, worst case of this instrument including its open orders.
    const std::int64_t max_position = qty_within(inst, fraction_of(account.equity, limits_.position_bp), reference);
    cut.to(max_qty_for_worst_case(exp, intent.side, max_position), ReasonCode::kPositionLimit);

    // 5. Total exposure across instruments, open orders at their worst case.
    const Money room = money_clamped(fraction_of(account.equity, limits_.exposure_bp).raw - others);
    cut.to(max_qty_for_worst_case(exp, intent.side, qty_within(inst, room, reference)), ReasonCode::kExposureLimit);

    // 6. Emergency mode: a loss past the emergency threshold stops all new risk.
    const Money emergency_loss = fraction_of(account.start_of_day_equity, limits_.emergency_loss_bp);
    if (emergency_loss.raw > 0 && int128{account.start_of_day_equity.raw} - account.equity.raw >= emergency_loss.raw)
      return reject(out, ReasonCode::kEmergencyStop);
  }

  // 7. Size adjustment onto the lot grid and above the venue's minimums.
  qty = inst.round_down_to_lot(Qty::from_raw(qty)).raw;
  if (qty == 0) return reject(out, out.reason == ReasonCode::kNone ? ReasonCode::kBelowMinQty : out.reason);
  auto notional = inst.notional(reference, Qty::from_raw(qty));
  if (!notional.ok() || *notional < inst.min_notional) return reject(out, ReasonCode::kBelowMinNotional);

  // 8. Final approval.
  out.approved_qty = Qty::from_raw(qty);
  out.verdict = qty == intent.qty.raw ? Verdict::kApproved : Verdict::kReduced;
  return out;
}

RiskEvent RiskGuard::update(const AccountState& account) {
  if (state_ == TradingState::kLockdown) return RiskEvent::kNone;
  // The thresholds move only with start-of-day equity and the peak: recompute them then, not
  // on every mark (this runs once per bar).
  if (account.start_of_day_equity != thresholds_.start_of_day_equity ||
      account.equity_peak != thresholds_.equity_peak) {
    thresholds_.start_of_day_equity = account.start_of_day_equity;
    thresholds_.equity_peak = account.equity_peak;
    thresholds_.emergency = fraction_of(account.start_of_day_equity, limits_.emergency_loss_bp);
    thresholds_.max_drawdown = fraction_of(account.equity_peak, limits_.max_drawdown_bp);
    thresholds_.daily_loss = fraction_of(account.start_of_day_equity, limits_.daily_loss_bp);
  }
  const int128 day_loss = int128{account.start_of_day_equity.raw} - account.equity.raw;
  const Money emergency = thresholds_.emergency;
  if (emergency.raw > 0 && day_loss >= emergency.raw) {
    state_ = TradingState::kLockdown;
    return RiskEvent::kEmergencyLockdown;
  }
  if (state_ == TradingState::kKilled) return RiskEvent::kNone;
  const int128 drawdown = int128{account.equity_peak.raw} - account.equity.raw;
  const Money max_drawdown = thresholds_.max_drawdown;
  if (max_drawdown.raw > 0 && drawdown >= max_drawdown.raw && limits_.max_drawdown_bp < kBpDenominator) {
    state_ = TradingState::kKilled;
    return RiskEvent::kDrawdownKill;
  }
  if (state_ == TradingState::kKilledForDay) return RiskEvent::kNone;
  const Money daily_limit = thresholds_.daily_loss;
  if (daily_limit.raw > 0 && day_loss >= daily_limit.raw && limits_.daily_loss_bp < kBpDenominator) {
    state_ = TradingState::kKilledForDay;
    return RiskEvent::kDailyLossKill;
  }
  return RiskEvent::kNone;
}

void RiskGuard::start_day() {
  if (state_ == TradingState::kKilledForDay) state_ = TradingState::kActive;
}

}  // namespace cst
