// Why the gateway reduced or rejected an order: one code per check, so decisions can be
// counted per reason and read by machines (journal, metrics, reports).
#pragma once

#include <cstdint>
#include <string_view>

namespace cst {

enum class ReasonCode : std::uint8_t {
  kNone = 0,
  // RiskGuard, in validation order (DESIGN.md section 4)
  kLockdown,
  kKillSwitch,
  kLeverageCeiling,
  kLeverageLimit,
  kInsufficientBalance,
  kInsufficientPosition,
  kPositionLimit,
  kExposureLimit,
  kEmergencyStop,
  kBelowMinQty,
  kBelowMinNotional,
  kInvalidOrder,
  kResearchProfileRefused,
  // ExecutionPolicy (DESIGN.md section 5)
  kStaleMarketData,
  kNoMarketData,
  kSpreadTooWide,
  kInsufficientDepth,
  kInsufficientVolume,
  kPriceCollar,
  kMaxOrderNotional,
  kMaxOrderQty,
  kPostOnlyWouldCross,
  kThrottled,
  kRepeatedOrder,
  // Gateway
  kDuplicateClientOrderId,
  // Added later; kept after the others so stored masks keep their meaning.
  kSafeMode,          // RiskGuard step 1: reduce-only after a reconciliation mismatch
  kVenueUnavailable,  // RiskGuard step 1: venue disconnected or its state not yet reconciled
  kWarmUp,            // engine, not the gateway: a restarted strategy replays past bars, no orders
  kPositionCeiling,   // RiskGuard step 2: a position above the LOCKED hard ceiling was asked for
  kNoUsableKey,       // RiskGuard step 1: no API key may sign for the venue (expired, revoked)
  kCount
};

inline constexpr int kReasonCodeCount = static_cast<int>(ReasonCode::kCount);

// The bit of a reason in a reasons mask.
inline constexpr std::uint64_t reason_bit(ReasonCode r) { return std::uint64_t{1} << static_cast<unsigned>(r); }

// Stable snake_case names used in the journal, summary.json and metrics.
std::string_view to_string(ReasonCode r);

}  // namespace cst
