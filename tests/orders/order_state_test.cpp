// The order state machine of DESIGN.md section 6 / order_state.hpp, checked over every pair.
#include "cst/orders/order_state.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace cst {
namespace {

constexpr OrderStatus kAll[kOrderStatusCount] = {
    OrderStatus::kNew,    OrderStatus::kSubmitted, OrderStatus::kOpen,     OrderStatus::kPartiallyFilled,
    OrderStatus::kFilled, OrderStatus::kCancelled, OrderStatus::kRejected, OrderStatus::kError,
};

// Written independently from the diagram and text in order_state.hpp:
//   NEW       -> SUBMITTED, REJECTED, ERROR
//   SUBMITTED -> OPEN, PARTIALLY_FILLED, FILLED (filled before the ack), REJECTED,
//                CANCELLED (IOC remainder), ERROR
//   OPEN      -> PARTIALLY_FILLED, FILLED, CANCELLED, ERROR
//   PARTIALLY_FILLED -> PARTIALLY_FILLED (a further partial fill), FILLED, CANCELLED, ERROR
//   FILLED, CANCELLED, REJECTED, ERROR -> nothing (terminal)
// Rows: from; columns: to, in enum order N S O P F C R E.
constexpr bool kLegal[kOrderStatusCount][kOrderStatusCount] = {
    //       N  S  O  P  F  C  R  E
    /* N */ {0, 1, 0, 0, 0, 0, 1, 1},
    /* S */ {0, 0, 1, 1, 1, 1, 1, 1},
    /* O */ {0, 0, 0, 1, 1, 1, 0, 1},
    /* P */ {0, 0, 0, 1, 1, 1, 0, 1},
    /* F */ {0, 0, 0, 0, 0, 0, 0, 0},
    /* C */ {0, 0, 0, 0, 0, 0, 0, 0},
    /* R */ {0, 0, 0, 0, 0, 0, 0, 0},
    /* E */ {0, 0, 0, 0, 0, 0, 0, 0},
};

TEST(OrderState, EveryTransitionMatchesTheDocumentedTable) {
  int legal = 0;
  for (int from = 0; from < kOrderStatusCount; ++from) {
    for (int to = 0; to < kOrderStatusCount; ++to) {
      EXPECT_EQ(is_legal_transition(kAll[from], kAll[to]), kLegal[from][to])
          << to_string(kAll[from]) << " -> " << to_string(kAll[to]);
      legal += kLegal[from][to] ? 1 : 0;
    }
  }
  EXPECT_EQ(legal, 17);  // 3 + 6 + 4 + 4: guards against an edit of the table itself
}

TEST(OrderState, TerminalStatesAreFilledCancelledRejectedAndError) {
  const std::set<OrderStatus> terminal = {OrderStatus::kFilled, OrderStatus::kCancelled, OrderStatus::kRejected,
                                          OrderStatus::kError};
  for (OrderStatus s : kAll) EXPECT_EQ(is_terminal(s), terminal.contains(s)) << to_string(s);
}

TEST(OrderState, TerminalStatesHaveNoWayOut) {
  for (OrderStatus from : kAll) {
    if (!is_terminal(from)) continue;
    for (OrderStatus to : kAll)
      EXPECT_FALSE(is_legal_transition(from, to)) << to_string(from) << " -> " << to_string(to);
  }
}

// Whatever happens, a live order can always be marked ERROR for reconciliation.
TEST(OrderState, EveryLiveStateCanFailToError) {
  for (OrderStatus from : kAll) {
    if (is_terminal(from)) continue;
    EXPECT_TRUE(is_legal_transition(from, OrderStatus::kError)) << to_string(from);
  }
}

TEST(OrderState, NamesAreUniqueAndUpperCase) {
  const char* expected[] = {"NEW", "SUBMITTED", "OPEN", "PARTIALLY_FILLED", "FILLED", "CANCELLED", "REJECTED", "ERROR"};
  for (int i = 0; i < kOrderStatusCount; ++i) EXPECT_EQ(to_string(kAll[i]), expected[i]);
  EXPECT_EQ(to_string(static_cast<OrderStatus>(kOrderStatusCount)), "UNKNOWN");
  EXPECT_FALSE(is_legal_transition(static_cast<OrderStatus>(kOrderStatusCount), OrderStatus::kNew));
}

}  // namespace
}  // namespace cst
