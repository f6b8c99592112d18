// Random account states and orders for property tests of the RiskGuard (directly and through
// the gateway), and an independent check of what any answer must satisfy.
//
// The check recomputes everything from the profile's documented limits (DESIGN.md section 4,
// copied here by hand, not read from limits_for) with exact 128-bit integers on TEST-USD
// (notional raw = price_raw × qty_raw × 1000; fee = the larger rate, 10 bps, rounded up).
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>

#include "cst/core/fixed_point.hpp"
#include "cst/core/rng.hpp"
#include "cst/risk/risk_guard.hpp"
#include "support/trading_fixtures.hpp"

namespace cst::test {

struct DocumentedLimits {
  std::int64_t position_bp;
  std::int64_t exposure_bp;
};

inline DocumentedLimits documented_limits(RiskProfile p) {
  switch (p) {
    case RiskProfile::kConservative: return {100, 1000};
    case RiskProfile::kModerate: return {200, 2000};  // 2% and 20%
    case RiskProfile::kAggressive: return {400, 4000};
    case RiskProfile::kResearch: return {100000, 100000};  // up to the 10x ceiling
  }
  return {0, 0};
}

inline int128 abs_i128(int128 v) { return v < 0 ? -v : v; }
// Exact notional on TEST-USD, in Money raw.
inline int128 test_notional(int128 qty_raw, Price price) { return qty_raw * price.raw * 1000; }

struct RiskCase {
  RiskProfile profile = RiskProfile::kModerate;
  TradingState state = TradingState::kActive;  // state the guard is in before the check
  AccountState account;
  OrderIntent intent;
  Price reference;
};

// Puts a fresh guard into `state` (kill, daily kill, lockdown) and returns the state it is in:
// the research profile has no daily kill and stays active.
inline TradingState enter_state(RiskGuard& g, TradingState state) {
  switch (state) {
    case TradingState::kActive: break;
    case TradingState::kKilled: g.kill(); break;
    case TradingState::kLockdown: g.lockdown(); break;
    case TradingState::kKilledForDay: {
      AccountState a;
      a.start_of_day_equity = usd(100);
      a.equity_peak = usd(100);
      // 4.5% down: past every daily limit (1%, 2%, 4%), short of every emergency (5%, 10%, 20%)
      // and drawdown (5%, 10%, 20%).
      a.equity = Money::from_raw(9'550'000'000);
      (void)g.update(a);
      break;
    }
  }
  return g.state();
}

class RiskCaseGenerator {
 public:
  // With `only_moderate`, every case uses the moderate profile (a gateway has one guard).
  explicit RiskCaseGenerator(std::uint64_t seed, bool only_moderate = false)
      : rng_(seed), only_moderate_(only_moderate) {}

  RiskCase next() {
    RiskCase c;
    const std::uint64_t pick = below(100);
    c.profile = pick < 30   ? RiskProfile::kConservative
                : pick < 65 ? RiskProfile::kModerate
                : pick < 90 ? RiskProfile::kAggressive
                            : RiskProfile::kResearch;
    if (only_moderate_) c.profile = RiskProfile::kModerate;
    const std::uint64_t s = below(100);
    c.state = s < 85   ? TradingState::kActive
              : s < 90 ? TradingState::kKilled
              : s < 95 ? TradingState::kKilledForDay
                       : TradingState::kLockdown;
    const Price price = cents(5 * static_cast<std::int64_t>(1 + below(400'000)));  // 0.05 .. 20,000.00
    c.reference = price;

    AccountState& a = c.account;
    const std::uint64_t e = below(100);
    a.equity = e == 0   ? Money{}
               : e == 1 ? usd(-1'000)
                        : Money::from_raw(usd(1).raw + static_cast<std::int64_t>(below(1'000'000'000'000'000)));
    const std::int64_t eq = std::max<std::int64_t>(a.equity.raw, 0);
    const std::int64_t lot_value = static_cast<std::int64_t>(test_notional(10, price));
    // The position limit in lots for this profile: the scale around which quantities are drawn.
    const std::int64_t limit_lots =
        static_cast<std::int64_t>(int128{eq} * documented_limits(c.profile).position_bp / 10'000 / lot_value);
    const std::int64_t scale = limit_lots + 3;

    a.allow_short = rng_.bernoulli(0.5);
    std::int64_t pos_lots = static_cast<std::int64_t>(below(2 * static_cast<std::uint64_t>(scale)));
    if (a.allow_short && rng_.bernoulli(0.5)) pos_lots = -pos_lots;
    if (rng_.bernoulli(0.3)) pos_lots = 0;
    const std::int64_t open_buy_lots =
        rng_.bernoulli(0.5) ? 0 : static_cast<std::int64_t>(below(static_cast<std::uint64_t>(scale)));
    const std::int64_t open_sell_lots =
        rng_.bernoulli(0.5) ? 0 : static_cast<std::int64_t>(below(static_cast<std::uint64_t>(scale)));
    a.instrument = {Qty::from_raw(pos_lots * 10), Qty::from_raw(open_buy_lots * 10),
                    Qty::from_raw(open_sell_lots * 10)};
    const int128 worst =
        std::max(abs_i128(int128{pos_lots} + open_buy_lots), abs_i128(int128{pos_lots} - open_sell_lots)) * 10;
    a.instrument_exposure =
        Money::from_raw(static_cast<std::int64_t>(std::min<int128>(test_notional(worst, price), INT64_MAX / 4)));
    const std::int64_t exposure_limit =
        static_cast<std::int64_t>(int128{eq} * documented_limits(c.profile).exposure_bp / 10'000);
    const std::int64_t others =
        static_cast<std::int64_t>(below(static_cast<std::uint64_t>(exposure_limit) / 5 * 6 + 1));
    a.gross_exposure = a.instrument_exposure + Money::from_raw(others);
    a.cash = Money::from_raw(static_cast<std::int64_t>(below(static_cast<std::uint64_t>(eq) * 2 + 1)) - eq / 10);
    a.reserved_cash = rng_.bernoulli(0.5) || a.cash.raw <= 0
                          ? Money{}
                          : Money::from_raw(static_cast<std::int64_t>(below(static_cast<std::uint64_t>(a.cash.raw))));
    a.start_of_day_equity = Money::from_raw(eq + eq / 100 * (static_cast<std::int64_t>(below(31)) - 15));
    a.equity_peak = Money::from_raw(std::max(a.start_of_day_equity.raw, a.equity.raw) +
                                    static_cast<std::int64_t>(below(static_cast<std::uint64_t>(eq) / 10 + 1)));

    // The order: mostly around the limit (exactly at it, one lot either side, or anywhere below 3×).
    std::int64_t lots = 0;
    const std::uint64_t q = below(100);
    if (q < 10)
      lots = limit_lots;
    else if (q < 15)
      lots = limit_lots + 1;
    else if (q < 20)
      lots = std::max<std::int64_t>(limit_lots - 1, 1);
    else
      lots = 1 + static_cast<std::int64_t>(below(3 * static_cast<std::uint64_t>(scale)));
    Qty qty = Qty::from_raw(lots * 10);
    const std::uint64_t odd = below(200);
    if (odd == 0) qty = Qty::from_raw(INT64_MAX / 10 * 10);  // overflows every notional
    if (odd == 1) qty = Qty{};                               // invalid
    if (odd == 2) qty = Qty::from_raw(lots * 10 + 5);        // off the lot grid
    const Side side = rng_.bernoulli(0.5) ? Side::kBuy : Side::kSell;
    c.intent = rng_.bernoulli(0.5) ? market_order(side, qty, "p-1") : limit_order(side, qty, price, "p-1");
    c.intent.reduce_only = rng_.bernoulli(0.1);
    return c;
  }

 private:
  std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : rng_.next_u64() % n; }
  Rng rng_;
  bool only_moderate_;
};

struct RiskAnswer {
  Verdict verdict = Verdict::kRejected;
  Qty approved;
  ReasonCode reason = ReasonCode::kNone;
};

// Empty if `answer` satisfies every property for `c`; otherwise what it broke.
inline std::string risk_property_violation(const RiskCase& c, const RiskAnswer& answer, TradingState state_after) {
  const AccountState& a = c.account;
  const OrderIntent& o = c.intent;
  const Instrument inst = test_instrument();
  const std::int64_t q = answer.approved.raw;

  if (answer.verdict == Verdict::kRejected) {
    if (answer.reason == ReasonCode::kNone) return "rejected without a reason";
    if (q != 0) return "rejected with a quantity";
  } else if (answer.verdict == Verdict::kApproved) {
    if (answer.reason != ReasonCode::kNone) return "approved in full with a reason";
    if (q != o.qty.raw) return "approved a quantity other than the requested";
  } else {
    if (answer.reason == ReasonCode::kNone) return "reduced without a reason";
    if (q <= 0 || q >= o.qty.raw) return "reduced to a quantity not in (0, requested)";
  }

  const bool ceiling_attempt =
      answer.reason == ReasonCode::kLeverageCeiling || answer.reason == ReasonCode::kPositionCeiling;
  if (ceiling_attempt && c.profile != RiskProfile::kResearch && state_after != TradingState::kLockdown)
    return "ceiling attempt did not lock down";
  if (answer.reason == ReasonCode::kPositionCeiling) {
    // Only an order that grows the worst-case position past 100% of equity is an attempt.
    const int128 pos = a.instrument.position.raw;
    const int128 buys = int128{a.instrument.open_buy.raw} + (o.side == Side::kBuy ? o.qty.raw : 0);
    const int128 sells = int128{a.instrument.open_sell.raw} + (o.side == Side::kSell ? o.qty.raw : 0);
    const int128 before =
        std::max(abs_i128(pos + a.instrument.open_buy.raw), abs_i128(pos - a.instrument.open_sell.raw));
    const int128 after = std::max(abs_i128(pos + buys), abs_i128(pos - sells));
    if (after <= before) return "position ceiling attempt by an order that does not grow the position";
    if (test_notional(after, c.reference) <= int128{a.equity.raw} * kHardCeilings.position_bp / 10'000)
      return "position ceiling attempt within the ceiling";
  }
  if (state_after != c.state && !(ceiling_attempt && state_after == TradingState::kLockdown))
    return "check changed the state for another reason than a ceiling attempt";
  if (c.profile == RiskProfile::kResearch && state_after != c.state) return "research check changed the state";

  if (answer.verdict == Verdict::kRejected) return "";

  // Approved or reduced: on the grid, within the request, above the minimum.
  if (q > o.qty.raw) return "approved more than requested";
  if (q % inst.lot_step.raw != 0) return "approved quantity off the lot grid";
  const int128 n = test_notional(q, c.reference);
  if (n < inst.min_notional.raw) return "approved below min notional";

  const int128 pos = a.instrument.position.raw, ob = a.instrument.open_buy.raw, os = a.instrument.open_sell.raw;
  const bool buy = o.side == Side::kBuy;
  const int128 reducible = std::max<int128>(0, buy ? -pos - ob : pos - os);
  const bool reducing = q <= reducible;
  if (o.reduce_only && !reducing) return "reduce-only order approved beyond the position";
  if (c.state != TradingState::kActive && !reducing) return "risk-increasing order approved in a safe state";
  if (!buy && !a.allow_short && q > std::max<int128>(0, pos - os)) return "spot sell approved beyond holdings";

  // Worst case on the order's side (the side it can make larger) and on the other side.
  const int128 x = buy ? pos + ob : os - pos;
  const int128 side_before = abs_i128(x), side_after = abs_i128(x + q);
  const int128 other_side = buy ? abs_i128(pos - os) : abs_i128(pos + ob);
  const int128 worst_before = std::max(side_before, other_side), worst_after = std::max(side_after, other_side);
  const bool grew = side_after > side_before;

  const int128 equity = std::max<std::int64_t>(a.equity.raw, 0);
  const DocumentedLimits lim = documented_limits(c.profile);
  const int128 position_limit = equity * lim.position_bp / 10'000;
  const int128 exposure_limit = equity * lim.exposure_bp / 10'000;
  const int128 others = int128{a.gross_exposure.raw} - a.instrument_exposure.raw;
  if (grew && test_notional(side_after, c.reference) > position_limit) return "position limit exceeded";
  if (worst_after > worst_before && test_notional(worst_after, c.reference) > position_limit)
    return "worst-case position beyond the limit";
  if (grew && others + test_notional(side_after, c.reference) > exposure_limit) return "exposure limit exceeded";
  if (worst_after > worst_before && others + test_notional(worst_after, c.reference) > exposure_limit)
    return "worst-case exposure beyond the limit";

  // An order that was not reducing as asked went through every step: the leverage ceiling,
  // and for a buy the free cash with its fee.
  const int128 asked = o.reduce_only ? std::min<int128>(o.qty.raw, reducible) : o.qty.raw;
  if (asked > reducible && others + test_notional(worst_after, c.reference) > equity * 10)
    return "leverage ceiling exceeded";
  if (buy && asked > reducible) {
    const int128 fee = (n * 1000 + 999'999) / 1'000'000;  // 10 bps, rounded up
    if (n + fee > int128{a.cash.raw} - a.reserved_cash.raw) return "buy approved beyond free cash";
  }
  return "";
}

inline std::string describe(const RiskCase& c) {
  const AccountState& a = c.account;
  return std::string("profile=") + std::string(to_string(c.profile)) + " state=" + std::string(to_string(c.state)) +
         " side=" + to_string(c.intent.side) + " type=" + to_string(c.intent.type) +
         " qty=" + std::to_string(c.intent.qty.raw) + " reduce_only=" + std::to_string(c.intent.reduce_only) +
         " ref=" + std::to_string(c.reference.raw) + " equity=" + std::to_string(a.equity.raw) +
         " cash=" + std::to_string(a.cash.raw) + " reserved=" + std::to_string(a.reserved_cash.raw) +
         " sod=" + std::to_string(a.start_of_day_equity.raw) + " gross=" + std::to_string(a.gross_exposure.raw) +
         " inst_exp=" + std::to_string(a.instrument_exposure.raw) +
         " pos=" + std::to_string(a.instrument.position.raw) +
         " open_buy=" + std::to_string(a.instrument.open_buy.raw) +
         " open_sell=" + std::to_string(a.instrument.open_sell.raw) + " allow_short=" + std::to_string(a.allow_short);
}

}  // namespace cst::test
