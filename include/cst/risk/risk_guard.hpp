// RiskGuard: the account-level half of the pre-trade gateway (DESIGN.md section 4).
//
// check() runs the eight steps in order: lockdown/kill → leverage → balance → position size →
// total exposure → emergency mode → size adjustment → final approval. It may approve, reduce
// (approved qty < requested: the largest lot multiple that fits every limit) or reject. The
// reported reason is the first step, in that order, that reduced or rejected the order;
// reasons_mask holds every step that did. Limits are inclusive: an order that reaches a
// limit exactly passes, one lot more is cut. Loss limits in update() trip when the loss
// reaches them. Before the steps, a malformed order (qty not positive or off the lot grid,
// limit price not positive or off the tick grid, a post-only market order, another
// instrument) is rejected with kInvalidOrder, and one without a reference price with
// kNoMarketData.
// Orders that only reduce risk (closing part of a position) pass the kill switch, lockdown,
// safe mode and an unavailable venue, so positions can always be flattened. update() evaluates the loss limits after
// each equity change and trips the kill switch or lockdown. Single-threaded; no allocation.
#pragma once

#include <cstdint>

#include "cst/audit/records.hpp"
#include "cst/core/instrument.hpp"
#include "cst/core/reason_code.hpp"
#include "cst/core/result.hpp"
#include "cst/orders/order_intent.hpp"
#include "cst/risk/account_state.hpp"
#include "cst/risk/risk_limits.hpp"

namespace cst {

enum class TradingState : std::uint8_t {
  kActive,        // all checks apply
  kKilledForDay,  // daily loss breached: risk-increasing orders blocked until the next UTC day
  kKilled,        // drawdown breach or manual kill: blocked until an operator resumes
  kLockdown,      // leverage or position ceiling attempt, emergency stop, a security trigger:
                  // blocked until an operator resumes
};
std::string_view to_string(TradingState s);

struct RiskCheck {
  Verdict verdict = Verdict::kRejected;
  Qty approved_qty;
  // Rejected: the step that rejected. Reduced: the first step that cut the quantity.
  ReasonCode reason = ReasonCode::kNone;
  std::uint64_t reasons_mask = 0;  // every reason that applied
  bool risk_reducing = false;      // the order only shrinks an existing position
};

// What update() found; the engine journals it and, on emergency, flattens positions.
enum class RiskEvent : std::uint8_t { kNone, kDailyLossKill, kDrawdownKill, kEmergencyLockdown };
std::string_view to_string(RiskEvent e);

class RiskGuard {
 public:
  // Refuses the research profile outside backtests.
  static Result<RiskGuard> create(RiskProfile profile, TradingMode mode);
  // With limits set by the configuration instead of the profile's; refused above the hard
  // ceilings (for every profile but research, which is backtest-only).
  static Result<RiskGuard> create(RiskProfile profile, TradingMode mode, const RiskLimits& limits);

  // Runs the eight steps for one order. `reference` is the price used to value it (limit price
  // for limit orders, the expected execution price for market orders).
  RiskCheck check(const OrderIntent& intent, const Instrument& instrument, const AccountState& account,
                  Price reference);

  // Evaluates daily loss, drawdown and emergency stop against the account after an equity change.
  RiskEvent update(const AccountState& account);
  // A new UTC day: clears a daily-loss kill (not a manual kill, drawdown kill or lockdown).
  void start_day();

  // Manual kill switch; does not weaken a lockdown.
  void kill() {
    if (state_ != TradingState::kLockdown) state_ = TradingState::kKilled;
  }
  void lockdown() { state_ = TradingState::kLockdown; }
  void resume() { state_ = TradingState::kActive; }
  // Puts back the state a previous process stored (kill and lockdown survive restarts).
  void restore(TradingState state) { state_ = state; }
  TradingState state() const { return state_; }
  // Safe mode (after a reconciliation mismatch or drift): only orders that reduce a position.
  void set_safe_mode(bool on) { safe_mode_ = on; }
  bool safe_mode() const { return safe_mode_; }
  // While the venue is disconnected or not yet reconciled, no risk-increasing order.
  void set_venue_unavailable(bool on) { venue_unavailable_ = on; }
  bool venue_unavailable() const { return venue_unavailable_; }
  // No API key may sign for the venue (rotation overdue, revoked): no risk-increasing order.
  void set_no_usable_key(bool on) { no_usable_key_ = on; }
  bool no_usable_key() const { return no_usable_key_; }
  // Threat-level tightening (DESIGN.md section 7): position and exposure limits are scaled to
  // `percent` of the configured ones (100 = none). Recorded in every decision's limits.
  void set_tightening(int percent);
  int tightening() const { return tightening_; }
  // The limits the checks use now (configured, then tightened).
  const RiskLimits& limits() const { return limits_; }
  const RiskLimits& configured_limits() const { return configured_; }
  RiskProfile profile() const { return profile_; }
  TradingMode mode() const { return mode_; }
  LimitsInForce limits_in_force() const;

 private:
  RiskGuard(RiskProfile profile, TradingMode mode, const RiskLimits& limits);

  RiskProfile profile_;
  TradingMode mode_;
  RiskLimits configured_;
  RiskLimits limits_;
  int tightening_ = 100;
  TradingState state_ = TradingState::kActive;
  bool safe_mode_ = false;
  bool venue_unavailable_ = false;
  bool no_usable_key_ = false;
  struct LossThresholds {
    Money start_of_day_equity = Money::from_raw(-1);  // the references they were computed for
    Money equity_peak = Money::from_raw(-1);
    Money emergency;
    Money max_drawdown;
    Money daily_loss;
  };
  LossThresholds thresholds_;
};

}  // namespace cst
