// The exact statements operators sign, one function per purpose, so that the signer (the CLI)
// and the verifier (the engine) can never disagree on the bytes. Free text is length-prefixed,
// so no reason can be crafted to read as other fields.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "cst/core/timestamp.hpp"

namespace cst::security {

inline constexpr std::string_view kResumePurpose = "resume";

// Resuming trading on `account` after the kill/lockdown recorded at `clears_since`: a
// signature for one lockdown cannot clear a later one.
std::string resume_statement(std::string_view account, Timestamp clears_since, std::string_view operator_name,
                             std::string_view reason, Timestamp time);

inline constexpr std::string_view kOrderApprovalPurpose = "order-approval";

// Approving one held order: its id, side, raw quantity and reference price, and notional
// (money raw). A signature over one order cannot approve another.
std::string order_approval_statement(std::string_view account, std::string_view client_order_id, std::string_view side,
                                     std::int64_t qty_raw, std::int64_t price_raw, std::int64_t notional_raw);

}  // namespace cst::security
