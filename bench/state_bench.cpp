// Durable state benchmarks: what paper and live trading pay on disk.
//   BM_DurableOrderWriteAhead/N  the write-ahead of one order, exactly as StoreDurableLog::
//                                before_send does it after OrderFlow journaled the decision and
//                                the order's NEW and SUBMITTED events: journal flush() (kFull,
//                                fsync) then StateStore::record_new_order (synchronous=FULL),
//                                N orders one after another, each timed on its own. Counters in
//                                microseconds: p50/p90/p99/max of the whole write-ahead, and of
//                                its two parts (j_: append + flush, s_: record_new_order).
//   BM_Fsync                     write 4 KiB + fdatasync on the same file system: the floor
//                                under each of the two commits above.
//   BM_Recover/O/C               recovery of a state store with O orders (1% still working,
//                                the rest FILLED with a fill each): StateStore::open + load()
//                                + Order::restore of the working orders + the set of applied
//                                trade ids StoreDurableLog keeps. C = 1: the file is dropped
//                                from the page cache first (posix_fadvise), as after a reboot;
//                                C = 0: a restart with the file still cached.
//   BM_RecoverPaperSequence/O    what `cst paper` runs at start (paper_session.cpp
//                                open_session): open, initialize (which loads once to check
//                                the setup), next_boot and set_config_hash (two fsync'd writes),
//                                load, restore; file cached.
//   BM_JournalGroupCommit/N/D    the journal's group commit with the work it leaves behind:
//                                one producer thread appends N DecisionRecords and flushes,
//                                then close() folds the WAL. D = durability (0 none, 1 normal,
//                                2 full). records_per_s counts until flush() returned (every
//                                record committed; what journal_bench.cpp's
//                                BM_JournalThroughput measures), with_close_per_s until close()
//                                returned. CPU per record, in microseconds, of each writer
//                                thread (fmt_us: format + hash, sql_us: SQLite inserts and
//                                commits, ckpt_us: WAL checkpoints) and of the producer
//                                (append_us).
// Files go to $CST_BENCH_DIR, else the system temp directory; each benchmark's label names the
// file system, because on tmpfs an fsync costs nothing and the numbers mean nothing. The
// 100,000-order store is built once per process through the StateStore API, on tmpfs
// (/dev/shm) where its ~300,000 fsync'd transactions cost no fsync, then copied (and fsync'd)
// to the benchmark directory.
// Run: build/<dir>/bench/cst_bench_state --benchmark_repetitions=5
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unordered_set>
#include <vector>

#include "bench_support.hpp"
#include "cst/audit/audit_journal.hpp"
#include "cst/state/state_store.hpp"

namespace {

using namespace cst;
using bench::approved_decision;
using bench::thread_cpu_ns;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "cst_bench_state: %s\n", what.c_str());
  std::abort();
}

template <class T>
T must(Result<T> r, const char* what) {
  if (!r.ok()) die(std::string(what) + ": " + r.error().message);
  return std::move(*r);
}

void must(const Status& s, const char* what) {
  if (!s.ok()) die(std::string(what) + ": " + s.error().message);
}

fs::path bench_root() {
  const char* env = std::getenv("CST_BENCH_DIR");
  return env != nullptr && *env != '\0' ? fs::path(env) : fs::temp_directory_path();
}

// A fresh directory under `root`, removed with its contents at destruction.
class ScratchDir {
 public:
  explicit ScratchDir(const fs::path& root) {
    std::string pattern = (root / "cst_bench_state_XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) die("cannot create a directory under " + root.string());
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  std::string file(const char* name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

std::string fs_label(const fs::path& dir) {
  struct statfs st {};
  if (::statfs(dir.c_str(), &st) != 0) return dir.string();
  const char* type = "other";
  switch (static_cast<unsigned long>(st.f_type)) {
    case 0xEF53UL: type = "ext4"; break;
    case 0x01021994UL: type = "tmpfs (fsync is free: not a disk number)"; break;
    case 0x58465342UL: type = "xfs"; break;
    case 0x9123683EUL: type = "btrfs"; break;
    case 0x794C7630UL: type = "overlayfs"; break;
    default: break;
  }
  return dir.string() + " on " + type;
}

double us(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

// Nearest-rank percentile of sorted samples.
double percentile(const std::vector<double>& sorted, double q) {
  const auto rank = static_cast<std::size_t>(q * static_cast<double>(sorted.size()) + 0.999999);
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

void report_percentiles(benchmark::State& state, const std::string& prefix, std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  state.counters[prefix + "p50_us"] = percentile(samples, 0.50);
  state.counters[prefix + "p90_us"] = percentile(samples, 0.90);
  state.counters[prefix + "p99_us"] = percentile(samples, 0.99);
  state.counters[prefix + "max_us"] = samples.back();
}

constexpr int kPriceDecimals = 2;
constexpr int kQtyDecimals = 8;

ClientOrderId order_id(std::uint64_t n) { return *ClientOrderId::parse("sma_cross-1-" + std::to_string(n)); }

OrderIntent intent_for(std::uint64_t n, Timestamp t) {
  OrderIntent in;
  in.client_order_id = order_id(n);
  in.account = AccountId{1};
  in.instrument = InstrumentId{1};
  in.source = *SourceId::parse("strategy");
  in.side = n % 2 == 0 ? Side::kBuy : Side::kSell;
  in.type = OrderType::kLimit;
  in.qty = Qty::from_raw(10'000'000);
  in.limit_price = Price::from_raw(4'250'000 + static_cast<std::int64_t>(n % 100) * 5);
  in.time = t;
  return in;
}

// OrderFlow::journal_event for an order without a fill.
OrderEventRecord event_for(const Order& o, Timestamp t) {
  OrderEventRecord e;
  e.time = t;
  e.client_order_id = o.client_order_id();
  e.instrument = o.instrument();
  e.status = o.status();
  e.price_decimals = kPriceDecimals;
  e.qty_decimals = kQtyDecimals;
  return e;
}

// StoreDurableLog::before_send's StoredOrder.
StoredOrder stored_for(const Order& o, std::uint64_t decision_id, Price reference) {
  StoredOrder s;
  s.order = o.snapshot();
  s.order.intent.source = *SourceId::parse("strategy");
  s.decision_id = decision_id;
  s.reference = reference;
  s.created = o.events().front().time;
  s.uncertain = true;
  return s;
}

const AccountSetup kSetup{"bench", "BTC-USD", Money::from_raw(100'000LL * 100'000'000)};

std::unique_ptr<StateStore> create_store(const std::string& path) {
  auto store = must(StateStore::open(path, StateOpenOptions{true, false}), "open state store");
  must(store->initialize(kSetup, Timestamp{1}), "initialize state store");
  return store;
}

// ---------------------------------------------------------------------------------------------
// Write-ahead of one order.

void BM_DurableOrderWriteAhead(benchmark::State& state) {
  const auto orders = static_cast<std::uint64_t>(state.range(0));
  constexpr std::uint64_t kWarmup = 20;  // not timed: the first commits create the -wal files
  const fs::path root = bench_root();
  state.SetLabel(fs_label(root));
  std::vector<double> total, journal_part, state_part;
  for (auto _ : state) {
    ScratchDir dir(root);
    auto store = create_store(dir.file("state.db"));
    JournalOptions jo;  // as paper_session.cpp opens it
    jo.durability = JournalDurability::kFull;
    jo.queue_capacity = 1 << 12;
    auto journal = must(AuditJournal::open(dir.file("journal.db"), jo), "open journal");
    total.clear();
    journal_part.clear();
    state_part.clear();
    Clock::duration run{};
    for (std::uint64_t n = 1; n <= kWarmup + orders; ++n) {
      // What OrderFlow::submit has done before before_send: the gateway journaled the decision,
      // the order was created, journaled NEW, submitted, journaled SUBMITTED.
      const Timestamp t{1'700'000'000'000'000'000 + static_cast<std::int64_t>(n) * 1'000'000};
      const OrderIntent in = intent_for(n, t);
      const DecisionRecord d = approved_decision(n, in);
      Order order(in, in.qty, in.limit_price, t);
      const OrderEventRecord created = event_for(order, t);
      (void)order.submit(t);
      const OrderEventRecord submitted = event_for(order, t);
      const StoredOrder stored = stored_for(order, n, d.last);

      const auto t0 = Clock::now();
      journal->append(d);
      journal->append(created);
      journal->append(submitted);
      must(journal->flush(), "journal flush");
      const auto t1 = Clock::now();
      must(store->record_new_order(stored), "record_new_order");
      const auto t2 = Clock::now();
      if (n <= kWarmup) continue;
      run += t2 - t0;
      total.push_back(us(t2 - t0));
      journal_part.push_back(us(t1 - t0));
      state_part.push_back(us(t2 - t1));
    }
    state.SetIterationTime(std::chrono::duration<double>(run).count());
    must(journal->close(), "journal close");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * orders));
  report_percentiles(state, "", total);
  report_percentiles(state, "j_", journal_part);
  report_percentiles(state, "s_", state_part);
}
BENCHMARK(BM_DurableOrderWriteAhead)->Arg(3000)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);

// One 4 KiB write and fdatasync, the way a WAL commit ends: the hardware floor of a commit.
void BM_Fsync(benchmark::State& state) {
  const fs::path root = bench_root();
  state.SetLabel(fs_label(root));
  ScratchDir dir(root);
  const std::string path = dir.file("fsync.bin");
  const int fd = ::open(path.c_str(), O_CREAT | O_RDWR | O_TRUNC, 0600);
  if (fd < 0) die("cannot create " + path);
  std::vector<char> page(4096, 'x');
  std::vector<double> samples;
  off_t offset = 0;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    if (::pwrite(fd, page.data(), page.size(), offset) != static_cast<ssize_t>(page.size())) die("pwrite");
    if (::fdatasync(fd) != 0) die("fdatasync");
    const auto t1 = Clock::now();
    samples.push_back(us(t1 - t0));
    state.SetIterationTime(std::chrono::duration<double>(t1 - t0).count());
    offset = (offset + 4096) % (4 << 20);  // a WAL-like file of 4 MiB, appended then reused
  }
  ::close(fd);
  report_percentiles(state, "", samples);
}
BENCHMARK(BM_Fsync)->Iterations(2000)->UseManualTime()->Unit(benchmark::kMicrosecond);

// ---------------------------------------------------------------------------------------------
// Journal group commit.

double this_thread_cpu_ns() {
  struct rusage ru {};
  ::getrusage(RUSAGE_THREAD, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e9 +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e3;
}

void BM_JournalGroupCommit(benchmark::State& state) {
  const auto n = static_cast<std::uint64_t>(state.range(0));
  const fs::path root = bench_root();
  state.SetLabel(fs_label(root));
  JournalOptions o;  // defaults: 65536 entries, batches of 4096, linger 2 ms
  o.durability = static_cast<JournalDurability>(state.range(1));
  const DecisionRecord d = bench::reduced_decision(1);  // the record journal_bench.cpp measures
  double flush_s = 0, close_s = 0, fmt_ns = 0, sql_ns = 0, ckpt_ns = 0, append_ns = 0;
  for (auto _ : state) {
    ScratchDir dir(root);
    auto j = must(AuditJournal::open(dir.file("journal.db"), o), "open journal");
    const double fmt0 = thread_cpu_ns("cst-audit-fmt"), sql0 = thread_cpu_ns("cst-audit-sql"),
                 ckpt0 = thread_cpu_ns("cst-audit-ckpt"), self0 = this_thread_cpu_ns();
    const auto t0 = Clock::now();
    for (std::uint64_t i = 0; i < n; ++i) j->append(d);
    const double self1 = this_thread_cpu_ns();
    must(j->flush(), "flush");
    const auto t1 = Clock::now();
    // The threads end in close(): read their CPU time just before.
    const double fmt1 = thread_cpu_ns("cst-audit-fmt"), sql1 = thread_cpu_ns("cst-audit-sql"),
                 ckpt1 = thread_cpu_ns("cst-audit-ckpt");
    const auto t2 = Clock::now();
    must(j->close(), "close");
    const auto t3 = Clock::now();
    state.SetIterationTime(std::chrono::duration<double>((t1 - t0) + (t3 - t2)).count());
    flush_s += std::chrono::duration<double>(t1 - t0).count();
    close_s += std::chrono::duration<double>(t3 - t2).count();
    fmt_ns += fmt1 - fmt0;
    sql_ns += sql1 - sql0;
    ckpt_ns += ckpt1 - ckpt0;
    append_ns += self1 - self0;
  }
  const double records = static_cast<double>(state.iterations() * n);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  state.counters["records_per_s"] = records / flush_s;
  state.counters["with_close_per_s"] = records / (flush_s + close_s);
  state.counters["close_ms"] = close_s / static_cast<double>(state.iterations()) * 1e3;
  state.counters["fmt_us"] = fmt_ns / records / 1e3;
  state.counters["sql_us"] = sql_ns / records / 1e3;
  state.counters["ckpt_us"] = ckpt_ns / records / 1e3;
  state.counters["append_us"] = append_ns / records / 1e3;
}
BENCHMARK(BM_JournalGroupCommit)
    ->Args({1'000'000, 0})
    ->Args({1'000'000, 1})
    ->Args({1'000'000, 2})
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// ---------------------------------------------------------------------------------------------
// Recovery.

constexpr std::uint64_t kWorkingPerHundred = 1;  // 1% of orders still working

PortfolioSnapshot portfolio_after(std::uint64_t fills) {
  PortfolioSnapshot p;
  p.starting_cash = p.cash = p.start_of_day_equity = p.equity_peak = kSetup.starting_cash;
  p.cash = p.cash - Money::from_raw(static_cast<std::int64_t>(fills) * 1000);
  p.fees = Money::from_raw(static_cast<std::int64_t>(fills) * 1000);
  p.day = 19'700;
  Position pos;
  pos.qty = Qty::from_raw(static_cast<std::int64_t>(fills % 7) * 10'000'000);
  pos.mark = Price::from_raw(4'250'100);
  p.positions.push_back({InstrumentId{1}, pos});
  return p;
}

// Stores `orders` orders as paper trading would: each stored SUBMITTED before its send,
// acknowledged, then filled in one fill (record_fill: fill, order and portfolio together).
// The last 1% stay working: half OPEN, half PARTIALLY_FILLED.
void build_store(const std::string& path, std::uint64_t orders) {
  auto store = create_store(path);
  const std::uint64_t working_from = orders - orders * kWorkingPerHundred / 100;
  std::uint64_t fills = 0;
  for (std::uint64_t n = 1; n <= orders; ++n) {
    const Timestamp t{1'700'000'000'000'000'000 + static_cast<std::int64_t>(n) * 1'000'000};
    const OrderIntent in = intent_for(n, t);
    Order order(in, in.qty, in.limit_price, t);
    must(order.submit(t), "submit");
    must(store->record_new_order(stored_for(order, n, in.limit_price)), "record_new_order");
    must(order.accept(Timestamp{t.ns + 1000}, *VenueOrderId::parse("PX-" + std::to_string(n))), "accept");
    must(store->record_order_update(order, {}, false), "record_order_update");
    const bool working = n > working_from;
    if (working && n % 2 == 0) continue;  // stays OPEN
    const Qty qty = working ? Qty::from_raw(in.qty.raw / 2) : in.qty;
    const Timestamp ft{t.ns + 2000};
    must(order.fill(ft, qty, in.limit_price), "fill");
    StoredFill f{n, in.client_order_id, in.instrument, in.side, qty, in.limit_price, Money::from_raw(1000), false, ft};
    auto stored = must(store->record_fill(f, &order, portfolio_after(++fills)), "record_fill");
    if (!stored) die("fill stored twice");
  }
}

void fsync_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) die("cannot open " + path);
  if (::fsync(fd) != 0) die("fsync " + path);
  ::close(fd);
}

// Drops the file's pages from the page cache (they are clean after fsync_file).
void drop_from_page_cache(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) die("cannot open " + path);
  (void)::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  ::close(fd);
}

// One store of `orders` orders per process, built on tmpfs and copied to the benchmark
// directory; every benchmark recovers (and the paper sequence changes) a copy of it.
const std::string& built_store(std::uint64_t orders) {
  static ScratchDir dir(bench_root());
  static std::uint64_t built_orders = 0;
  static std::string path;
  if (built_orders == orders) return path;
  const fs::path shm("/dev/shm");
  const bool have_shm = fs::is_directory(shm);
  ScratchDir build_dir(have_shm ? shm : bench_root());
  const std::string build_path = build_dir.file("state.db");
  const auto t0 = Clock::now();
  build_store(build_path, orders);  // the store is closed: its WAL is folded into the file
  std::fprintf(stderr, "built a state store of %llu orders in %.1f s (%s)\n", static_cast<unsigned long long>(orders),
               std::chrono::duration<double>(Clock::now() - t0).count(),
               fs_label(have_shm ? shm : bench_root()).c_str());
  path = dir.file(("state_" + std::to_string(orders) + ".db").c_str());
  fs::copy_file(build_path, path, fs::copy_options::overwrite_existing);
  fsync_file(path);
  built_orders = orders;
  return path;
}

// A private copy of the built store, on disk.
std::string copy_of_store(const std::string& built, const ScratchDir& dir) {
  const std::string path = dir.file("state.db");
  fs::copy_file(built, path, fs::copy_options::overwrite_existing);
  fsync_file(path);
  return path;
}

struct Recovered {
  LoadedState loaded;
  std::vector<Order> working;
  std::unordered_set<std::uint64_t> trades;
};

// The in-memory part of recovery: PaperSession::recover restores each working order, and
// StoreDurableLog builds its set of applied trade ids.
void restore_orders(Recovered* r) {
  r->working.reserve(r->loaded.open_orders.size());
  for (const StoredOrder& o : r->loaded.open_orders) r->working.push_back(must(Order::restore(o.order), "restore"));
}
void restore_trades(Recovered* r) {
  r->trades = std::unordered_set<std::uint64_t>(r->loaded.trade_ids.begin(), r->loaded.trade_ids.end());
}

void BM_Recover(benchmark::State& state) {
  const auto orders = static_cast<std::uint64_t>(state.range(0));
  const bool cold = state.range(1) != 0;
  const std::string& built = built_store(orders);
  const fs::path root = bench_root();
  state.SetLabel(fs_label(root) + (cold ? ", file not in page cache" : ", file in page cache"));
  ScratchDir dir(root);
  const std::string path = copy_of_store(built, dir);
  double open_us = 0, load_us = 0, restore_us = 0, trade_set_us = 0;
  std::size_t working = 0, trades = 0;
  for (auto _ : state) {
    if (cold) drop_from_page_cache(path);
    Recovered r;
    const auto t0 = Clock::now();
    auto store = must(StateStore::open(path, StateOpenOptions{true, false}), "open");
    const auto t1 = Clock::now();
    r.loaded = must(store->load(), "load");
    const auto t2 = Clock::now();
    restore_orders(&r);
    const auto t3 = Clock::now();
    restore_trades(&r);
    const auto t4 = Clock::now();
    state.SetIterationTime(std::chrono::duration<double>(t4 - t0).count());
    open_us += us(t1 - t0);
    load_us += us(t2 - t1);
    restore_us += us(t3 - t2);
    trade_set_us += us(t4 - t3);
    working = r.working.size();
    trades = r.trades.size();
    if (r.loaded.order_count != orders) die("recovered the wrong number of orders");
  }
  const auto n = static_cast<double>(state.iterations());
  state.counters["open_ms"] = open_us / n / 1e3;
  state.counters["load_ms"] = load_us / n / 1e3;
  state.counters["restore_ms"] = restore_us / n / 1e3;
  state.counters["trade_set_ms"] = trade_set_us / n / 1e3;
  state.counters["working"] = static_cast<double>(working);
  state.counters["trade_ids"] = static_cast<double>(trades);
  state.counters["file_MB"] = static_cast<double>(fs::file_size(path)) / 1e6;
}
BENCHMARK(BM_Recover)
    ->Args({100'000, 0})
    ->Args({100'000, 1})
    ->Iterations(10)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

void BM_RecoverPaperSequence(benchmark::State& state) {
  const auto orders = static_cast<std::uint64_t>(state.range(0));
  const std::string& built = built_store(orders);
  const fs::path root = bench_root();
  state.SetLabel(fs_label(root) + ", file in page cache");
  ScratchDir dir(root);
  const std::string path = copy_of_store(built, dir);
  for (auto _ : state) {
    Recovered r;
    const auto t0 = Clock::now();
    auto store = must(StateStore::open(path, StateOpenOptions{true, false}), "open");
    must(store->initialize(kSetup, Timestamp{}), "initialize");
    (void)must(store->next_boot(), "next_boot");
    must(store->set_config_in_force(std::string(64, 'a'), "{}"), "set_config_in_force");
    r.loaded = must(store->load(), "load");
    restore_orders(&r);
    restore_trades(&r);
    state.SetIterationTime(std::chrono::duration<double>(Clock::now() - t0).count());
  }
}
BENCHMARK(BM_RecoverPaperSequence)->Arg(100'000)->Iterations(10)->UseManualTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
