// Configuration levels: RESTRICTED changes need the right operators' signatures over the new
// file; everything else is let through and reported.
#include "cst/config/config_review.hpp"

#include <gtest/gtest.h>

namespace cst::config {
namespace {

using security::OperatorSigner;

class ConfigReviewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    baseline_ = ConfigValues{{"risk.profile", "moderate"},
                             {"strategy.size", "10%"},
                             {"paper.speed", "100"},
                             {"security.operators.alice", alice_.public_key().token()},
                             {"security.operators.bob", bob_.public_key().token()}};
  }
  OperatorSigner alice_ = *OperatorSigner::generate("alice");
  OperatorSigner bob_ = *OperatorSigner::generate("bob");
  OperatorSigner mallory_ = *OperatorSigner::generate("mallory");
  ConfigValues baseline_;
  const std::string hash_ = std::string(64, 'a');
};

TEST_F(ConfigReviewTest, EveryKeyTheLoaderAcceptsHasALevel) {
  for (const ParameterSpec& s : parameter_specs()) {
    const std::string key =
        s.key.ends_with(".*") ? std::string(s.key.substr(0, s.key.size() - 1)) + "x" : std::string(s.key);
    EXPECT_EQ(level_of(key), s.level) << key;
  }
  EXPECT_EQ(level_of("strategy.params.fast"), ConfigLevel::kMonitored);
  EXPECT_EQ(level_of("risk.leverage"), ConfigLevel::kRestricted);
  EXPECT_EQ(level_of("strategy.params."), std::nullopt);
  EXPECT_EQ(level_of("risk.unknown"), std::nullopt);
}

TEST_F(ConfigReviewTest, FirstUseBecomesTheBaselineWithoutApproval) {
  const ConfigReview r = review_config(std::nullopt, baseline_, hash_, {});
  EXPECT_TRUE(r.first_use);
  EXPECT_TRUE(r.accepted());
  EXPECT_EQ(r.changes.size(), baseline_.size());
}

TEST_F(ConfigReviewTest, MonitoredAndFlexibleChangesAreReportedNotRefused) {
  ConfigValues next = baseline_;
  next["strategy.size"] = "20%";
  next["paper.speed"] = "0";
  const ConfigReview r = review_config(baseline_, next, hash_, {});
  ASSERT_TRUE(r.accepted());
  ASSERT_EQ(r.changes.size(), 2u);
  EXPECT_EQ(r.changes[0].key, "paper.speed");
  EXPECT_EQ(r.changes[0].level, ConfigLevel::kFlexible);
  EXPECT_EQ(r.changes[1].key, "strategy.size");
  EXPECT_EQ(r.changes[1].level, ConfigLevel::kMonitored);
  EXPECT_EQ(r.changes[1].before, "10%");
  EXPECT_EQ(r.changes[1].after, "20%");
}

TEST_F(ConfigReviewTest, RestrictedChangeWithoutApprovalIsRefused) {
  ConfigValues next = baseline_;
  next["risk.profile"] = "aggressive";
  const ConfigReview r = review_config(baseline_, next, hash_, {});
  EXPECT_FALSE(r.accepted());
  EXPECT_EQ(r.unapproved, std::vector<std::string>{"risk.profile"});
  EXPECT_EQ(r.approvals_needed, 1u);
}

TEST_F(ConfigReviewTest, RestrictedChangeWithAnOperatorsSignatureIsAccepted) {
  ConfigValues next = baseline_;
  next["risk.profile"] = "aggressive";
  const ConfigApproval a = sign_config(alice_, hash_);
  const ConfigReview r = review_config(baseline_, next, hash_, std::span(&a, 1));
  EXPECT_TRUE(r.accepted());
  EXPECT_EQ(r.approved_by, std::vector<std::string>{"alice"});
}

TEST_F(ConfigReviewTest, ApprovalsThatDoNotCountAreIgnoredWithTheReason) {
  ConfigValues next = baseline_;
  next["risk.leverage"] = "5";
  ConfigApproval forged = sign_config(alice_, hash_);
  forged.signature[0] ^= 1;
  ConfigApproval renamed = sign_config(mallory_, hash_);
  renamed.operator_name = "bob";                                             // mallory's signature under bob's name
  const std::vector<ConfigApproval> approvals{sign_config(mallory_, hash_),  // not an operator
                                              sign_config(alice_, std::string(64, 'b')),  // another version of the file
                                              forged, renamed};
  const ConfigReview r = review_config(baseline_, next, hash_, approvals);
  EXPECT_FALSE(r.accepted());
  ASSERT_EQ(r.ignored.size(), 4u);
  EXPECT_NE(r.ignored[0].find("not an operator"), std::string::npos);
  EXPECT_NE(r.ignored[1].find("another version"), std::string::npos);
  EXPECT_NE(r.ignored[2].find("does not verify"), std::string::npos);
  EXPECT_NE(r.ignored[3].find("does not verify"), std::string::npos);
}

TEST_F(ConfigReviewTest, AFileCannotApproveItsOwnNewOperator) {
  // Mallory adds herself and signs: only the baseline's operators count.
  ConfigValues next = baseline_;
  next["security.operators.mallory"] = mallory_.public_key().token();
  const ConfigApproval a = sign_config(mallory_, hash_);
  const ConfigReview r = review_config(baseline_, next, hash_, std::span(&a, 1));
  EXPECT_FALSE(r.accepted());
  EXPECT_EQ(r.unapproved, std::vector<std::string>{"security.operators.mallory"});
}

TEST_F(ConfigReviewTest, TheBaselineSetsHowManyApprovalsAreNeeded) {
  baseline_["security.config_approvals"] = "2";
  ConfigValues next = baseline_;
  next["security.config_approvals"] = "1";  // lowering the bar is itself RESTRICTED, under the old bar
  const ConfigApproval alice = sign_config(alice_, hash_);
  EXPECT_FALSE(review_config(baseline_, next, hash_, std::span(&alice, 1)).accepted());
  const std::vector<ConfigApproval> twice{alice, alice};  // one operator twice is one approval
  EXPECT_FALSE(review_config(baseline_, next, hash_, twice).accepted());
  const std::vector<ConfigApproval> both{alice, sign_config(bob_, hash_)};
  EXPECT_TRUE(review_config(baseline_, next, hash_, both).accepted());
}

TEST_F(ConfigReviewTest, WithoutOperatorsRestrictedChangesAreFlaggedUnprotected) {
  ConfigValues plain{{"risk.profile", "moderate"}};
  ConfigValues next{{"risk.profile", "aggressive"}};
  const ConfigReview r = review_config(plain, next, hash_, {});
  EXPECT_TRUE(r.accepted());
  EXPECT_TRUE(r.unprotected);
}

TEST_F(ConfigReviewTest, ApprovalsFileRoundTripsAndNamesBadLines) {
  const ConfigApproval a = sign_config(alice_, hash_);
  const std::string text = "# approvals\n\n" + format_config_approval(a);
  auto parsed = parse_config_approvals(text, "p.toml.approvals");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_EQ(parsed->size(), 1u);
  EXPECT_EQ((*parsed)[0].signature, a.signature);
  EXPECT_EQ((*parsed)[0].config_hash, hash_);
  auto bad = parse_config_approvals(text + "approve xyz alice 00\n", "p.toml.approvals");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("p.toml.approvals:4:"), std::string::npos) << bad.error().message;
}

TEST_F(ConfigReviewTest, ValuesRoundTripThroughTheirStoredForm) {
  auto decoded = decode_config_values(encode_config_values(baseline_));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, baseline_);
  EXPECT_FALSE(decode_config_values("[1,2]").ok());
  EXPECT_FALSE(decode_config_values("{\"a\":1}").ok());
}

}  // namespace
}  // namespace cst::config
