#include "compliance_decisions.hpp"

#include <algorithm>
#include <utility>

namespace cst::report::compliance {

namespace {

bool is_ceiling(std::string_view reason) { return reason == "leverage_ceiling" || reason == "position_ceiling"; }

// The ceiling a rejected decision hit: its primary reason, else the first ceiling among all the
// reasons that applied.
std::optional<std::string> ceiling_reason(const Json& o) {
  const std::string primary = text(o, "reason");
  if (is_ceiling(primary)) return primary;
  for (const std::string& r : texts(o, "reasons"))
    if (is_ceiling(r)) return r;
  return std::nullopt;
}

}  // namespace

bool DecisionCounter::add(const Json& o, JournalRef at, std::optional<CeilingRejection>* ceiling,
                          std::string* problem) {
  if (!has_text(o, "verdict")) {
    *problem = "decision without a 'verdict'";
    return false;
  }
  const std::string verdict = text(o, "verdict");
  ++total_;
  ++verdicts_[verdict];
  if (verdict == "reduced" || verdict == "rejected") {
    const std::string reason = has_text(o, "reason") ? text(o, "reason") : std::string("(none)");
    ReasonCount& c = reasons_[reason];
    c.reason = reason;
    ++(verdict == "reduced" ? c.reduced : c.rejected);
  }
  ceiling->reset();
  if (verdict == "rejected") {
    if (auto reason = ceiling_reason(o)) {
      const auto intent = o.find("intent");
      const Json empty = Json::object();
      const Json& in = intent != o.end() && intent->is_object() ? *intent : empty;
      *ceiling =
          CeilingRejection{at, std::move(*reason), text(in, "client_order_id"), text(in, "side"), text(in, "qty")};
    }
  }
  return true;
}

DecisionTally DecisionCounter::take() {
  DecisionTally t;
  t.total = std::exchange(total_, 0);
  t.by_verdict = sorted_counts(verdicts_);
  verdicts_.clear();
  for (auto& [name, c] : reasons_) t.by_reason.push_back(std::move(c));
  reasons_.clear();
  // From the map in name order; a stable sort by total keeps names in order within a total.
  std::stable_sort(t.by_reason.begin(), t.by_reason.end(),
                   [](const ReasonCount& a, const ReasonCount& b) { return a.total() > b.total(); });
  return t;
}

}  // namespace cst::report::compliance
