// Property: whatever the account and the order, an approved or reduced order never exceeds
// the request, sits on the lot grid, clears the minimum, and never pushes the worst-case
// position or exposure past the profile's limit; a rejected order always has a reason. The
// expectations are recomputed independently (tests/support/risk_properties.hpp).

#include <gtest/gtest.h>

#include <array>

#include "cst/risk/risk_guard.hpp"
#include "support/risk_properties.hpp"

namespace cst {
namespace {

TEST(RiskGuardProperty, RandomOrdersRespectEveryLimit) {
  test::RiskCaseGenerator gen(0x5eed'c0de'2024ULL);
  const Instrument inst = test::test_instrument();
  std::array<int, 3> verdicts{};
  for (int i = 0; i < 20'000; ++i) {
    test::RiskCase c = gen.next();
    auto created = RiskGuard::create(c.profile, TradingMode::kBacktest);
    ASSERT_TRUE(created.ok());
    RiskGuard guard = *created;
    c.state = test::enter_state(guard, c.state);
    const RiskCheck r = guard.check(c.intent, inst, c.account, c.reference);
    const std::string problem =
        test::risk_property_violation(c, test::RiskAnswer{r.verdict, r.approved_qty, r.reason}, guard.state());
    ASSERT_EQ(problem, "") << "case " << i << ": " << test::describe(c) << " → " << to_string(r.verdict) << " "
                           << r.approved_qty.raw << " " << to_string(r.reason);
    ASSERT_TRUE(r.reason == ReasonCode::kNone ||
                (r.reasons_mask & (std::uint64_t{1} << static_cast<unsigned>(r.reason))));
    ++verdicts[static_cast<std::size_t>(r.verdict)];
  }
  // The generator must exercise all three outcomes, or the property says little.
  EXPECT_GT(verdicts[0], 1000);
  EXPECT_GT(verdicts[1], 1000);
  EXPECT_GT(verdicts[2], 1000);
}

}  // namespace
}  // namespace cst
