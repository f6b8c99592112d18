// API keys in a paper account: requests are signed only with a usable key; an expired key
// stops new risk; repeated refused signatures or use outside the allowed hours compromise the
// key, which is revoked in the vault and locks the account down.
#include <gtest/gtest.h>

#include "cst/audit/journal_verify.hpp"
#include "cst/security/key_scopes.hpp"
#include "support/paper_session_fixture.hpp"

namespace cst::testing_support {
namespace {

using security::KeyVault;
using security::SecureBuffer;

class PaperKeys : public PaperSessionTest {
 protected:
  PaperKeys() {
    auto v = KeyVault::create(dir_.file("cst.vault"), SecureBuffer::copy_of(std::string_view("vault passphrase")),
                              security::KdfParams{1, 8});
    EXPECT_TRUE(v.ok());
    vault_.emplace(std::move(*v));
    auto id = vault_->add("paper", 3, SecureBuffer::copy_of(std::string_view("key")),
                          SecureBuffer::copy_of(std::string_view("secret")), clock_, security::kDefaultKeyLifetime);
    EXPECT_TRUE(id.ok());
    key_id_ = *id;
    EXPECT_TRUE(vault_->save().ok());
    PaperOptions::KeyAccess access;
    access.venue = "paper";
    for (const auto& k : vault_->keys()) access.keys.push_back(k.info);
    access.vault = &*vault_;
    options_.keys = access;
    options_.wall_clock = [this] { return clock_; };
    options_.max_bars = 10;
  }
  bool journal_has(std::string_view kind, std::string_view text) {
    for (const auto& n : notes(kind))
      if (n.find(text) != std::string::npos) return true;
    return false;
  }

  Timestamp clock_ = Timestamp::from_seconds(1'700'000'000 / 3600 * 3600 + 12 * 3600);  // 10:00 UTC
  std::optional<KeyVault> vault_;
  std::string key_id_;
};

TEST_F(PaperKeys, RequestsAreSignedAndAccountedToTheKey) {
  PaperRun r = run([](StrategyContext& ctx, int bar) {
    if (bar == 2) ctx.submit(market_buy());
  });
  EXPECT_EQ(r.fills, 1u);
  EXPECT_TRUE(journal_has("key_event", "\"event\":\"inventory\""));
  // Added with `cst keys` before the first start: journaled then, and only once.
  EXPECT_TRUE(journal_has("key_event", "\"event\":\"added\""));
  EXPECT_FALSE(journal_has("key_event", "no_usable_key"));
  auto usage = store()->key_usage();
  ASSERT_TRUE(usage.ok());
  ASSERT_EQ(usage->size(), 1u);
  EXPECT_EQ((*usage)[0].key_id, key_id_);
  EXPECT_GT((*usage)[0].requests, 0);
  EXPECT_EQ((*usage)[0].last_use, clock_);
  EXPECT_NE((*usage)[0].endpoints.find("order.new=1"), std::string::npos) << (*usage)[0].endpoints;
  clock_ = clock_ + Duration::from_seconds(60);
  (void)run([](StrategyContext&, int) {});
  std::size_t added = 0;
  for (const auto& n : notes("key_event")) added += n.find("\"event\":\"added\"") != std::string::npos;
  EXPECT_EQ(added, 1u);
}

TEST_F(PaperKeys, AKeyExpiringWhileRunningStopsNewRisk) {
  ReasonCode after_expiry = ReasonCode::kNone;
  options_.drill = [&](PaperDrill& d) {
    if (d.bar_index == 4) clock_ = clock_ + security::kDefaultKeyLifetime;  // a day later
    return false;
  };
  PaperRun r = run([&](StrategyContext& ctx, int bar) {
    if (bar == 6) after_expiry = ctx.submit(market_buy()).reason;
  });
  EXPECT_EQ(after_expiry, ReasonCode::kNoUsableKey);
  EXPECT_EQ(r.fills, 0u);
  EXPECT_TRUE(journal_has("key_event", "\"event\":\"no_usable_key\""));
  EXPECT_TRUE(journal_has("security_event", "key_expired"));
  // And a restart with only an expired key refuses to start, saying what to do.
  auto again = run_paper(config_, bars_, *std::make_unique<ScriptStrategy>([](StrategyContext&, int) {}), options_);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message.find("cst keys rotate"), std::string::npos) << again.error().message;
}

TEST_F(PaperKeys, RepeatedRefusedSignaturesCompromiseTheKeyRevokeItAndLockDown) {
  options_.drill = [&](PaperDrill& d) {
    if (d.bar_index == 3) d.venue.faults().reject_next_signatures = 3;
    // Reconcile now: a reconciliation stops at its first refused request, so three of them.
    return d.bar_index >= 3 && d.bar_index <= 5;
  };
  PaperRun r = run([](StrategyContext&, int) {});
  EXPECT_EQ(r.trading_state, TradingState::kLockdown);
  EXPECT_TRUE(journal_has("key_event", "\"event\":\"repeated_auth_failures\""));
  EXPECT_TRUE(journal_has("key_event", "revoked in the vault"));
  EXPECT_TRUE(journal_has("security_event", "key_compromised"));
  auto reopened = KeyVault::open(vault_->path(), SecureBuffer::copy_of(std::string_view("vault passphrase")));
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  EXPECT_EQ(reopened->find(key_id_)->info.status, security::KeyStatus::kCompromised);
  EXPECT_TRUE(reopened->find(key_id_)->api_secret.empty());
  EXPECT_EQ(store()->load()->controls.trading_state, TradingState::kLockdown);
}

TEST_F(PaperKeys, UseOutsideTheAllowedHoursCompromisesTheKey) {
  options_.keys->policy.allowed_from_hour = 13;  // the clock says 10:00 UTC
  options_.keys->policy.allowed_to_hour = 17;
  auto r = run_paper(config_, bars_, *std::make_unique<ScriptStrategy>([](StrategyContext&, int) {}), options_);
  // The first request at start-up is outside the hours: the key is compromised before trading.
  EXPECT_TRUE(journal_has("key_event", "\"event\":\"outside_allowed_hours\""));
  EXPECT_TRUE(journal_has("security_event", "key_compromised"));
  EXPECT_EQ(store()->load()->controls.trading_state, TradingState::kLockdown);
  if (r.ok()) {
    EXPECT_EQ(r->trading_state, TradingState::kLockdown);
  }
}

}  // namespace
}  // namespace cst::testing_support
