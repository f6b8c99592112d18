// The text of an errno value, safe to call from any thread (std::strerror may share a buffer).
#pragma once

#include <string>
#include <system_error>

namespace cst {

inline std::string errno_text(int err) { return std::generic_category().message(err); }

}  // namespace cst
