// PaperExchange across restarts: whatever it committed (orders, fills, balances, counters, the
// last bar, the fill knobs' random state, its rules) survives close/reopen and SIGKILL, while
// reports it had not handed out do not; a run split by reopens fills exactly like an
// uninterrupted one. A file that is not its own, newer, damaged or for another instrument is
// refused with an error naming it, and left byte for byte as it was.
//
// Units and bars: paper_exchange_fixtures.hpp.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cst/sqlite/database.hpp"
#include "cst/venues/paper_exchange.hpp"
#include "support/engine_fixtures.hpp"
#include "venues/paper_exchange_fixtures.hpp"

namespace cst {
namespace {

using namespace testing_support;

TEST(PaperExchangeRestart, DuplicateClientOrderIdIsRefusedAndCountedAlsoAfterReopen) {
  TempDir dir;
  const std::string path = dir.file("px.db");
  {
    auto ex = open_ok(path, config_with());
    place_ok(*ex, market("a", Side::kBuy, qty(1'000)), kT0);
    ASSERT_TRUE(ex->on_bar(kBar0).ok());  // a fills: a final state is still "seen"
    (void)ex->take_reports();
    auto again = ex->place(market("a", Side::kSell, qty(5)), kT0);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::kDuplicate);
    EXPECT_NE(again.error().message.find("duplicate order sent"), std::string::npos) << again.error().message;
    EXPECT_TRUE(ex->take_reports().empty());  // no report for a refused duplicate
    EXPECT_EQ(ex->duplicate_submissions(), 1u);
    EXPECT_EQ(ex->orders_received(), 2u);
  }  // closed right after the duplicate: its count must already be in the file
  auto ex = open_ok(path, config_with());
  EXPECT_EQ(ex->duplicate_submissions(), 1u);
  EXPECT_EQ(ex->orders_received(), 2u);
  auto again = ex->place(market("a", Side::kBuy, qty(1'000)), kT0);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kDuplicate);
  EXPECT_EQ(ex->duplicate_submissions(), 2u);
  EXPECT_EQ(ex->orders_received(), 3u);
  EXPECT_EQ(queried(*ex, "a").qty, qty(1'000));  // the first order, untouched
  EXPECT_EQ(queried(*ex, "a").side, Side::kBuy);
  EXPECT_EQ(all_fills(*ex).size(), 1u);
}

TEST(PaperExchangeRestart, OrdersFillsBalancesAndLastBarSurviveReopen) {
  TempDir dir;
  const std::string path = dir.file("px.db");
  VenueBalances before;
  {
    auto ex = open_ok(path, config_with());
    ASSERT_TRUE(ex->on_bar(kBar0).ok());
    place_ok(*ex, market("a", Side::kBuy, qty(1'000)), close_of(kBar0));
    place_ok(*ex, limit("b", Side::kBuy, qty(2'000), px(9'000)), close_of(kBar0));  // rests far below
    ASSERT_TRUE(ex->on_bar(kBar1).ok());
    before = *ex->balances();
  }
  auto ex = open_ok(path, config_with());
  EXPECT_EQ(ex->last_bar_time(), kBar1.time);
  EXPECT_TRUE(ex->take_reports().empty());  // undelivered reports die with the process
  const auto fills = all_fills(*ex);
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_EQ(fills[0].client_order_id, cid("a"));
  EXPECT_EQ(fills[0].price, px(10'150));
  EXPECT_EQ(fills[0].fee, money(10'150'000));
  auto b = ex->balances();
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->cash, before.cash);
  EXPECT_EQ(b->base, qty(1'000));
  auto open = ex->open_orders();
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ(open->at(0).client_order_id, cid("b"));
  EXPECT_EQ(open->at(0).limit_price, px(9'000));
  EXPECT_EQ(open->at(0).created, close_of(kBar0));
  // Ids continue: the next order is PX-3, the next fill trade 2.
  EXPECT_EQ(place_ok(*ex, market("c", Side::kSell, qty(500)), close_of(kBar1)).venue_order_id.view(), "PX-3");
  ASSERT_TRUE(ex->on_bar(minute_bar(2, 10'200, 10'300, 10'100, 10'250)).ok());
  EXPECT_EQ(all_fills(*ex).back().trade_id, 2u);
}

TEST(PaperExchangeRestart, ReopenKeepsTheRulesTheFileWasCreatedWith) {
  TempDir dir;
  const std::string path = dir.file("px.db");
  FillModel model;
  model.slippage_bps = 5;
  { auto ex = open_ok(path, config_with(model)); }
  // A client restarting with other fees and knobs does not change the exchange's rules.
  auto ex = open_ok(path, config_with({}, kCash, test_instrument(0, 5'000)));
  EXPECT_EQ(ex->config().instrument.taker_fee.ppm, 1'000);
  EXPECT_EQ(ex->config().model.slippage_bps, 5);
  place_ok(*ex, market("a", Side::kBuy, qty(1'000)), kT0);
  ASSERT_TRUE(ex->on_bar(kBar0).ok());
  const auto fills = all_fills(*ex);
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_EQ(fills[0].price, px(10'005));       // 100.00 + 5 bps slippage
  EXPECT_EQ(fills[0].fee, money(10'005'000));  // 10 bps of 100.05, not 50 bps
}

TEST(PaperExchangeRestart, BarsAtOrBeforeTheLastBarAreIgnoredEvenAfterReopen) {
  TempDir dir;
  const std::string path = dir.file("px.db");
  {
    auto ex = open_ok(path, config_with());
    EXPECT_EQ(ex->last_bar_time().ns, INT64_MIN);
    place_ok(*ex, market("a", Side::kBuy, qty(1'000)), kT0);
    ASSERT_TRUE(ex->on_bar(kBar0).ok());
    // Stamped at bar 0's time: bar 0 would fill it, were it matched again.
    place_ok(*ex, market("late", Side::kBuy, qty(1'000)), kT0);
    (void)ex->take_reports();
    ASSERT_TRUE(ex->on_bar(kBar0).ok());  // the same bar again
    EXPECT_TRUE(ex->take_reports().empty());
    EXPECT_EQ(all_fills(*ex).size(), 1u);
  }
  auto ex = open_ok(path, config_with());
  ASSERT_TRUE(ex->on_bar(kBar0).ok());                                          // a restarted feed replays bar 0
  ASSERT_TRUE(ex->on_bar(minute_bar(-1, 10'000, 10'100, 9'900, 10'000)).ok());  // and an older one
  EXPECT_TRUE(ex->take_reports().empty());
  EXPECT_EQ(all_fills(*ex).size(), 1u);
  EXPECT_EQ(ex->last_bar_time(), kBar0.time);
  ASSERT_TRUE(ex->on_bar(kBar1).ok());
  const auto fills = all_fills(*ex);
  ASSERT_EQ(fills.size(), 2u);
  EXPECT_EQ(fills[1].client_order_id, cid("late"));
  EXPECT_EQ(fills[1].price, kBar1.open);
}

// Runs the script on an exchange at `path`, closing and reopening it after each bar listed.
std::vector<VenueFill> run_script(const std::string& path, const Script& s, std::vector<int> reopen_after) {
  auto ex = open_ok(path, config_with(s.model, money(100'000 * kMoneyUnit)));
  int next_id = 1;
  for (int i = 0; i < static_cast<int>(s.bars.size()); ++i) {
    EXPECT_TRUE(ex->on_bar(s.bars[static_cast<std::size_t>(i)]).ok());
    s.orders_at(i, next_id,
                [&](const NewOrder& o) { place_ok(*ex, o, close_of(s.bars[static_cast<std::size_t>(i)])); });
    if (std::find(reopen_after.begin(), reopen_after.end(), i) != reopen_after.end()) {
      ex.reset();
      ex = open_ok(path, config_with(s.model, money(100'000 * kMoneyUnit)));
    }
  }
  return all_fills(*ex);
}

TEST(PaperExchangeRestart, RunSplitByReopenFillsExactlyAsAnUninterruptedRun) {
  const Script script;
  TempDir dir;
  const auto whole = run_script(dir.file("whole.db"), script, {});
  const auto split = run_script(dir.file("split.db"), script, {29});
  const auto every_bar = run_script(dir.file("every.db"), script, {0, 1, 2, 3, 10, 17, 29, 30, 44, 58});
  int partial_after_split = 0;
  for (const VenueFill& f : whole) partial_after_split += f.time > script.bars[29].time && f.qty.raw % 1'000 != 0;
  ASSERT_GT(partial_after_split, 0) << "the knobs must draw after the split, or the test proves nothing";
  ASSERT_EQ(split.size(), whole.size());
  ASSERT_EQ(every_bar.size(), whole.size());
  for (std::size_t i = 0; i < whole.size(); ++i) {
    SCOPED_TRACE("fill " + std::to_string(i));
    EXPECT_TRUE(same_fill(split[i], whole[i]));
    EXPECT_TRUE(same_fill(every_bar[i], whole[i]));
  }
}

// ---- Files that are not ours ----

std::string bytes_of(const std::string& path) { return test::read_file(path); }

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

// Opening fails with `code`, names the file, and leaves its bytes exactly as they were.
void expect_refused(const std::string& path, const PaperExchangeConfig& config, ErrorCode code,
                    const std::string& words) {
  const std::string before = bytes_of(path);
  auto ex = PaperExchange::open(path, config);
  ASSERT_FALSE(ex.ok());
  EXPECT_EQ(ex.error().code, code) << ex.error().message;
  EXPECT_NE(ex.error().message.find(path), std::string::npos) << ex.error().message;
  EXPECT_NE(ex.error().message.find(words), std::string::npos) << ex.error().message;
  EXPECT_EQ(bytes_of(path), before) << "a refused file must not be written";
}

void make_exchange_file(const std::string& path) {
  auto ex = open_ok(path, config_with());
  place_ok(*ex, market("a", Side::kBuy, qty(1'000)), kT0);
  ASSERT_TRUE(ex->on_bar(kBar0).ok());
}

TEST(PaperExchangeFile, RefusesATextFile) {
  TempDir dir;
  const std::string path = dir.file("notes.txt");
  write_bytes(path, "these are not the orders you are looking for\n");
  expect_refused(path, config_with(), ErrorCode::kCorruption, "not an SQLite database");
}

TEST(PaperExchangeFile, RefusesAnotherApplicationsSqliteDatabase) {
  TempDir dir;
  const std::string path = dir.file("other.db");
  {
    auto db = sqlite::Database::open(path, "test", sqlite::OpenMode::kReadWriteCreate);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec("CREATE TABLE meta(key TEXT, value); INSERT INTO meta VALUES ('x', 1);").ok());
  }
  expect_refused(path, config_with(), ErrorCode::kCorruption, "not a paper-exchange file");
}

TEST(PaperExchangeFile, RefusesANewerFormatVersion) {
  TempDir dir;
  const std::string path = dir.file("px.db");
  make_exchange_file(path);
  {
    auto db = sqlite::Database::open(path, "test", sqlite::OpenMode::kReadWrite);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec("UPDATE meta SET value = 99 WHERE key = 'version'").ok());
  }
  expect_refused(path, config_with(), ErrorCode::kUnsupported, "format version 99");
}

TEST(PaperExchangeFile, RefusesADifferentInstrument) {
  TempDir dir;
  const std::string path = dir.file("px.db");
  make_exchange_file(path);
  Instrument btc = test_instrument();
  btc.symbol = "BTC-USD";
  expect_refused(path, config_with({}, kCash, btc), ErrorCode::kInvalidArgument, "trades 'TEST-USD', not 'BTC-USD'");
  Instrument finer = test_instrument();
  finer.price_decimals = 4;
  expect_refused(path, config_with({}, kCash, finer), ErrorCode::kInvalidArgument, "decimals");
}

TEST(PaperExchangeFile, RefusesATruncatedFile) {
  TempDir dir;
  const std::string path = dir.file("px.db");
  {
    auto ex = open_ok(path, config_with({}, money(1'000'000 * kMoneyUnit)));
    for (int i = 0; i < 300; ++i) {  // enough rows for many pages
      place_ok(*ex, market("order-with-a-long-client-id-" + std::to_string(i), Side::kBuy, qty(10)),
               minute_bar(i, 0, 0, 0, 0).time);
      ASSERT_TRUE(ex->on_bar(minute_bar(i, 10'000, 10'100, 9'900, 10'000)).ok());
    }
  }
  const auto size = std::filesystem::file_size(path);
  ASSERT_GT(size, 16u * 4096u);
  const std::string whole = bytes_of(path);
  // Cut inside the header, after the first pages, in the middle, and just the last page off.
  for (std::size_t cut : {std::size_t{50}, std::size_t{3 * 4096}, static_cast<std::size_t>(size / 2),
                          static_cast<std::size_t>(size - 4096)}) {
    SCOPED_TRACE("truncated to " + std::to_string(cut) + " of " + std::to_string(size) + " bytes");
    write_bytes(path, whole.substr(0, cut));
    auto ex = PaperExchange::open(path, config_with({}, money(1'000'000 * kMoneyUnit)));
    ASSERT_FALSE(ex.ok());
    EXPECT_EQ(ex.error().code, ErrorCode::kCorruption) << ex.error().message;
    EXPECT_NE(ex.error().message.find(path), std::string::npos) << ex.error().message;
    EXPECT_EQ(bytes_of(path), whole.substr(0, cut)) << "a refused file must not be written";
  }
}

// A file in rollback-journal mode (as the sqlite3 shell leaves it after PRAGMA journal_mode =
// DELETE and a VACUUM) is switched to WAL, which rewrites its header, only once every check
// passed: refused for another instrument, a damaged orders table or missing progress, it is
// left byte for byte as it was. Found by fuzz/paper_exchange_fuzz.cpp.
TEST(PaperExchangeFile, RefusedRollbackModeFileIsNotSwitchedToWal) {
  TempDir dir;
  const std::string path = dir.file("px.db");
  make_exchange_file(path);
  auto edit = [&](const char* sql) {
    auto db = sqlite::Database::open(path, "test", sqlite::OpenMode::kReadWrite);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec(sql).ok()) << sql;
  };
  edit("PRAGMA journal_mode = DELETE");
  Instrument btc = test_instrument();
  btc.symbol = "BTC-USD";
  expect_refused(path, config_with({}, kCash, btc), ErrorCode::kInvalidArgument, "trades 'TEST-USD', not 'BTC-USD'");
  edit("ALTER TABLE orders RENAME COLUMN created_ns TO made_ns");
  expect_refused(path, config_with(), ErrorCode::kIo, "no such column: created_ns");
  edit("ALTER TABLE orders RENAME COLUMN made_ns TO created_ns; DELETE FROM meta WHERE key = 'rng_0'");
  expect_refused(path, config_with(), ErrorCode::kCorruption, "meta 'rng_0' is missing");
  // Repaired, it opens, and only then becomes a WAL file.
  edit("INSERT INTO meta(key, value) VALUES ('rng_0', 7)");
  const std::string before = bytes_of(path);
  ASSERT_NE(open_ok(path, config_with()), nullptr);
  EXPECT_NE(bytes_of(path), before);
  EXPECT_EQ(bytes_of(path)[18], 2) << "WAL mode (file format version 2 in the header)";
}

// An order id edited in the orders table's page but not in its index (a bad disk, a hand edit
// of the bytes) is damage too: open_orders() would list an order query() and cancel() cannot
// find, and the id could be placed again. Found by fuzz/paper_exchange_fuzz.cpp.
TEST(PaperExchangeFile, RefusesAnIndexThatDisagreesWithItsTable) {
  TempDir dir;
  const std::string path = dir.file("px.db");
  {
    auto ex = open_ok(path, config_with());
    place_ok(*ex, limit("resting-order-7", Side::kBuy, qty(1'000), px(9'000)), kT0);
  }
  std::string bytes = bytes_of(path);
  // The table's record holds the id followed by the venue order id; the index's does not.
  const std::string id = "resting-order-7";
  std::size_t at = bytes.find(id);
  while (at != std::string::npos && bytes.compare(at + id.size(), 3, "PX-") != 0) at = bytes.find(id, at + 1);
  ASSERT_NE(at, std::string::npos);
  bytes[at + id.size() - 1] = '9';
  write_bytes(path, bytes);
  expect_refused(path, config_with(), ErrorCode::kCorruption, "the file is damaged");
}

// The fill knobs recorded in a venue file win on reopen, so they are held to check_fill_model
// like a configuration's: a partial ratio of 5.5 (one edited digit) filled an order 5.5 times
// over, a slippage near the int64 limit overflowed the price. Refused as damage, untouched.
// Found by fuzz/paper_exchange_fuzz.cpp.
TEST(PaperExchangeFile, RefusesRecordedFillKnobsOutsideTheirRanges) {
  for (const char* sql : {"UPDATE meta SET value = '5.5' WHERE key = 'partial_ratio'",
                          "UPDATE meta SET value = 'nan' WHERE key = 'partial_probability'",
                          "UPDATE meta SET value = 4611686018427387904 WHERE key = 'slippage_bps'",
                          "UPDATE meta SET value = -1 WHERE key = 'latency_ns'"}) {
    SCOPED_TRACE(sql);
    TempDir dir;
    const std::string path = dir.file("px.db");
    make_exchange_file(path);
    {
      auto db = sqlite::Database::open(path, "test", sqlite::OpenMode::kReadWrite);
      ASSERT_TRUE(db.ok());
      ASSERT_TRUE(db->exec(sql).ok());
    }
    expect_refused(path, config_with(), ErrorCode::kCorruption, "recorded fill model");
  }
}

// A configuration with such knobs creates no file.
TEST(PaperExchangeFile, RefusesToCreateAFileWithFillKnobsOutsideTheirRanges) {
  TempDir dir;
  const std::string path = dir.file("px.db");
  FillModel model;
  model.partial_ratio = 5.5;
  auto ex = PaperExchange::open(path, config_with(model));
  ASSERT_FALSE(ex.ok());
  EXPECT_EQ(ex.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(ex.error().message.find("'" + path + "': fill model: partial fill ratio 5.5"), std::string::npos)
      << ex.error().message;
  EXPECT_FALSE(std::filesystem::exists(path));
}

// An order row whose quantities matching cannot work with (more filled than ordered, nothing
// left on a working order, a negative quantity) is damage: such a row made on_bar fill a
// negative quantity and settle it. Found with fuzz/paper_exchange_fuzz.cpp's invariant (a fill
// has a positive quantity within what its order had left) on hand-edited files.
TEST(PaperExchangeFile, OrderRowsWithImpossibleQuantitiesAreDamage) {
  for (const char* sql : {"UPDATE orders SET filled = 3000 WHERE client_order_id = 'b'",
                          "UPDATE orders SET qty = -5 WHERE client_order_id = 'b'",
                          "UPDATE orders SET filled = -1 WHERE client_order_id = 'a'",
                          "UPDATE orders SET filled = 2000 WHERE client_order_id = 'b'"}) {
    SCOPED_TRACE(sql);
    TempDir dir;
    const std::string path = dir.file("px.db");
    {
      auto ex = open_ok(path, config_with());
      place_ok(*ex, market("a", Side::kBuy, qty(1'000)), kT0);
      ASSERT_TRUE(ex->on_bar(kBar0).ok());                                            // a fills
      place_ok(*ex, limit("b", Side::kBuy, qty(2'000), px(9'000)), close_of(kBar0));  // rests far below
    }
    {
      auto db = sqlite::Database::open(path, "test", sqlite::OpenMode::kReadWrite);
      ASSERT_TRUE(db.ok());
      ASSERT_TRUE(db->exec(sql).ok());
    }
    auto ex = open_ok(path, config_with());
    ASSERT_NE(ex, nullptr);
    const VenueBalances before = *ex->balances();
    const auto query = ex->query(cid(std::string(sql).find("'a'") != std::string::npos ? "a" : "b"));
    ASSERT_FALSE(query.ok());
    EXPECT_EQ(query.error().code, ErrorCode::kCorruption);
    EXPECT_NE(query.error().message.find(path), std::string::npos) << query.error().message;
    EXPECT_NE(query.error().message.find("filled, impossible for a"), std::string::npos) << query.error().message;
    if (std::string(sql).find("'b'") != std::string::npos) {
      EXPECT_FALSE(ex->open_orders().ok());
      EXPECT_FALSE(ex->on_bar(kBar1).ok()) << "no bar may be matched against a damaged order";
      EXPECT_TRUE(ex->take_reports().empty());
      EXPECT_EQ(ex->balances()->cash, before.cash);
      EXPECT_EQ(ex->balances()->base, before.base);
    }
  }
}

TEST(PaperExchangeFile, RefusesAnEmptyFileInsteadOfStartingAfresh) {
  TempDir dir;
  const std::string path = dir.file("px.db");
  write_bytes(path, "");
  expect_refused(path, config_with(), ErrorCode::kCorruption, "empty");
}

TEST(PaperExchangeRestart, CommittedStateSurvivesSigkill) {
  TempDir dir;
  const std::string path = dir.file("px.db");
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {  // the child: trade, then die without closing anything
    auto ex = PaperExchange::open(path, config_with());
    if (!ex.ok()) _exit(2);
    if (!(*ex)->place(market("a", Side::kBuy, qty(1'000)), kT0).ok()) _exit(3);
    if (!(*ex)->on_bar(kBar0).ok()) _exit(4);
    if (!(*ex)->place(limit("b", Side::kBuy, qty(1'000), px(9'000)), close_of(kBar0)).ok()) _exit(5);
    raise(SIGKILL);
    _exit(6);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "child status " << status;
  auto ex = open_ok(path, config_with());
  EXPECT_TRUE(ex->take_reports().empty());  // queued, never delivered: lost with the process
  EXPECT_EQ(queried(*ex, "a").status, VenueOrderStatus::kFilled);
  EXPECT_EQ(queried(*ex, "b").status, VenueOrderStatus::kOpen);
  EXPECT_EQ(all_fills(*ex).size(), 1u);
  EXPECT_EQ(ex->balances()->base, qty(1'000));
  EXPECT_EQ(ex->last_bar_time(), kBar0.time);
  EXPECT_EQ(ex->orders_received(), 2u);
}

}  // namespace
}  // namespace cst
