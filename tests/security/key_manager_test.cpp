// The key manager on synthetic usage: each anomaly is found at its threshold and not below.
#include "cst/security/key_manager.hpp"

#include <gtest/gtest.h>

#include "cst/security/key_vault.hpp"

namespace cst::security {
namespace {

// 2023-11-15 10:00:00 UTC: a round hour, so minutes and hours below are easy to read.
const Timestamp kHour10 = Timestamp::from_seconds(1'700'000'000 / 3600 * 3600 + 12 * 3600);

Timestamp at(std::int64_t seconds) { return kHour10 + Duration::from_seconds(seconds); }

KeyInfo key(std::string_view venue, std::uint8_t id, Timestamp created, Duration lifetime = kDefaultKeyLifetime) {
  KeyInfo k;
  k.id[0] = id;
  k.venue = std::string(venue);
  k.scopes = 3;
  k.created = created;
  k.expires = created + lifetime;
  return k;
}

std::vector<KeyFinding> findings(const std::vector<KeyReport>& r) {
  std::vector<KeyFinding> out;
  for (const auto& x : r) out.push_back(x.finding);
  return out;
}

TEST(KeyManager, AnExpiredKeyCannotSignAndTheNewestUsableOneIsChosen) {
  KeyManager m({});
  const KeyInfo old_key = key("binance", 1, at(0));
  const KeyInfo new_key = key("binance", 2, at(3600));
  m.set_keys({old_key, new_key});
  EXPECT_EQ(m.can_sign(old_key.id_hex(), at(24 * 3600 - 1)), SignVerdict::kUsable);
  EXPECT_EQ(m.can_sign(old_key.id_hex(), at(24 * 3600)), SignVerdict::kExpired);
  EXPECT_EQ(m.signing_key("binance", at(100)), new_key.id_hex());
  EXPECT_EQ(m.signing_key("binance", at(25 * 3600)), std::nullopt);  // both expired
  EXPECT_EQ(m.can_sign("ffff", at(0)), SignVerdict::kUnknown);
  m.mark_ended(new_key.id_hex(), KeyStatus::kCompromised, at(200));
  EXPECT_EQ(m.can_sign(new_key.id_hex(), at(201)), SignVerdict::kEnded);
  EXPECT_EQ(m.signing_key("binance", at(201)), old_key.id_hex());
}

TEST(KeyManager, CountsUsageByEndpointHourAndFailure) {
  KeyManager m({});
  m.record("k", "order.new", true, at(0));
  m.record("k", "order.new", true, at(10));
  m.record("k", "account.balances", false, at(3600));
  const KeyUsage* u = m.usage("k");
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->requests, 3u);
  EXPECT_EQ(u->auth_failures, 1u);
  EXPECT_EQ(u->by_endpoint.at("order.new"), 2u);
  EXPECT_EQ(u->by_hour[10], 2u);
  EXPECT_EQ(u->by_hour[11], 1u);
  EXPECT_EQ(u->last_use, at(3600));
}

TEST(KeyManager, EndpointOffTheAllowListCompromises) {
  KeyPolicy p;
  p.allowed_endpoints = {"order.new", "order.cancel"};
  KeyManager m(p);
  EXPECT_TRUE(m.record("k", "order.cancel", true, at(0)).empty());
  EXPECT_EQ(findings(m.record("k", "wallet.withdraw", true, at(1))), std::vector{KeyFinding::kEndpointNotAllowed});
}

TEST(KeyManager, UseOutsideAllowedHoursCompromisesIncludingAcrossMidnight) {
  KeyPolicy day;
  day.allowed_from_hour = 8;
  day.allowed_to_hour = 18;
  KeyManager m(day);
  EXPECT_TRUE(m.record("k", "x", true, at(0)).empty());                                                 // 10:00
  EXPECT_TRUE(m.record("k", "x", true, at(8 * 3600 - 1)).empty());                                      // 17:59:59
  EXPECT_EQ(findings(m.record("k", "x", true, at(8 * 3600))), std::vector{KeyFinding::kOutsideHours});  // 18:00
  KeyPolicy night;
  night.allowed_from_hour = 22;
  night.allowed_to_hour = 6;
  KeyManager n(night);
  EXPECT_EQ(findings(n.record("k", "x", true, at(0))), std::vector{KeyFinding::kOutsideHours});  // 10:00
  EXPECT_TRUE(n.record("k", "x", true, at(13 * 3600)).empty());                                  // 23:00
  EXPECT_TRUE(n.record("k", "x", true, at(19 * 3600)).empty());                                  // 05:00
}

TEST(KeyManager, RateFarAboveItsBaselineCompromisesAtTheThreshold) {
  KeyPolicy p;
  p.rate_factor = 10;
  p.baseline_minutes = 5;
  p.min_anomaly_rate = 60;
  KeyManager m(p);
  // Ten minutes at 10 requests a minute: baseline 10/min, threshold max(100, 60) = 100.
  for (int minute = 0; minute < 10; ++minute)
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(m.record("k", "order.new", true, at(minute * 60 + i)).empty());
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(m.record("k", "order.new", true, at(600 + i % 60)).empty()) << i;
  EXPECT_EQ(findings(m.record("k", "order.new", true, at(659))), std::vector{KeyFinding::kRateAnomaly});
  EXPECT_TRUE(m.record("k", "order.new", true, at(659)).empty());  // told once per minute
}

TEST(KeyManager, NoRateAnomalyBeforeThereIsABaseline) {
  KeyManager m({});
  for (int i = 0; i < 500; ++i) ASSERT_TRUE(m.record("k", "order.new", true, at(i % 60)).empty());
}

TEST(KeyManager, RepeatedAuthFailuresCompromiseASingleOneDoesNot) {
  KeyManager m({});  // 3 within 300 s
  EXPECT_EQ(findings(m.record("k", "order.new", false, at(0))), std::vector{KeyFinding::kAuthFailure});
  EXPECT_EQ(findings(m.record("k", "order.new", false, at(100))), std::vector{KeyFinding::kAuthFailure});
  EXPECT_EQ(findings(m.record("k", "order.new", false, at(301))),
            std::vector{KeyFinding::kAuthFailure});  // first aged out
  EXPECT_EQ(findings(m.record("k", "order.new", false, at(302))), std::vector{KeyFinding::kRepeatedAuthFailures});
}

}  // namespace
}  // namespace cst::security
