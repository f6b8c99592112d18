// Cancels pass the gateway too: only it can construct an ApprovedCancel.
// expect: (private within this context|calling a private constructor)
#include "cst/gateway/approved_order.hpp"

int main() {
  cst::CancelIntent intent;
#ifndef CST_CONTROL
  cst::ApprovedCancel cancel(intent);
  (void)cancel;
#endif
  (void)intent;
}
