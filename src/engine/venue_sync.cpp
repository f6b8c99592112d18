#include "cst/engine/venue_sync.hpp"

#include "cst/audit/json_writer.hpp"

namespace cst {

std::string SyncOutcome::to_json() const {
  std::string out;
  audit::JsonWriter w(&out);
  auto count = [&](std::string_view key, std::size_t n) { w.key(key).unsigned_integer(n); };
  w.begin_object();
  w.key("venue_reachable").boolean(venue_reachable);
  count("uncertain_resolved", uncertain_resolved);
  count("not_received", not_received);
  count("missing_fills_applied", missing_fills_applied);
  count("foreign_fills_applied", foreign_fills_applied);
  count("orders_settled", orders_settled);
  count("unknown_orders_cancelled", unknown_orders_cancelled);
  count("unknown_orders_adopted", unknown_orders_adopted);
  count("orders_cancelled_on_resume", orders_cancelled_on_resume);
  w.key("balance_mismatch").boolean(balance_mismatch);
  w.key("cash_difference").string(to_string(cash_difference));
  w.key("base_difference_raw").integer(base_difference.raw);
  w.key("safe_mode_entered").boolean(safe_mode_entered);
  w.end_object();
  return out;
}

}  // namespace cst
