#include "cst/core/result.hpp"

namespace cst {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kParse: return "parse";
    case ErrorCode::kOverflow: return "overflow";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kIllegalTransition: return "illegal_transition";
    case ErrorCode::kIo: return "io";
    case ErrorCode::kCorruption: return "corruption";
    case ErrorCode::kDuplicate: return "duplicate";
    case ErrorCode::kUnsupported: return "unsupported";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kTimeout: return "timeout";
    case ErrorCode::kLocked: return "locked";
  }
  return "unknown";
}

}  // namespace cst
