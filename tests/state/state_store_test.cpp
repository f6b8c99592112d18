#include "cst/state/state_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>

#include "support/run_sql.hpp"
#include "support/trading_fixtures.hpp"

namespace cst {
namespace {

using test::cents;
using test::coid;
using test::milli;
using test::usd;

AccountSetup setup() { return AccountSetup{"paper-1", "TEST-USD", usd(100000), 2, 8}; }

std::unique_ptr<StateStore> create(const std::string& path) {
  auto s = StateStore::open(path, StateOpenOptions{true, false});
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  if (!s.ok()) return nullptr;
  Status init = (*s)->initialize(setup(), Timestamp{1});
  EXPECT_TRUE(init.ok()) << init.error().message;
  return std::move(*s);
}

Order submitted_order(std::string_view id, Side side, Qty qty) {
  OrderIntent intent = test::market_order(side, qty, id);
  Order o(intent, qty, Price{}, Timestamp{100});
  EXPECT_TRUE(o.submit(Timestamp{101}).ok());
  return o;
}

StoredOrder stored(const Order& o, std::uint64_t decision) {
  StoredOrder s;
  s.order = o.snapshot();
  s.order.intent.source = test::source("sma");
  s.decision_id = decision;
  s.reference = cents(10000);
  s.created = Timestamp{100};
  s.uncertain = true;
  return s;
}

using test::run_sql;

TEST(StateStore, NewStoreHoldsTheAccountSetupAndStartingPortfolio) {
  test::TempDir dir;
  auto store = create(dir.file("acct.db"));
  ASSERT_TRUE(store);
  auto loaded = store->load();
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->setup.instrument, "TEST-USD");
  EXPECT_EQ(loaded->setup.starting_cash, usd(100000));
  ASSERT_TRUE(loaded->portfolio.has_value());
  EXPECT_EQ(loaded->portfolio->cash, usd(100000));
  EXPECT_EQ(loaded->controls.trading_state, TradingState::kActive);
  EXPECT_TRUE(loaded->open_orders.empty());
}

TEST(StateStore, RefusesAnotherAccountSetupOnTheSameFile) {
  test::TempDir dir;
  auto store = create(dir.file("acct.db"));
  ASSERT_TRUE(store);
  Status other = store->check_setup(AccountSetup{"x", "BTC-USD", usd(100000)});
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.error().message.find("TEST-USD"), std::string::npos);
  EXPECT_NE(other.error().message.find("BTC-USD"), std::string::npos);
  Status cash = store->check_setup(AccountSetup{"x", "TEST-USD", usd(5)});
  ASSERT_FALSE(cash.ok());
  EXPECT_NE(cash.error().message.find("new state file"), std::string::npos);
  Status units = store->check_setup(AccountSetup{"x", "TEST-USD", usd(100000), 2, 6});
  ASSERT_FALSE(units.ok());
  EXPECT_NE(units.error().message.find("quantities with 8 decimals, the configured instrument has 6"),
            std::string::npos)
      << units.error().message;
  EXPECT_TRUE(store->check_setup(AccountSetup{"x", "TEST-USD", usd(100000), 2, 8}).ok());
  EXPECT_FALSE(store->check_setup(AccountSetup{"x", "TEST-USD", usd(100000), 4, 8}).ok());
}

TEST(StateStore, OrderLifecycleAndFillsSurviveReopen) {
  test::TempDir dir;
  const std::string path = dir.file("acct.db");
  Order order = submitted_order("sma-1-1", Side::kBuy, milli(2000));
  {
    auto store = create(path);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->record_new_order(stored(order, 7)).ok());
    ASSERT_TRUE(order.accept(Timestamp{102}, *VenueOrderId::parse("PX-1")).ok());
    ASSERT_TRUE(store->record_order_update(order, {}, false).ok());
    ASSERT_TRUE(order.fill(Timestamp{103}, milli(500), cents(10005)).ok());
    Portfolio p(usd(100000));
    ASSERT_TRUE(p.add_instrument(test::test_instrument()).ok());
    const Fill fill{
        Timestamp{103}, order.client_order_id(), InstrumentId{1}, Side::kBuy, milli(500), cents(10005), usd(1), false};
    ASSERT_TRUE(p.apply_fill(fill).ok());
    StoredFill f{41,    order.client_order_id(), InstrumentId{1}, Side::kBuy, milli(500), cents(10005), usd(1),
                 false, Timestamp{103}};
    auto applied = store->record_fill(f, &order, p.snapshot());
    ASSERT_TRUE(applied.ok()) << applied.error().message;
    EXPECT_TRUE(*applied);
  }
  auto reopened = StateStore::open(path, StateOpenOptions{});
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  auto loaded = (*reopened)->load();
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  ASSERT_EQ(loaded->open_orders.size(), 1u);
  const StoredOrder& o = loaded->open_orders[0];
  EXPECT_EQ(o.order.intent.client_order_id, coid("sma-1-1"));
  EXPECT_EQ(o.order.status, OrderStatus::kPartiallyFilled);
  EXPECT_EQ(o.order.filled, milli(500));
  EXPECT_EQ(o.order.venue_order_id.view(), "PX-1");
  EXPECT_EQ(o.order.intent.source.view(), "sma");
  EXPECT_EQ(o.decision_id, 7u);
  EXPECT_FALSE(o.uncertain);
  auto restored = Order::restore(o.order);
  ASSERT_TRUE(restored.ok()) << restored.error().message;
  EXPECT_EQ(restored->avg_fill_price(), cents(10005));
  EXPECT_EQ(restored->remaining_qty(), milli(1500));
  EXPECT_EQ(loaded->trade_ids, std::vector<std::uint64_t>{41});
  ASSERT_TRUE(loaded->portfolio.has_value());
  ASSERT_EQ(loaded->portfolio->positions.size(), 1u);
  EXPECT_EQ(loaded->portfolio->positions[0].position.qty, milli(500));
  EXPECT_EQ(loaded->portfolio->cash,
            usd(100000) - usd(50) - Money::from_raw(2'500'000) - usd(1));  // 100.05 x 0.5 + fee 1
  auto events = (*reopened)->order_events(coid("sma-1-1"));
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[0].status, OrderStatus::kSubmitted);
  EXPECT_EQ((*events)[1].status, OrderStatus::kOpen);
  EXPECT_EQ((*events)[2].status, OrderStatus::kPartiallyFilled);
  EXPECT_EQ((*events)[2].qty, milli(500));
}

TEST(StateStore, AFillWithAKnownTradeIdIsStoredOnce) {
  test::TempDir dir;
  auto store = create(dir.file("acct.db"));
  ASSERT_TRUE(store);
  Order order = submitted_order("sma-1-1", Side::kBuy, milli(1000));
  ASSERT_TRUE(store->record_new_order(stored(order, 1)).ok());
  ASSERT_TRUE(order.fill(Timestamp{103}, milli(400), cents(10000)).ok());
  Portfolio p(usd(100000));
  ASSERT_TRUE(p.add_instrument(test::test_instrument()).ok());
  StoredFill f{9,     order.client_order_id(), InstrumentId{1}, Side::kBuy, milli(400), cents(10000), Money{},
               false, Timestamp{103}};
  ASSERT_TRUE(*store->record_fill(f, &order, p.snapshot()));
  // The same trade again (a late report after recovery applied it): nothing changes, not even
  // the order row, which the caller may have advanced in memory.
  Order later = order;
  ASSERT_TRUE(later.fill(Timestamp{104}, milli(400), cents(10000)).ok());
  auto again = store->record_fill(f, &later, p.snapshot());
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_FALSE(*again);
  auto fills = store->fills();
  ASSERT_TRUE(fills.ok());
  EXPECT_EQ(fills->size(), 1u);
  auto o = store->find_order(coid("sma-1-1"));
  ASSERT_TRUE(o.ok() && o->has_value());
  EXPECT_EQ((*o)->order.filled, milli(400));
}

TEST(StateStore, AClientOrderIdIsNeverStoredTwice) {
  test::TempDir dir;
  auto store = create(dir.file("acct.db"));
  ASSERT_TRUE(store);
  Order order = submitted_order("sma-1-1", Side::kBuy, milli(1000));
  ASSERT_TRUE(store->record_new_order(stored(order, 1)).ok());
  Status again = store->record_new_order(stored(order, 2));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kDuplicate);
  EXPECT_NE(again.error().message.find("sma-1-1"), std::string::npos);
}

TEST(StateStore, ControlsAndBootCounterPersist) {
  test::TempDir dir;
  const std::string path = dir.file("acct.db");
  {
    auto store = create(path);
    ASSERT_TRUE(store);
    EXPECT_EQ(*store->next_boot(), 1u);
    EXPECT_EQ(*store->next_boot(), 2u);
    Controls c;
    c.trading_state = TradingState::kLockdown;
    c.reason = "leverage ceiling attempt";
    c.operator_name = "risk_guard";
    c.since = Timestamp{55};
    c.safe_mode = true;
    c.safe_reason = "balance mismatch";
    ASSERT_TRUE(store->save_controls(c).ok());
    ASSERT_TRUE(store->set_config_in_force("abc123", "{\"risk.profile\":\"moderate\"}").ok());
  }
  auto store = StateStore::open(path, StateOpenOptions{});
  ASSERT_TRUE(store.ok());
  auto loaded = (*store)->load();
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->boot, 2u);
  EXPECT_EQ(loaded->controls.trading_state, TradingState::kLockdown);
  EXPECT_EQ(loaded->controls.reason, "leverage ceiling attempt");
  EXPECT_EQ(loaded->controls.operator_name, "risk_guard");
  EXPECT_EQ(loaded->controls.since, Timestamp{55});
  EXPECT_TRUE(loaded->controls.safe_mode);
  EXPECT_EQ(loaded->controls.safe_reason, "balance mismatch");
  EXPECT_EQ(loaded->config_hash, "abc123");
  EXPECT_EQ(loaded->config_values, "{\"risk.profile\":\"moderate\"}");
}

TEST(StateStore, OperatorActionsFromAnotherConnectionAreSeen) {
  test::TempDir dir;
  const std::string path = dir.file("acct.db");
  auto trader = create(path);
  ASSERT_TRUE(trader);
  auto before = trader->data_version();
  ASSERT_TRUE(before.ok());
  {
    auto op = StateStore::open(path, StateOpenOptions{});
    ASSERT_TRUE(op.ok());
    ASSERT_TRUE((*op)->add_operator_action(OperatorAction::kKill, "manual stop", "alice", Timestamp{9}).ok());
  }
  auto after = trader->data_version();
  ASSERT_TRUE(after.ok());
  EXPECT_NE(*before, *after);
  auto pending = trader->pending_operator_actions();
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].action, OperatorAction::kKill);
  EXPECT_EQ((*pending)[0].reason, "manual stop");
  EXPECT_EQ((*pending)[0].operator_name, "alice");
  ASSERT_TRUE(trader->mark_action_done((*pending)[0].seq).ok());
  EXPECT_TRUE(trader->pending_operator_actions()->empty());
}

TEST(StateStore, MissingFileIsNotCreatedWithoutCreateIfMissing) {
  test::TempDir dir;
  auto s = StateStore::open(dir.file("none.db"), StateOpenOptions{});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kNotFound);
  EXPECT_NE(s.error().message.find("none.db"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir.file("none.db")));
}

// Each refusal must name the file and leave its bytes exactly as they were.
void expect_refused(const std::string& path, ErrorCode code, std::string_view says) {
  const std::string before = test::read_file(path);
  auto s = StateStore::open(path, StateOpenOptions{true, false});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, code) << s.error().message;
  EXPECT_NE(s.error().message.find(path), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find(says), std::string::npos) << s.error().message;
  EXPECT_EQ(test::read_file(path), before);
}

TEST(StateStore, RefusesAFileThatIsNotSqlite) {
  test::TempDir dir;
  const std::string path = dir.file("acct.db");
  std::ofstream(path) << "client_order_id,qty\nsma-1,3\n" << std::string(5000, 'x');
  expect_refused(path, ErrorCode::kCorruption, "not a database");
}

TEST(StateStore, RefusesAnotherApplicationsDatabase) {
  test::TempDir dir;
  const std::string path = dir.file("acct.db");
  run_sql(path, "CREATE TABLE t(x); INSERT INTO t VALUES (1);");
  expect_refused(path, ErrorCode::kCorruption, "not a cst state store");
}

TEST(StateStore, RefusesANewerSchema) {
  test::TempDir dir;
  const std::string path = dir.file("acct.db");
  { ASSERT_TRUE(create(path)); }
  run_sql(path, "PRAGMA user_version = 99");
  expect_refused(path, ErrorCode::kUnsupported, "schema version 99");
}

TEST(StateStore, RefusesATruncatedFile) {
  test::TempDir dir;
  const std::string path = dir.file("acct.db");
  {
    auto store = create(path);
    ASSERT_TRUE(store);
    for (int i = 0; i < 200; ++i) {
      Order o = submitted_order("sma-1-" + std::to_string(i), Side::kBuy, milli(1000));
      ASSERT_TRUE(store->record_new_order(stored(o, static_cast<std::uint64_t>(i))).ok());
    }
  }
  // Fold the WAL into the file, then cut the file in half, as a full disk or a bad copy would.
  run_sql(path, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;");
  const auto size = std::filesystem::file_size(path);
  ASSERT_GT(size, 8192u);
  std::filesystem::resize_file(path, size / 2);
  const std::string before = test::read_file(path);
  auto s = StateStore::open(path, StateOpenOptions{});
  std::string message;
  if (s.ok()) {
    auto loaded = (*s)->load();  // a cut in the data pages shows on the first full read
    ASSERT_FALSE(loaded.ok()) << "a truncated store loaded without error";
    message = loaded.error().message;
    EXPECT_EQ(loaded.error().code, ErrorCode::kCorruption) << message;
  } else {
    message = s.error().message;
    EXPECT_EQ(s.error().code, ErrorCode::kCorruption) << message;
  }
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_EQ(test::read_file(path), before);
}

TEST(StateStore, ADamagedOrderRowIsReportedWithItsId) {
  test::TempDir dir;
  const std::string path = dir.file("acct.db");
  {
    auto store = create(path);
    ASSERT_TRUE(store);
    Order o = submitted_order("sma-1-1", Side::kBuy, milli(1000));
    ASSERT_TRUE(store->record_new_order(stored(o, 1)).ok());
  }
  run_sql(path, "UPDATE orders SET filled = 5000 WHERE client_order_id = 'sma-1-1'");
  auto store = StateStore::open(path, StateOpenOptions{});
  ASSERT_TRUE(store.ok());
  auto loaded = (*store)->load();
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, ErrorCode::kCorruption);
  EXPECT_NE(loaded.error().message.find("sma-1-1"), std::string::npos) << loaded.error().message;
}

}  // namespace
}  // namespace cst

namespace cst {
namespace {

TEST(StateStore, AVersionOneFileIsMigratedAndKeepsItsState) {
  // A state file written by the previous release (schema 1: no signed operator actions).
  test::TempDir dir;
  const std::string path = dir.file("v1.db");
  std::filesystem::copy_file(std::string(CST_SOURCE_DIR) + "/fuzz/corpus/state_store/killed_after_one_fill.db", path);
  auto store = StateStore::open(path, StateOpenOptions{});
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto loaded = (*store)->load();
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->controls.trading_state, TradingState::kKilled);
  ASSERT_TRUE((*store)
                  ->add_operator_action(OperatorAction::kResume, "checked", "alice", Timestamp{5}, "ab", Timestamp{4})
                  .ok());
  auto pending = (*store)->pending_operator_actions();
  ASSERT_TRUE(pending.ok()) << pending.error().message;
  ASSERT_FALSE(pending->empty());
  EXPECT_EQ(pending->back().signature, "ab");
  EXPECT_EQ(pending->back().clears_since, Timestamp{4});
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 2);
  sqlite3_finalize(st);
  sqlite3_close(db);
}

}  // namespace
}  // namespace cst
