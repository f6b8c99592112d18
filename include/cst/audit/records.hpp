// The records the audit journal stores. They are plain values (no heap), so the gateway can
// hand one to the journal's bounded queue without allocating on the decision path; the
// journal's writer thread turns them into canonical text and chains their hashes.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "cst/core/fixed_point.hpp"
#include "cst/core/ids.hpp"
#include "cst/core/reason_code.hpp"
#include "cst/core/timestamp.hpp"
#include "cst/orders/order_intent.hpp"
#include "cst/orders/order_state.hpp"

namespace cst {

enum class Verdict : std::uint8_t { kApproved, kReduced, kRejected };
inline constexpr const char* to_string(Verdict v) {
  return v == Verdict::kApproved ? "approved" : v == Verdict::kReduced ? "reduced" : "rejected";
}

// The limits that were in force for a decision (a compact copy, so the journal alone
// explains the decision).
struct LimitsInForce {
  std::uint8_t profile = 0;  // RiskProfile as integer
  std::int32_t daily_loss_bp = 0;
  std::int32_t max_drawdown_bp = 0;
  std::int32_t position_bp = 0;
  std::int32_t exposure_bp = 0;
  std::int32_t leverage_x100 = 0;
};

// One gateway decision on a new order.
struct DecisionRecord {
  std::uint64_t decision_id = 0;  // gateway sequence
  Timestamp time;                 // clock time of the decision
  OrderIntent intent;             // what was asked
  Verdict verdict = Verdict::kRejected;
  ReasonCode reason = ReasonCode::kNone;  // rejected: the rejecting check; reduced: the first cut
  std::uint64_t reasons_mask = 0;         // every reason that applied (bit = ReasonCode)
  Qty approved_qty;
  Price approved_price;
  std::int8_t price_decimals = 0;  // units of the intent's prices/quantities
  std::int8_t qty_decimals = 0;
  // Market snapshot used.
  Timestamp market_time;
  Price bid, ask, last;
  // Account state used.
  Money equity;
  Money cash;
  LimitsInForce limits;
  std::int64_t decision_ns = 0;  // measured decision time (0 in deterministic mode)
};

// One order lifecycle event, or a cancel decision (status unchanged, reason "cancel_request").
struct OrderEventRecord {
  Timestamp time;
  ClientOrderId client_order_id;
  InstrumentId instrument{};
  OrderStatus status = OrderStatus::kNew;
  Qty qty;      // fill qty for fills
  Price price;  // fill price for fills
  Money fee;    // fee of a fill
  std::int8_t price_decimals = 0;
  std::int8_t qty_decimals = 0;
  std::array<char, 48> reason{};  // NUL-padded short reason
};

// Anything rare (run start with config hash, operator actions, kill switch, errors): a kind
// and a JSON object text. Allocates, so not for the decision path.
struct NoteRecord {
  Timestamp time;
  std::string kind;  // e.g. "run_start", "kill_switch", "operator_resume"
  std::string json;  // a JSON object
};

}  // namespace cst
