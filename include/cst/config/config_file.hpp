// The configuration file's identity: SHA-256 of its exact bytes (what operators approve and
// what the running process re-checks), and the approvals file that sits beside it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cst/config/config_review.hpp"
#include "cst/core/result.hpp"

namespace cst::config {

std::string hash_config_text(std::string_view bytes);  // lower-case hex
Result<std::string> hash_config_file(const std::string& path);

// "<config>.approvals"
std::string approvals_path(const std::string& config_path);
// The approvals beside `config_path`; none if the file does not exist.
Result<std::vector<ConfigApproval>> load_config_approvals(const std::string& config_path);

}  // namespace cst::config
