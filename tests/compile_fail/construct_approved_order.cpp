// Invariant 1: only the ExecutionGateway can construct an ApprovedOrder.
// expect: (private within this context|calling a private constructor)
#include "cst/gateway/approved_order.hpp"

int main() {
  cst::OrderIntent intent;
#ifndef CST_CONTROL
  cst::ApprovedOrder order(intent, intent.qty, intent.limit_price, 1);
  (void)order;
#endif
  (void)intent;
}
