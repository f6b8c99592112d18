// The HTML report: self-contained, escaped, deterministic, bounded, atomic.
#include "cst/report/html_report.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "cst/report/drawdown.hpp"
#include "cst/report/svg_chart.hpp"
#include "support/temp_dir.hpp"

extern char** environ;

namespace cst::report {
namespace {

namespace fs = std::filesystem;

Money money(std::string_view text) { return parse_money(text).value(); }

std::size_t count(const std::string& hay, std::string_view needle) {
  std::size_t n = 0;
  for (std::size_t pos = hay.find(needle); pos != std::string::npos; pos = hay.find(needle, pos + 1)) ++n;
  return n;
}

// `bars` hourly points with closes, positions and a few trades; a hostile symbol and params.
BacktestResult sample_result(int bars, int trades) {
  BacktestResult r;
  r.strategy = "mean_revert";
  r.params = {{"window", "20"}, {"x\"><img src=x onerror=alert(1)>", "<script>alert(2)</script>"}};
  r.data_source = "synthetic:42";
  r.risk_profile = "moderate";
  r.fill_mode = "close";
  r.instrument.symbol = "<script>alert(1)</script>";
  r.instrument.price_decimals = 2;
  r.instrument.qty_decimals = 4;
  const Timestamp start = Timestamp::from_seconds(days_from_civil(2024, 2, 1) * 86400);
  for (int i = 1; i <= bars; ++i) {
    const std::int64_t e = 10'000 + (i * 7919) % 301 - 150 + i / 10;
    r.equity_curve.push_back(EquityPoint{start + Duration::from_seconds(std::int64_t{i} * 3600),
                                         Money::from_raw(e * 100'000'000), Qty::from_raw(i % 2),
                                         Price::from_raw((2'000 + (i * 31) % 97) * 100)});
  }
  if (bars > 0) {
    r.first_bar = r.equity_curve.front().time;
    r.last_bar = r.equity_curve.back().time;
    r.final_equity = r.equity_curve.back().equity;
  }
  r.bars = static_cast<std::uint64_t>(bars);
  r.starting_cash = money("10000");
  for (int i = 0; i < trades; ++i) {
    ClosedTrade t;
    t.entry_time = start + Duration::from_seconds(std::int64_t{i} * 60);
    t.exit_time = t.entry_time + Duration::from_seconds(30);
    t.side = i % 2 == 0 ? Side::kBuy : Side::kSell;
    t.qty = Qty::from_raw(15'000);
    t.entry_price = Price::from_raw(200'012);
    t.exit_price = Price::from_raw(200'512);
    t.pnl = Money::from_raw((i % 3 - 1) * 123'456'789);
    t.fees = money("0.0123");
    r.closed_trades.push_back(t);
  }
  r.decisions.approved = 5;
  r.decisions.rejected = 1;
  r.decisions.rejected_by_reason[static_cast<std::size_t>(ReasonCode::kSpreadTooWide)] = 1;
  r.strategy_errors = {"on_bar threw: <b>boom</b>"};
  return r;
}

std::string render(const BacktestResult& r) { return render_html_report(r, compute_statistics(r).value()); }

class HtmlReport : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(tmp_.ok()); }
  test::TempDir tmp_{"cst_html_"};
  const fs::path dir_{tmp_.path()};
};

TEST_F(HtmlReport, IsSelfContained) {
  const std::string html = render(sample_result(200, 10));
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("src=\""), std::string::npos);
  EXPECT_EQ(html.find("href=\"h"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_EQ(count(html, "<svg"), 2u);  // equity and drawdown
  EXPECT_NE(html.find("<style>"), std::string::npos);
}

TEST_F(HtmlReport, EscapesHostileText) {
  const std::string html = render(sample_result(50, 3));
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("x&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;boom&lt;/b&gt;"), std::string::npos);
}

TEST_F(HtmlReport, ShowsRunDescriptionStatisticsAndDefinition) {
  const std::string html = render(sample_result(100, 4));
  for (const char* needle : {"mean_revert", "synthetic:42", "moderate", "close", "2024-02-01 01:00:00 UTC",
                             "Max drawdown", "Sharpe", "Sortino", "Buy &amp; hold", "sample standard deviation",
                             "spread_too_wide", "Gateway decisions", "Strategy errors", "2000.12", "2005.12", "1.5"}) {
    EXPECT_NE(html.find(needle), std::string::npos) << needle;
  }
}

TEST_F(HtmlReport, TradesTableIsCapped) {
  const std::string html = render(sample_result(20, 600));
  EXPECT_NE(html.find("Showing the first 500 of 600 trades; 100 omitted."), std::string::npos);
  const std::size_t begin = html.find("<h2>Trades</h2>");
  const std::size_t end = html.find("</table>", begin);
  EXPECT_EQ(count(html.substr(begin, end - begin), "<tr>"), 501u);  // header + 500 rows
}

TEST_F(HtmlReport, LongRunsAreDownsampled) {
  const std::string html = render(sample_result(20'000, 0));
  const std::size_t poly = html.find("<polyline");
  ASSERT_NE(poly, std::string::npos);
  const std::size_t pts = html.find("points=\"", poly);
  const std::string points = html.substr(pts, html.find('"', pts + 8) - pts);
  EXPECT_LE(count(points, ","), kMaxChartPoints);
  EXPECT_LT(html.size(), 2'000'000u);
}

// The charts are drawn from a single walk over the curve; they must be exactly the min/max
// downsampling of the full per-bar series, with or without bars whose close is unknown.
TEST_F(HtmlReport, ChartsAreMinMaxDownsamplesOfTheFullSeries) {
  for (bool unknown_closes : {false, true}) {
    BacktestResult r = sample_result(30'000, 5);
    if (unknown_closes) {
      for (std::size_t i = 1; i + 1 < r.equity_curve.size(); i += 7) r.equity_curve[i].close = Price{};
    }
    const std::string html = render(r);
    std::vector<ChartPoint> equity;
    std::vector<ChartPoint> hold;
    std::vector<ChartPoint> drawdown;
    const std::vector<double> dd = drawdown_pct_series(r.equity_curve, r.starting_cash);
    const double first_close = static_cast<double>(r.equity_curve.front().close.raw);
    for (std::size_t i = 0; i < r.equity_curve.size(); ++i) {
      const EquityPoint& p = r.equity_curve[i];
      const double x = static_cast<double>(p.time.ns) / 1e9;
      equity.push_back({x, to_double(p.equity)});
      if (p.close.is_positive()) {
        hold.push_back({x, to_double(r.starting_cash) * static_cast<double>(p.close.raw) / first_close});
      }
      drawdown.push_back({x, -dd[i]});
    }
    ChartOptions equity_options;
    equity_options.title = "Equity curve";
    const std::string equity_svg = render_line_chart(
        {ChartSeries{"Strategy equity", "#1f6fb2", downsample_min_max(equity, kMaxChartPoints), false, false},
         ChartSeries{"Buy & hold", "#8a8f98", downsample_min_max(hold, kMaxChartPoints), true, false}},
        equity_options);
    ChartOptions drawdown_options;
    drawdown_options.title = "Drawdown";
    drawdown_options.height = 200;
    drawdown_options.y_suffix = "%";
    drawdown_options.include_zero = true;
    const std::string drawdown_svg = render_line_chart(
        {ChartSeries{"Drawdown from peak", "#c0392b", downsample_min_max(drawdown, kMaxChartPoints), false, true}},
        drawdown_options);
    EXPECT_NE(html.find(equity_svg), std::string::npos) << unknown_closes;
    EXPECT_NE(html.find(drawdown_svg), std::string::npos) << unknown_closes;
  }
}

TEST_F(HtmlReport, EmptyRunsRender) {
  BacktestResult none;  // no bars at all
  const std::string a = render(none);
  EXPECT_NE(a.find("no data"), std::string::npos);
  EXPECT_NE(a.find("No closed trades"), std::string::npos);
  EXPECT_EQ(a.find("nan"), std::string::npos);
  EXPECT_EQ(a.find("inf"), std::string::npos);
  const std::string b = render(sample_result(1, 0));  // one bar, no trades
  EXPECT_NE(b.find("<circle"), std::string::npos);
  EXPECT_EQ(b.find("nan"), std::string::npos);
  EXPECT_EQ(b.find("inf"), std::string::npos);
}

TEST_F(HtmlReport, WriteTwiceGivesIdenticalBytes) {
  const BacktestResult r = sample_result(300, 20);
  const Statistics s = compute_statistics(r).value();
  const fs::path a = dir_ / "a.html";
  const fs::path b = dir_ / "b.html";
  ASSERT_TRUE(write_html_report(r, s, a.string()).ok());
  ASSERT_TRUE(write_html_report(sample_result(300, 20), s, b.string()).ok());
  EXPECT_FALSE(test::read_file(a).empty());
  EXPECT_EQ(test::read_file(a), test::read_file(b));
}

TEST_F(HtmlReport, NonexistentDirectoryFailsWithoutFile) {
  const BacktestResult r = sample_result(10, 1);
  const fs::path p = dir_ / "missing" / "report.html";
  const Status s = write_html_report(r, compute_statistics(r).value(), p.string());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kIo);
  EXPECT_FALSE(fs::exists(p));
  EXPECT_FALSE(fs::exists(p.string() + ".tmp"));
}

// Runs argv[0] with posix_spawn (no shell: nothing in the arguments is interpreted) and
// returns its stdout; empty on failure or after `timeout`.
std::string run_and_capture(const std::vector<std::string>& args, std::chrono::seconds timeout) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return {};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  // redflag-ok(exec): argv array, no shell, no PATH search; the one caller runs /usr/bin/chromium
  const int rc = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  std::string out;
  if (rc == 0) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    char buf[65536];
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{fds[0], POLLIN, 0};
      if (::poll(&p, 1, 1000) <= 0) continue;
      const ssize_t n = ::read(fds[0], buf, sizeof buf);
      if (n <= 0) break;
      out.append(buf, static_cast<std::size_t>(n));
    }
    ::kill(pid, SIGKILL);  // no-op if it already exited; we only kill the child we spawned
    int status = 0;
    ::waitpid(pid, &status, 0);
  }
  ::close(fds[0]);
  return out;
}

TEST_F(HtmlReport, LoadsInHeadlessChromium) {
  const char* chromium = "/usr/bin/chromium";
  if (::access(chromium, X_OK) != 0) GTEST_SKIP() << "chromium not installed";
  const fs::path p = dir_ / "report.html";
  const BacktestResult r = sample_result(500, 30);
  ASSERT_TRUE(write_html_report(r, compute_statistics(r).value(), p.string()).ok());
  const std::string dom =
      run_and_capture({chromium, "--headless", "--no-sandbox", "--disable-gpu",
                       "--user-data-dir=" + (dir_ / "profile").string(), "--dump-dom", "file://" + p.string()},
                      std::chrono::seconds(60));
  ASSERT_FALSE(dom.empty()) << "chromium produced no DOM";
  EXPECT_NE(dom.find("<svg"), std::string::npos);
  EXPECT_NE(dom.find("<polyline"), std::string::npos);
  EXPECT_NE(dom.find("Gateway decisions"), std::string::npos);
  // The hostile symbol stayed text: the parsed document has no script or img element.
  EXPECT_EQ(dom.find("<script"), std::string::npos);
  EXPECT_EQ(dom.find("<img"), std::string::npos);
  EXPECT_NE(dom.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
}

}  // namespace
}  // namespace cst::report
