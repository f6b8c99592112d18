// Lockdown episodes out of the journal's notes (private to the report module). The rules of
// what starts, continues and ends an episode are in compliance_report.hpp; this is the one
// place that applies them.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "compliance_fields.hpp"
#include "cst/report/compliance_report.hpp"

namespace cst::report::compliance {

// The trigger a note of `kind` is, or none if it does not put the account in lockdown.
std::optional<LockdownTrigger> lockdown_trigger(std::string_view kind, const Json& o, JournalRef at);

// Fed the journal's triggers and operator actions in seq order, including those before the
// window (`before`), which only matter for an episode still open when the window starts.
class LockdownTracker {
 public:
  void trigger(LockdownTrigger t, bool before);
  void resume(const OperatorActionEntry& a, bool before);
  void refused(const OperatorActionEntry& a);
  // The episodes that overlap the window, in order; the tracker is left empty.
  std::vector<LockdownEpisode> take();

 private:
  std::vector<LockdownEpisode> episodes_;
  bool open_ = false;  // episodes_.back() has not ended
};

}  // namespace cst::report::compliance
