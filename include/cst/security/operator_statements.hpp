// The exact statements operators sign, one function per purpose, so that the signer (the CLI)
// and the verifier (the engine) can never disagree on the bytes. Free text is length-prefixed,
// so no reason can be crafted to read as other fields.
#pragma once

#include <string>
#include <string_view>

#include "cst/core/timestamp.hpp"

namespace cst::security {

inline constexpr std::string_view kResumePurpose = "resume";

// Resuming trading on `account` after the kill/lockdown recorded at `clears_since`: a
// signature for one lockdown cannot clear a later one.
std::string resume_statement(std::string_view account, Timestamp clears_since, std::string_view operator_name,
                             std::string_view reason, Timestamp time);

}  // namespace cst::security
