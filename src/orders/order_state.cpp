#include "cst/orders/order_state.hpp"

namespace cst {

std::string_view to_string(OrderStatus s) {
  switch (s) {
    case OrderStatus::kNew: return "NEW";
    case OrderStatus::kSubmitted: return "SUBMITTED";
    case OrderStatus::kOpen: return "OPEN";
    case OrderStatus::kPartiallyFilled: return "PARTIALLY_FILLED";
    case OrderStatus::kFilled: return "FILLED";
    case OrderStatus::kCancelled: return "CANCELLED";
    case OrderStatus::kRejected: return "REJECTED";
    case OrderStatus::kError: return "ERROR";
  }
  return "UNKNOWN";
}

bool is_terminal(OrderStatus s) {
  return s == OrderStatus::kFilled || s == OrderStatus::kCancelled || s == OrderStatus::kRejected ||
         s == OrderStatus::kError;
}

bool is_legal_transition(OrderStatus from, OrderStatus to) {
  using S = OrderStatus;
  switch (from) {
    case S::kNew: return to == S::kSubmitted || to == S::kRejected || to == S::kError;
    case S::kSubmitted:
      return to == S::kOpen || to == S::kPartiallyFilled || to == S::kFilled || to == S::kRejected ||
             to == S::kCancelled || to == S::kError;
    case S::kOpen:
    case S::kPartiallyFilled:
      return to == S::kPartiallyFilled || to == S::kFilled || to == S::kCancelled || to == S::kError;
    case S::kFilled:
    case S::kCancelled:
    case S::kRejected:
    case S::kError: return false;
  }
  return false;
}

}  // namespace cst
