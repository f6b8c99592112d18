// Venue: where approved orders go. send() takes an ApprovedOrder and nothing else, so no
// order can reach a venue without passing the gateway; cancel() takes an ApprovedCancel.
// Venues report back through an ExecutionListener, on the engine's thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "cst/core/fixed_point.hpp"
#include "cst/core/ids.hpp"
#include "cst/core/result.hpp"
#include "cst/core/timestamp.hpp"
#include "cst/gateway/approved_order.hpp"
#include "cst/market/market_event.hpp"

namespace cst {

enum class ExecKind : std::uint8_t { kAccepted, kFilled, kCancelled, kRejected };

struct ExecutionReport {
  ExecKind kind = ExecKind::kAccepted;
  Timestamp time;
  ClientOrderId client_order_id;
  VenueOrderId venue_order_id;
  InstrumentId instrument{};
  Side side = Side::kBuy;
  Qty qty;      // fill quantity (kFilled)
  Price price;  // fill price (kFilled)
  Money fee;    // fill fee (kFilled)
  bool maker = false;
  std::uint64_t trade_id = 0;     // the venue's unique id of a fill (kFilled), so it is applied once
  std::array<char, 48> reason{};  // NUL-padded, for kRejected / kCancelled

  void set_reason(std::string_view text);
  std::string_view reason_view() const;
};

class ExecutionListener {
 public:
  virtual ~ExecutionListener() = default;
  virtual void on_execution(const ExecutionReport& report) = 0;
};

// What send() did. On a transport failure (kUnavailable: it never reached the venue; kTimeout:
// it may have) the venue hands the approval back, so the same order (same client order id, same
// decision) can be retried, after a query when it may have arrived. It is never copied: an
// approval is still sent at most once at a time.
struct SendResult {
  SendResult(Status s) : status(std::move(s)) {}  // NOLINT(google-explicit-constructor): plain returns
  SendResult(Error e) : status(std::move(e)) {}   // NOLINT(google-explicit-constructor): a final refusal
  SendResult(Error e, ApprovedOrder order) : status(std::move(e)), unsent(std::move(order)) {}

  bool ok() const { return status.ok(); }
  const Error& error() const { return status.error(); }

  Status status;
  std::optional<ApprovedOrder> unsent;
};

class Venue {
 public:
  virtual ~Venue() = default;
  // Sends exactly approved_qty at approved_price. Errors are transport failures; a venue's
  // refusal arrives as a kRejected report.
  virtual SendResult send(ApprovedOrder order) = 0;
  virtual Status cancel(ApprovedCancel cancel) = 0;
};

}  // namespace cst
