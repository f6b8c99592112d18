// Expectations shared by the RiskGuard and gateway tests: a fresh guard, threshold table rows,
// and a check of verdict, approved quantity and reason in one call.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "cst/risk/risk_guard.hpp"
#include "support/trading_fixtures.hpp"

namespace cst::test {

inline RiskGuard make_guard(RiskProfile profile = RiskProfile::kModerate, TradingMode mode = TradingMode::kBacktest) {
  auto g = RiskGuard::create(profile, mode);
  EXPECT_TRUE(g.ok());
  return *g;
}

// One row of a threshold table: what was asked and what the guard must answer.
struct SizeCase {
  std::string name;
  Qty requested;
  Verdict verdict;
  Qty approved;
  ReasonCode reason;
};

inline void expect_result(const RiskCheck& c, Verdict verdict, Qty approved, ReasonCode reason) {
  EXPECT_EQ(to_string(c.verdict), std::string(to_string(verdict)));
  EXPECT_EQ(c.approved_qty, approved) << "approved raw " << c.approved_qty.raw << ", expected " << approved.raw;
  EXPECT_EQ(to_string(c.reason), to_string(reason));
  if (reason != ReasonCode::kNone) {
    EXPECT_NE(c.reasons_mask & (std::uint64_t{1} << static_cast<unsigned>(reason)), 0u);
  }
}

inline bool has_reason(const RiskCheck& c, ReasonCode r) {
  return (c.reasons_mask & (std::uint64_t{1} << static_cast<unsigned>(r))) != 0;
}

}  // namespace cst::test
