// sma_cross parameters and the strategy registry: every bad --param is an error that names the
// parameter; nothing unknown is silently ignored.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "cst/strategy/sma_cross.hpp"
#include "cst/strategy/strategy_registry.hpp"

namespace cst {
namespace {

using Params = std::map<std::string, std::string>;

Sizing one() { return *Sizing::parse("1"); }

TEST(SmaCrossParams, DefaultsAreFast10Slow30LongOnly) {
  auto p = SmaCrossParams::parse({}, one());
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->fast, 10);
  EXPECT_EQ(p->slow, 30);
  EXPECT_FALSE(p->allow_short);
  EXPECT_EQ(p->size.text, "1");
}

TEST(SmaCrossParams, ParsesEveryKnownParameter) {
  auto p = SmaCrossParams::parse({{"fast", "5"}, {"slow", "20"}, {"short", "1"}}, *Sizing::parse("10%"));
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->fast, 5);
  EXPECT_EQ(p->slow, 20);
  EXPECT_TRUE(p->allow_short);
  EXPECT_EQ(p->size.kind, Sizing::Kind::kPercentOfEquity);
  auto q = SmaCrossParams::parse({{"short", "0"}}, one());
  ASSERT_TRUE(q.ok());
  EXPECT_FALSE(q->allow_short);
}

struct BadCase {
  Params params;
  const char* must_mention;  // a word the error message has to contain
};

TEST(SmaCrossParams, BadParametersAreErrorsThatNameTheProblem) {
  const BadCase cases[] = {
      {{{"fats", "5"}}, "fats"},  // unknown parameter
      {{{"fast", "5"}, {"window", "3"}}, "window"},
      {{{"fast", "10"}, {"slow", "10"}}, "smaller"},  // fast == slow
      {{{"fast", "20"}, {"slow", "10"}}, "smaller"},  // fast > slow
      {{{"fast", "30"}}, "smaller"},                  // against the default slow 30
      {{{"slow", "5"}}, "smaller"},                   // default fast 10 >= 5
      {{{"fast", "3.5"}}, "integer"},                 // non-integers
      {{{"fast", "abc"}}, "integer"},
      {{{"fast", ""}}, "integer"},
      {{{"fast", "1e2"}}, "integer"},
      {{{"slow", " 40"}}, "integer"},
      {{{"slow", "40 "}}, "integer"},
      {{{"slow", "99999999999"}}, "integer"},  // does not fit an int
      {{{"short", "2"}}, "short"},
      {{{"short", "yes"}}, "integer"},
      {{{"fast", "0"}}, "fast"},
      {{{"fast", "-3"}}, "fast"},
      {{{"slow", "100001"}}, "slow"},
  };
  for (const BadCase& c : cases) {
    std::string desc;
    for (const auto& [k, v] : c.params) desc += k + "='" + v + "' ";
    SCOPED_TRACE(desc);
    auto p = SmaCrossParams::parse(c.params, one());
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(p.error().message.find(c.must_mention), std::string::npos) << p.error().message;
  }
}

TEST(StrategyRegistry, KnowsSmaCross) {
  EXPECT_EQ(strategy_names(), (std::vector<std::string>{"sma_cross"}));
  auto s = make_strategy("sma_cross", {{"fast", "3"}, {"slow", "7"}}, one());
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ((*s)->name(), "sma_cross");
}

TEST(StrategyRegistry, UnknownStrategyIsAnErrorNamingIt) {
  auto s = make_strategy("sma_crossover", {}, one());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("sma_crossover"), std::string::npos);
  EXPECT_NE(s.error().message.find("sma_cross"), std::string::npos);  // lists the known ones
}

TEST(StrategyRegistry, BadParameterIsPassedThrough) {
  auto s = make_strategy("sma_cross", {{"fast", "9"}, {"slow", "3"}}, one());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("smaller"), std::string::npos);
}

}  // namespace
}  // namespace cst
