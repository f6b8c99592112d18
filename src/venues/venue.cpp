#include "cst/venues/venue.hpp"

#include <algorithm>
#include <cstring>

namespace cst {

void ExecutionReport::set_reason(std::string_view text) {
  reason.fill('\0');
  if (text.empty()) return;  // an empty view may hold a null pointer, which memcpy must not see
  std::memcpy(reason.data(), text.data(), std::min(text.size(), reason.size() - 1));
}

std::string_view ExecutionReport::reason_view() const { return {reason.data(), strnlen(reason.data(), reason.size())}; }

}  // namespace cst
