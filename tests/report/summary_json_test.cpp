// summary.json: every key present, money as exact decimal text, deterministic, atomic.
#include "cst/report/summary_json.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/temp_dir.hpp"

namespace cst::report {
namespace {

namespace fs = std::filesystem;

Money money(std::string_view text) { return parse_money(text).value(); }

// Four days of hourly bars with a few trades and decisions.
BacktestResult sample_result() {
  BacktestResult r;
  r.strategy = "sma_cross";
  r.params = {{"slow", "30"}, {"fast", "10"}, {"note", "<b>\"quoted\" & \\ \n"}};
  r.data_source = "/data/btc-usd-1h.csv";
  r.risk_profile = "moderate";
  r.fill_mode = "next-open";
  r.instrument.symbol = "BTC/USD";
  r.instrument.price_decimals = 2;
  r.instrument.qty_decimals = 6;
  const Timestamp start = Timestamp::from_seconds(days_from_civil(2024, 1, 1) * 86400);
  for (int i = 1; i <= 96; ++i) {
    const std::int64_t wiggle = (i * 37) % 11 - 5;
    r.equity_curve.push_back(EquityPoint{
        start + Duration::from_seconds(i * 3600), Money::from_raw((100'000 + i + wiggle * 20) * 100'000'000),
        Qty::from_raw(i % 3 == 0 ? 0 : 12'345), Price::from_raw((42'000 + i * 10) * 100)});
  }
  r.bars = r.equity_curve.size();
  r.first_bar = r.equity_curve.front().time;
  r.last_bar = r.equity_curve.back().time;
  r.starting_cash = money("100000");
  r.final_equity = money("100123.45678901");
  r.final_cash = money("99600.00000001");
  r.fees = money("12.3456789");
  r.realized_pnl = money("150.5");
  r.unrealized_pnl = money("-27.04321099");
  r.final_position = Qty::from_raw(12'345);
  r.fills.resize(4);
  ClosedTrade win;
  win.pnl = money("200.25");
  ClosedTrade loss;
  loss.pnl = money("-49.75");
  r.closed_trades = {win, loss};
  r.decisions.approved = 10;
  r.decisions.reduced = 2;
  r.decisions.rejected = 3;
  r.decisions.reduced_by_reason[static_cast<std::size_t>(ReasonCode::kPositionLimit)] = 2;
  r.decisions.rejected_by_reason[static_cast<std::size_t>(ReasonCode::kExposureLimit)] = 2;
  r.decisions.rejected_by_reason[static_cast<std::size_t>(ReasonCode::kStaleMarketData)] = 1;
  r.strategy_errors = {"2024-01-02T00:00:00Z on_bar threw: bad \"state\""};
  r.journal_head_hash = std::string(64, 'a');
  return r;
}

class SummaryJson : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tmp_.ok());
    result_ = sample_result();
    stats_ = compute_statistics(result_).value();
  }
  test::TempDir tmp_{"cst_summary_"};
  const fs::path dir_{tmp_.path()};
  BacktestResult result_;
  Statistics stats_;
};

TEST_F(SummaryJson, HasEveryKey) {
  const auto j = nlohmann::json::parse(render_summary_json(result_, stats_));
  for (const char* key : {"final_equity",
                          "return_pct",
                          "max_drawdown_pct",
                          "sharpe",
                          "sortino",
                          "cagr",
                          "fills",
                          "closed_trades",
                          "win_rate",
                          "fees",
                          "decisions",
                          "starting_cash",
                          "realized_pnl",
                          "unrealized_pnl",
                          "final_position",
                          "bars",
                          "first_bar",
                          "last_bar",
                          "strategy",
                          "params",
                          "data",
                          "risk_profile",
                          "fill_mode",
                          "instrument",
                          "journal_head_hash",
                          "strategy_errors",
                          "volatility_pct",
                          "exposure_pct",
                          "buy_and_hold_return_pct",
                          "profit_factor",
                          "return_basis",
                          "max_drawdown_duration_bars",
                          "schema_version"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["instrument"]["symbol"], "BTC/USD");
  EXPECT_EQ(j["instrument"]["price_decimals"], 2);
  EXPECT_EQ(j["instrument"]["qty_decimals"], 6);
  EXPECT_EQ(j["params"]["note"], "<b>\"quoted\" & \\ \n");
  EXPECT_EQ(j["fills"], 4);
  EXPECT_EQ(j["closed_trades"], 2);
  EXPECT_EQ(j["bars"], 96);
  EXPECT_EQ(j["first_bar"], "2024-01-01T01:00:00.000000000Z");
  EXPECT_EQ(j["last_bar"], "2024-01-05T00:00:00.000000000Z");
  EXPECT_EQ(j["return_basis"], "daily");
  EXPECT_EQ(j["strategy_errors"][0], result_.strategy_errors[0]);
  EXPECT_DOUBLE_EQ(j["win_rate"].get<double>(), 0.5);
}

TEST_F(SummaryJson, MoneyIsExactDecimalText) {
  const std::string text = render_summary_json(result_, stats_);
  for (const char* expected :
       {"\"final_equity\": 100123.45678901,", "\"starting_cash\": 100000,", "\"fees\": 12.3456789,",
        "\"realized_pnl\": 150.5,", "\"unrealized_pnl\": -27.04321099,", "\"final_cash\": 99600.00000001,",
        "\"final_position\": 0.012345,", "\"net_pnl\": 123.45678901,", "\"avg_trade_pnl\": 75.25,"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  }
}

TEST_F(SummaryJson, DecisionsListOnlyNonZeroReasons) {
  const auto d = nlohmann::json::parse(render_summary_json(result_, stats_))["decisions"];
  EXPECT_EQ(d["approved"], 10);
  EXPECT_EQ(d["reduced"], 2);
  EXPECT_EQ(d["rejected"], 3);
  const auto& by = d["by_reason"];
  ASSERT_EQ(by.size(), 3u);
  EXPECT_EQ(by["position_limit"]["reduced"], 2);
  EXPECT_EQ(by["position_limit"]["rejected"], 0);
  EXPECT_EQ(by["exposure_limit"]["rejected"], 2);
  EXPECT_EQ(by["stale_market_data"]["rejected"], 1);
}

TEST_F(SummaryJson, FloatsHaveSixDecimals) {
  const std::string text = render_summary_json(result_, stats_);
  // 123.45678901 / 100000 * 100 = 0.12345678901 -> "0.123457"
  EXPECT_NE(text.find("\"return_pct\": 0.123457,"), std::string::npos) << text;
  EXPECT_NE(text.find("\"win_rate\": 0.500000,"), std::string::npos);
}

TEST_F(SummaryJson, EmptyRunUsesNullsNotNonsense) {
  BacktestResult empty;
  const auto j = nlohmann::json::parse(render_summary_json(empty, compute_statistics(empty).value()));
  EXPECT_TRUE(j["first_bar"].is_null());
  EXPECT_TRUE(j["profit_factor"].is_null());
  EXPECT_TRUE(j["buy_and_hold_return_pct"].is_null());
  EXPECT_TRUE(j["params"].is_object());
  EXPECT_TRUE(j["decisions"]["by_reason"].empty());
  EXPECT_EQ(j["return_basis"], "none");
}

TEST_F(SummaryJson, HostileAndInvalidTextStillParses) {
  result_.instrument.symbol = "<script>\"\\\x01\xFF";
  result_.strategy_errors.push_back(std::string("\0zero", 5));
  const auto j = nlohmann::json::parse(render_summary_json(result_, stats_));
  EXPECT_EQ(j["instrument"]["symbol"], "<script>\"\\\x01\xEF\xBF\xBD");
  EXPECT_EQ(j["strategy_errors"][1], std::string("\0zero", 5));
}

TEST_F(SummaryJson, WriteTwiceGivesIdenticalBytes) {
  const fs::path a = dir_ / "a.json";
  const fs::path b = dir_ / "b.json";
  ASSERT_TRUE(write_summary_json(result_, stats_, a.string()).ok());
  ASSERT_TRUE(write_summary_json(sample_result(), compute_statistics(sample_result()).value(), b.string()).ok());
  const std::string bytes = test::read_file(a);
  EXPECT_FALSE(bytes.empty());
  EXPECT_EQ(bytes, test::read_file(b));
  EXPECT_EQ(bytes, render_summary_json(result_, stats_));
}

TEST_F(SummaryJson, NonexistentDirectoryFailsWithoutFile) {
  const fs::path p = dir_ / "missing" / "summary.json";
  const Status s = write_summary_json(result_, stats_, p.string());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kIo);
  EXPECT_FALSE(fs::exists(p));
  EXPECT_FALSE(fs::exists(p.string() + ".tmp"));
}

}  // namespace
}  // namespace cst::report
