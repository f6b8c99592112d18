#include "cst/core/reason_code.hpp"

namespace cst {

std::string_view to_string(ReasonCode r) {
  switch (r) {
    case ReasonCode::kNone: return "none";
    case ReasonCode::kLockdown: return "lockdown";
    case ReasonCode::kKillSwitch: return "kill_switch";
    case ReasonCode::kLeverageCeiling: return "leverage_ceiling";
    case ReasonCode::kLeverageLimit: return "leverage_limit";
    case ReasonCode::kInsufficientBalance: return "insufficient_balance";
    case ReasonCode::kInsufficientPosition: return "insufficient_position";
    case ReasonCode::kPositionLimit: return "position_limit";
    case ReasonCode::kExposureLimit: return "exposure_limit";
    case ReasonCode::kEmergencyStop: return "emergency_stop";
    case ReasonCode::kBelowMinQty: return "below_min_qty";
    case ReasonCode::kBelowMinNotional: return "below_min_notional";
    case ReasonCode::kInvalidOrder: return "invalid_order";
    case ReasonCode::kResearchProfileRefused: return "research_profile_refused";
    case ReasonCode::kStaleMarketData: return "stale_market_data";
    case ReasonCode::kNoMarketData: return "no_market_data";
    case ReasonCode::kSpreadTooWide: return "spread_too_wide";
    case ReasonCode::kInsufficientDepth: return "insufficient_depth";
    case ReasonCode::kInsufficientVolume: return "insufficient_volume";
    case ReasonCode::kPriceCollar: return "price_collar";
    case ReasonCode::kMaxOrderNotional: return "max_order_notional";
    case ReasonCode::kMaxOrderQty: return "max_order_qty";
    case ReasonCode::kPostOnlyWouldCross: return "post_only_would_cross";
    case ReasonCode::kThrottled: return "throttled";
    case ReasonCode::kRepeatedOrder: return "repeated_order";
    case ReasonCode::kDuplicateClientOrderId: return "duplicate_client_order_id";
    case ReasonCode::kSafeMode: return "safe_mode";
    case ReasonCode::kVenueUnavailable: return "venue_unavailable";
    case ReasonCode::kWarmUp: return "warm_up";
    case ReasonCode::kPositionCeiling: return "position_ceiling";
    case ReasonCode::kNoUsableKey: return "no_usable_key";
    case ReasonCode::kCount: break;
  }
  return "unknown";
}

}  // namespace cst
