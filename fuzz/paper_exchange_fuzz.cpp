// Fuzzes the paper exchange's venue file (src/venues/paper_exchange_*.cpp) from arbitrary
// bytes: a damaged disk, a bad copy, a file someone edited with the sqlite3 shell. The venue
// file is outside input twice over: its checks decide whether to touch it, and on reopen its
// recorded rules (fees, grid, fill knobs) win over the configuration.
//
// Each input is written to a fresh file (no -wal or -shm left from the last one) and opened
// with a fixed configuration (symbol BTCUSDT, 2 price and 3 quantity decimals, the seeds').
// Properties:
//   1. open refuses with a message naming the file, and then leaves it byte for byte as it was;
//   2. an opened exchange has a valid instrument of the configured symbol and units; its open
//      orders are working and query() finds each the same; its fills have ascending ids;
//   3. trading on it never crashes or trips a sanitizer (orders read back from the file, the
//      recorded fill knobs, balances and counters near the int64 limits): a market buy, a limit
//      sell and two bars. For each bar that commits, every fill it reports has a positive
//      quantity within what its order had left, fills_after() returns exactly those fills, and
//      the balances moved by exactly their notionals and fees;
//   4. what committed survives a reopen: the same progress (last bar, Rng state, counters)
//      and balances.
#include <unistd.h>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "cst/venues/paper_exchange.hpp"
#include "sqlite_input_file.hpp"

namespace {

using namespace cst;

[[noreturn]] void fail(const std::string& why) {
  std::fprintf(stderr, "paper_exchange_fuzz: %s\n", why.c_str());
  std::abort();
}

constexpr std::int64_t kMinuteNs = 60'000'000'000LL;
const Timestamp kT0 = Timestamp::from_seconds(1'704'067'200);  // 2024-01-01T00:00:00Z

PaperExchangeConfig fuzz_config() {
  PaperExchangeConfig c;
  c.instrument.id = InstrumentId{0};
  c.instrument.symbol = "BTCUSDT";
  c.instrument.price_decimals = 2;
  c.instrument.qty_decimals = 3;
  c.instrument.tick_size = Price::from_raw(1);
  c.instrument.lot_step = Qty::from_raw(1);
  c.instrument.maker_fee = FeeRate::from_bps(2);
  c.instrument.taker_fee = FeeRate::from_bps(10);
  c.starting_cash = Money::from_raw(10'000LL * 100'000'000LL);
  return c;
}

Bar bar_at(Timestamp t, std::int64_t open, std::int64_t high, std::int64_t low, std::int64_t close) {
  return Bar{t,
             Price::from_raw(open),
             Price::from_raw(high),
             Price::from_raw(low),
             Price::from_raw(close),
             Qty::from_raw(1'000'000)};
}

void check_opened(PaperExchange& ex) {
  const Instrument& inst = ex.config().instrument;
  const Instrument want = fuzz_config().instrument;
  if (!inst.validate().ok()) fail("opened with an invalid recorded instrument");
  if (inst.symbol != want.symbol || inst.price_decimals != want.price_decimals ||
      inst.qty_decimals != want.qty_decimals)
    fail("opened a file of another instrument");
  auto open = ex.open_orders();
  if (open.ok()) {
    for (const VenueOrder& o : *open) {
      if (!is_working(o.status)) fail("open_orders returned a final order");
      auto q = ex.query(o.client_order_id);
      if (q.ok() && (!*q || (*q)->status != o.status || (*q)->qty != o.qty || (*q)->filled != o.filled))
        fail("query disagrees with open_orders");
    }
  }
  auto fills = ex.fills_after(0);
  if (fills.ok()) {
    for (std::size_t i = 0; i < fills->size(); ++i) {
      if ((*fills)[i].trade_id == 0 || (i > 0 && (*fills)[i].trade_id <= (*fills)[i - 1].trade_id))
        fail("fills not in ascending trade id order");
    }
  }
}

// One bar; checks property 3 when it commits.
void trade_bar(PaperExchange& ex, const Bar& bar) {
  auto before = ex.balances();
  auto working = ex.open_orders();
  if (!before.ok() || !working.ok()) return;
  std::map<std::string, Qty> left;
  for (const VenueOrder& o : *working) left[o.client_order_id.str()] = o.remaining();
  const std::uint64_t first_new_id = ex.progress().next_trade_id;
  (void)ex.take_reports();
  if (!ex.on_bar(bar).ok()) return;
  const std::vector<ExecutionReport> reports = ex.take_reports();

  const Instrument& inst = ex.config().instrument;
  std::vector<const ExecutionReport*> fills;
  int128 cash = before->cash.raw;  // 128 bits: the sums of a hostile file's values may leave int64
  int128 base = before->base.raw;
  for (const ExecutionReport& r : reports) {
    if (r.kind != ExecKind::kFilled) continue;
    fills.push_back(&r);
    auto it = left.find(r.client_order_id.str());
    if (it == left.end()) fail("a fill of an order that was not working");
    if (r.qty.raw <= 0 || r.qty > it->second)
      fail("a fill of " + std::to_string(r.qty.raw) + " with " + std::to_string(it->second.raw) + " left on the order");
    it->second -= r.qty;
    auto notional = inst.notional(r.price, r.qty);
    if (!notional.ok()) fail("a fill whose notional overflows");
    const bool buy = r.side == Side::kBuy;
    cash += (buy ? -static_cast<int128>(notional->raw) : notional->raw) - r.fee.raw;
    base += buy ? r.qty.raw : -static_cast<int128>(r.qty.raw);
  }
  auto after = ex.balances();
  if (!after.ok()) fail("balances unreadable after a committed bar");
  if (after->cash.raw != cash || after->base.raw != base) fail("balances did not move by exactly the bar's fills");
  if (first_new_id > 0) {
    auto stored = ex.fills_after(first_new_id - 1);
    if (!stored.ok()) fail("fills unreadable after a committed bar");
    if (stored->size() != fills.size()) fail("fills_after does not return exactly the bar's fills");
    for (std::size_t i = 0; i < fills.size(); ++i) {
      const ExecutionReport& r = *fills[i];
      const VenueFill& f = (*stored)[i];
      if (f.trade_id != r.trade_id || f.qty != r.qty || f.price != r.price || f.fee != r.fee || f.maker != r.maker)
        fail("a stored fill differs from its report");
    }
  }
  if (ex.last_bar_time() != bar.time) fail("the last bar time is not the bar's");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = "/tmp/cst_fuzz_px_" + std::to_string(::getpid()) + ".db";
  const std::string input(reinterpret_cast<const char*>(data), size);
  write_sqlite_input(path, data, size);
  const PaperExchangeConfig config = fuzz_config();
  PaperExchangeProgress committed;
  VenueBalances balances;
  {
    auto opened = PaperExchange::open(path, config);
    if (!opened.ok()) {
      if (opened.error().message.find("'" + path + "'") == std::string::npos)
        fail("refusal does not name the file: " + opened.error().message);
      if (read_whole_file(path) != input) fail("a refused file was changed");
      return 0;
    }
    PaperExchange& ex = **opened;
    check_opened(ex);

    const auto last = ex.progress().last_bar;
    if (last && last->ns > INT64_MAX - 3 * kMinuteNs) return 0;  // no later bar exists
    const Timestamp t = last ? Timestamp{last->ns + kMinuteNs} : kT0;
    (void)ex.place(NewOrder{*ClientOrderId::parse("fz-m"), Side::kBuy, OrderType::kMarket, Qty::from_raw(1'000), {}},
                   t);
    (void)ex.place(NewOrder{*ClientOrderId::parse("fz-l"), Side::kSell, OrderType::kLimit, Qty::from_raw(500),
                            Price::from_raw(10'100)},
                   t);
    trade_bar(ex, bar_at(t + Duration{kMinuteNs}, 10'000, 10'200, 9'900, 10'100));
    trade_bar(ex, bar_at(t + Duration{2 * kMinuteNs}, 10'150, 10'300, 10'050, 10'250));
    committed = ex.progress();
    auto b = ex.balances();
    if (!b.ok()) return 0;
    balances = *b;
  }
  auto reopened = PaperExchange::open(path, config);
  if (!reopened.ok()) fail("a file the exchange wrote does not reopen: " + reopened.error().message);
  const PaperExchangeProgress& p = (*reopened)->progress();
  // The Rng state bit for bit (its spare normal may be a NaN read from the file).
  const bool same_rng =
      std::memcmp(p.rng.words, committed.rng.words, sizeof p.rng.words) == 0 &&
      std::bit_cast<std::uint64_t>(p.rng.spare) == std::bit_cast<std::uint64_t>(committed.rng.spare) &&
      p.rng.has_spare == committed.rng.has_spare;
  if (p.last_bar != committed.last_bar || p.last_close != committed.last_close || !same_rng ||
      p.next_order_seq != committed.next_order_seq || p.next_trade_id != committed.next_trade_id ||
      p.orders_received != committed.orders_received || p.duplicate_submissions != committed.duplicate_submissions)
    fail("progress changed across a reopen");
  auto b = (*reopened)->balances();
  if (!b.ok() || b->cash != balances.cash || b->base != balances.base) fail("balances changed across a reopen");
  return 0;
}
