// Gateway decisions for the compliance report (private to the report module): counts by
// verdict and by primary reason, and the rejections of orders above a LOCKED hard ceiling.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compliance_fields.hpp"
#include "cst/report/compliance_report.hpp"

namespace cst::report::compliance {

class DecisionCounter {
 public:
  // Counts one decision payload (record_format.cpp); returns the ceiling rejection it is, if
  // any. False with *problem set when the payload has no verdict.
  bool add(const Json& o, JournalRef at, std::optional<CeilingRejection>* ceiling, std::string* problem);
  // The counts, sorted (compliance_report.hpp); the counter is left empty.
  DecisionTally take();

 private:
  std::uint64_t total_ = 0;
  std::map<std::string, std::uint64_t> verdicts_;
  std::map<std::string, ReasonCount> reasons_;
};

}  // namespace cst::report::compliance
