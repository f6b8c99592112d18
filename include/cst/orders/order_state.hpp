// The order lifecycle of DESIGN.md section 6.
//
//   NEW ──► SUBMITTED ──► OPEN ──► PARTIALLY_FILLED ──► FILLED
//    │          │          │              │
//    └► REJECTED/ERROR     └──────────────┴──► CANCELLED / ERROR
//
// SUBMITTED may go straight to PARTIALLY_FILLED or FILLED (a market order a venue fills
// before acknowledging), to REJECTED (the venue refused) or CANCELLED (IOC remainder).
// PARTIALLY_FILLED may follow itself (each further partial fill is a transition).
// FILLED, CANCELLED, REJECTED and ERROR are terminal. Anything else is an illegal transition.
#pragma once

#include <cstdint>
#include <string_view>

namespace cst {

enum class OrderStatus : std::uint8_t {
  kNew,              // created locally, approved, not yet handed to the venue
  kSubmitted,        // handed to the venue, no acknowledgement yet
  kOpen,             // acknowledged and working, nothing filled
  kPartiallyFilled,  // some quantity filled, remainder working
  kFilled,           // fully filled (terminal)
  kCancelled,        // cancelled with a remainder (terminal)
  kRejected,         // refused by the venue or the gateway (terminal)
  kError,            // outcome unknown or broken; needs reconciliation (terminal here)
};

inline constexpr int kOrderStatusCount = 8;

std::string_view to_string(OrderStatus s);
bool is_terminal(OrderStatus s);
// Whether the state machine allows from -> to.
bool is_legal_transition(OrderStatus from, OrderStatus to);

}  // namespace cst
