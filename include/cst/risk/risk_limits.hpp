// Risk limits and the profiles of DESIGN.md section 4. Limits are in basis points of equity
// (200 bp = 2%) so checks stay in integers. Profiles scale the limits but never past the
// hard ceilings; `research` widens them for comparison with other engines and is refused
// outside backtests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cst {

enum class RiskProfile : std::uint8_t { kConservative, kModerate, kAggressive, kResearch };
enum class TradingMode : std::uint8_t { kBacktest, kPaper, kLive };

std::string_view to_string(RiskProfile p);
std::optional<RiskProfile> parse_risk_profile(std::string_view name);
std::string_view to_string(TradingMode m);

struct RiskLimits {
  std::int64_t daily_loss_bp;      // loss from start-of-day equity → kill switch for the day
  std::int64_t max_drawdown_bp;    // fall from equity peak → kill switch until operator resume
  std::int64_t position_bp;        // |position notional| incl. open orders per instrument
  std::int64_t exposure_bp;        // sum over instruments, open orders at worst case
  std::int64_t leverage_x100;      // gross exposure / equity ceiling; an attempt above → lockdown
  std::int64_t emergency_loss_bp;  // loss from start-of-day equity → flatten, then lockdown
};

// The ceilings no non-research profile may exceed.
inline constexpr RiskLimits kHardCeilings{1000, 2500, 10000, 30000, 1000, 2500};

RiskLimits limits_for(RiskProfile profile);

// The first limit above its hard ceiling (or not positive), by name ("leverage 12.00x is above
// the hard ceiling of 10.00x"); empty if all are within. Ceilings are compiled in and cannot be
// configured (DESIGN.md section 7: LOCKED).
std::string limits_outside_ceilings(const RiskLimits& limits);

}  // namespace cst
