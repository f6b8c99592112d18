// Writes a whole file so that readers see either the old file or the complete new one, never a
// half-written result that could be mistaken for a finished backtest.
//
// Contract: the bytes go to "<path>.tmp" (a stale one is removed first; created with `mode`,
// 0600 for secrets),
// which is fsync'ed, closed and renamed over `path`; then the directory is fsync'ed so the
// rename itself survives a crash. On any failure the temporary file is removed and an
// ErrorCode::kIo error names the step and the OS reason; `path` is left as it was.
// Two writers to the same path at once are not supported (they would share the .tmp name).
#pragma once

#include <string>
#include <string_view>

#include "cst/core/result.hpp"

namespace cst {

inline constexpr unsigned kPublicFileMode = 0644;
inline constexpr unsigned kPrivateFileMode = 0600;

Status write_file_atomically(const std::string& path, std::string_view contents, unsigned mode = kPublicFileMode);

}  // namespace cst
