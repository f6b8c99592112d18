// Price, Qty and Money are distinct types: adding a price to a quantity does not compile.
// expect: (no match for .*operator[+]|invalid operands to binary expression)
#include "cst/core/fixed_point.hpp"

int main() {
  cst::Price p = cst::Price::from_raw(1);
  cst::Qty q = cst::Qty::from_raw(1);
#ifndef CST_CONTROL
  auto sum = p + q;
  (void)sum;
#endif
  (void)p;
  (void)q;
}
