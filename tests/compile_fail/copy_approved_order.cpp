// An approval is used once: ApprovedOrder cannot be copied (and so cannot be sent twice).
// expect: (use of deleted function|call to deleted constructor)
#include <utility>

#include "cst/gateway/approved_order.hpp"

void inspect(cst::ApprovedOrder&& order) {
#ifndef CST_CONTROL
  cst::ApprovedOrder copy = order;
  (void)copy;
#endif
  cst::ApprovedOrder moved = std::move(order);
  (void)moved;
}

int main() {}
