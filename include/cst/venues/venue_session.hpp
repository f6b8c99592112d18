// TradingVenue: a venue the trader can question, as it must after a restart or a lost reply.
//
// A live-like venue (paper, and later Kraken, Binance, FIX) keeps its own book of our orders.
// When the trading process is killed, restarted or loses a reply, it recovers by asking: does
// the venue know this client order id, which of our orders are open, which fills came after
// the last one we applied, what do we hold. These are the venue's answers, in the units of
// the one instrument the account trades.
//
// Thread rules: like Venue, called from the engine's thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cst/core/fixed_point.hpp"
#include "cst/core/ids.hpp"
#include "cst/core/result.hpp"
#include "cst/core/timestamp.hpp"
#include "cst/market/market_event.hpp"
#include "cst/orders/order_intent.hpp"
#include "cst/venues/venue.hpp"

namespace cst {

// An order's state as the venue sees it. kOpen and kPartiallyFilled are working; the other
// three are final.
enum class VenueOrderStatus : std::uint8_t { kOpen, kPartiallyFilled, kFilled, kCancelled, kRejected };

// "open", "partially_filled", "filled", "cancelled", "rejected".
inline std::string_view to_string(VenueOrderStatus status) {
  switch (status) {
    case VenueOrderStatus::kOpen: return "open";
    case VenueOrderStatus::kPartiallyFilled: return "partially_filled";
    case VenueOrderStatus::kFilled: return "filled";
    case VenueOrderStatus::kCancelled: return "cancelled";
    case VenueOrderStatus::kRejected: return "rejected";
  }
  return "unknown";
}

// The inverse of to_string; kParse for any other text.
inline Result<VenueOrderStatus> parse_venue_order_status(std::string_view text) {
  for (auto s : {VenueOrderStatus::kOpen, VenueOrderStatus::kPartiallyFilled, VenueOrderStatus::kFilled,
                 VenueOrderStatus::kCancelled, VenueOrderStatus::kRejected})
    if (to_string(s) == text) return s;
  return make_error(ErrorCode::kParse, "'" + std::string(text) + "' is not a venue order status");
}

inline constexpr bool is_working(VenueOrderStatus s) {
  return s == VenueOrderStatus::kOpen || s == VenueOrderStatus::kPartiallyFilled;
}

struct VenueOrder {
  ClientOrderId client_order_id;
  VenueOrderId venue_order_id;
  InstrumentId instrument{};
  Side side = Side::kBuy;
  OrderType type = OrderType::kMarket;
  Qty qty;
  Price limit_price;  // zero for market orders
  bool post_only = false;
  Qty filled;
  VenueOrderStatus status = VenueOrderStatus::kOpen;
  Timestamp created;
  std::string reason;  // why it was rejected or cancelled; empty otherwise

  Qty remaining() const { return qty - filled; }
};

struct VenueFill {
  std::uint64_t trade_id = 0;  // unique per venue, ascending in the order fills happened
  ClientOrderId client_order_id;
  InstrumentId instrument{};
  Side side = Side::kBuy;
  Qty qty;
  Price price;
  Money fee;
  bool maker = false;
  Timestamp time;
};

// A one-instrument spot account: quote cash and base holdings.
struct VenueBalances {
  Money cash;
  Qty base;
};

class TradingVenue : public Venue {
 public:
  // The venue's record of one of our orders; nullopt: the venue never received it.
  virtual Result<std::optional<VenueOrder>> query_order(const ClientOrderId& id) = 0;
  // Our working orders (kOpen, kPartiallyFilled), oldest first.
  virtual Result<std::vector<VenueOrder>> open_orders() = 0;
  // Fills with trade_id > `trade_id`, ascending; fills_after(0) is every fill.
  virtual Result<std::vector<VenueFill>> fills_after(std::uint64_t trade_id) = 0;
  virtual Result<VenueBalances> balances() = 0;
  // False while the session is down: every call then fails with ErrorCode::kUnavailable.
  virtual bool connected() const = 0;
  // True if the venue cancels our open orders when the session drops (dead man's switch).
  virtual bool cancels_on_disconnect() const = 0;
};

}  // namespace cst
