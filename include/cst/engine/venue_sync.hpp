// What recovery and reconciliation found and did (DESIGN.md section 6: reconciliation with the
// venue every 3 s). Every outcome is journaled as a "reconciliation" note.
#pragma once

#include <cstddef>
#include <string>

#include "cst/core/fixed_point.hpp"

namespace cst {

// What to do with an order the venue has on our account that our state does not know.
enum class UnknownOrderPolicy : std::uint8_t { kCancel, kAdopt };

struct SyncOutcome {
  bool venue_reachable = true;
  std::size_t uncertain_resolved = 0;     // SUBMITTED/uncertain orders settled by a query
  std::size_t not_received = 0;           // of those, the venue never had: ended, never re-sent
  std::size_t missing_fills_applied = 0;  // fills the venue had that our state did not
  std::size_t foreign_fills_applied = 0;  // of those, for orders not open here
  std::size_t orders_settled = 0;         // open here, ended at the venue (cancelled/rejected)
  std::size_t unknown_orders_cancelled = 0;
  std::size_t unknown_orders_adopted = 0;
  std::size_t orders_cancelled_on_resume = 0;  // guardian: open orders cancelled before resuming
  bool balance_mismatch = false;
  Money cash_difference;  // venue - local
  Qty base_difference;    // venue - local
  bool safe_mode_entered = false;

  std::string to_json() const;
};

}  // namespace cst
