// The notes the compliance report reads, one reader per note kind (private to the report
// module). Each reader takes the parsed payload and returns the entry, or none with *problem
// naming the missing field when the note lacks what the report needs to show it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "compliance_fields.hpp"
#include "cst/report/compliance_report.hpp"

namespace cst::report::compliance {

std::optional<SecurityEventEntry> read_security_event(const Json& o, JournalRef at, std::string* problem);
std::optional<ThreatChange> read_threat_change(const Json& o, JournalRef at, std::string* problem);
std::optional<AlertEntry> read_alert(const Json& o, JournalRef at, std::string* problem);
std::optional<RiskStateEntry> read_risk_state(const Json& o, JournalRef at, std::string* problem);
std::optional<RiskEventEntry> read_risk_event(const Json& o, JournalRef at, std::string* problem);
// `action` is "kill", "resume" or "resume_refused".
std::optional<OperatorActionEntry> read_operator_action(const Json& o, JournalRef at, std::string_view action,
                                                        std::string* problem);
std::optional<KeyEventEntry> read_key_event(const Json& o, JournalRef at, std::string* problem);
std::optional<OrderApprovalEntry> read_order_approval(const Json& o, JournalRef at, std::string_view kind,
                                                      std::string* problem);
std::optional<ConfigReviewEntry> read_config_review(const Json& o, JournalRef at, std::string* problem);
std::optional<ConfigInForceEntry> read_config_in_force(const Json& o, JournalRef at, std::string* problem);
std::optional<ConfigTamperedEntry> read_config_tampered(const Json& o, JournalRef at, std::string* problem);

// The note kinds of multi-signature order approval (order_held, order_approval*, order_released).
bool is_order_approval_kind(std::string_view kind);

}  // namespace cst::report::compliance
