// Strategies by name, for the CLI and configs: validates parameters and builds an instance.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cst/core/result.hpp"
#include "cst/strategy/sizing.hpp"
#include "cst/strategy/strategy.hpp"

namespace cst {

std::vector<std::string> strategy_names();

// Errors name the unknown strategy or the bad parameter.
Result<std::unique_ptr<Strategy>> make_strategy(const std::string& name,
                                                const std::map<std::string, std::string>& params, const Sizing& size);

}  // namespace cst
