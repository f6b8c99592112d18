// Reason codes are counted per code in the journal, summary.json and metrics: every code needs a
// stable, unique snake_case name.
#include "cst/core/reason_code.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>

namespace cst {
namespace {

TEST(ReasonCode, EveryCodeHasAUniqueSnakeCaseName) {
  std::set<std::string> seen;
  for (int i = 0; i < kReasonCodeCount; ++i) {
    const std::string name(to_string(static_cast<ReasonCode>(i)));
    SCOPED_TRACE(name);
    EXPECT_NE(name, "unknown") << "code " << i << " has no name";
    EXPECT_FALSE(name.empty());
    for (char c : name) EXPECT_TRUE(std::islower(static_cast<unsigned char>(c)) || c == '_') << name;
    EXPECT_TRUE(seen.insert(name).second) << "duplicate name " << name;
  }
  EXPECT_EQ(to_string(ReasonCode::kNone), "none");
  EXPECT_EQ(to_string(ReasonCode::kExposureLimit), "exposure_limit");
  EXPECT_EQ(to_string(ReasonCode::kStaleMarketData), "stale_market_data");
  EXPECT_EQ(to_string(ReasonCode::kDuplicateClientOrderId), "duplicate_client_order_id");
  EXPECT_EQ(to_string(ReasonCode::kCount), "unknown");
}

}  // namespace
}  // namespace cst
