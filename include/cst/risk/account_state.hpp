// The account as the RiskGuard sees it for one decision: a plain value the caller (engine,
// order manager) assembles from the portfolio and open orders, so the check itself needs no
// lookups. Exposures count open orders at their worst case, not only fills.
#pragma once

#include "cst/core/fixed_point.hpp"

namespace cst {

struct InstrumentExposure {
  Qty position;   // signed
  Qty open_buy;   // remaining quantity of open buy orders
  Qty open_sell;  // remaining quantity of open sell orders
};

struct AccountState {
  Money equity;
  Money cash;
  Money reserved_cash;  // held for open buy orders (notional + fee)
  Money start_of_day_equity;
  Money equity_peak;
  // Sum over all instruments of max(|pos + open_buy|, |pos - open_sell|) * mark.
  Money gross_exposure;
  // The part of gross_exposure that belongs to the order's instrument.
  Money instrument_exposure;
  InstrumentExposure instrument;
  bool allow_short = false;  // spot accounts cannot sell what they do not hold
};

}  // namespace cst
