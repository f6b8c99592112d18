// The compliance report's reading of journal records, without the file (private to the report
// module): records in seq order through the same collector build_compliance_report() streams a
// journal through. The report's `integrity`, `journal_name`, `from` and `to` are left for the
// caller. For the fuzz target (fuzz/compliance_fuzz.cpp), which feeds it records no journal
// writer would produce (a tampered file's).
#pragma once

#include <optional>
#include <vector>

#include "cst/audit/journal_verify.hpp"
#include "cst/report/compliance_report.hpp"

namespace cst::report::compliance {

ComplianceReport collect_records(const std::vector<JournalRecordView>& records, std::optional<Timestamp> from,
                                 std::optional<Timestamp> to);

}  // namespace cst::report::compliance
