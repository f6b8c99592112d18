#include "cst/strategy/strategy_registry.hpp"

#include "cst/strategy/sma_cross.hpp"

namespace cst {

std::vector<std::string> strategy_names() { return {"sma_cross"}; }

Result<std::unique_ptr<Strategy>> make_strategy(const std::string& name,
                                                const std::map<std::string, std::string>& params, const Sizing& size) {
  if (name == "sma_cross") {
    auto p = SmaCrossParams::parse(params, size);
    if (!p.ok()) return p.error();
    return std::unique_ptr<Strategy>(std::make_unique<SmaCross>(std::move(*p)));
  }
  return make_error(ErrorCode::kInvalidArgument, "unknown strategy '" + name + "' (known: sma_cross)");
}

}  // namespace cst
