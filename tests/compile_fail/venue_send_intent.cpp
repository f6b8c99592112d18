// Invariant 1: a venue's send takes an ApprovedOrder and nothing else: an OrderIntent does not convert.
// expect: (cannot convert|no matching function|could not convert|no viable conversion)
#include "cst/venues/venue.hpp"

void route(cst::Venue& venue, const cst::OrderIntent& intent) {
#ifndef CST_CONTROL
  (void)venue.send(intent);
#endif
  (void)venue;
  (void)intent;
}

int main() {}
