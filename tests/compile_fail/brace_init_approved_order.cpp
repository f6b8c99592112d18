// Invariant 1: ApprovedOrder is not an aggregate; braces cannot reach its fields either.
// expect: (private within this context|no matching function|calling a private constructor)
#include "cst/gateway/approved_order.hpp"

int main() {
  cst::OrderIntent intent;
#ifndef CST_CONTROL
  cst::ApprovedOrder order{intent, intent.qty, intent.limit_price, std::uint64_t{1}};
  (void)order;
#endif
  (void)intent;
}
