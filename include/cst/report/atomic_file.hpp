// Writes a whole file so that readers see either the old file or the complete new one, never a
// half-written result that could be mistaken for a finished backtest.
//
// Contract: the bytes go to "<path>.tmp" (created with mode 0644, truncated if it exists),
// which is fsync'ed, closed and renamed over `path`; then the directory is fsync'ed so the
// rename itself survives a crash. On any failure the temporary file is removed and an
// ErrorCode::kIo error names the step and the OS reason; `path` is left as it was.
// Two writers to the same path at once are not supported (they would share the .tmp name).
#pragma once

#include <string>
#include <string_view>

#include "cst/core/result.hpp"

namespace cst::report {

Status write_file_atomically(const std::string& path, std::string_view contents);

}  // namespace cst::report
