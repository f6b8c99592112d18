// TraderLock: at most one trading process per account. Held (flock) on "<state file>.lock" for
// the life of `cst paper` / `cst live`; a second process on the same state file is refused with
// ErrorCode::kLocked and the holder's pid. The kernel releases the lock when the holder dies,
// even by SIGKILL, so a crash never leaves the account locked.
//
// Operator commands (`cst kill`, `cst state show`) do not take it: they write through SQLite's own
// locking and the trading process picks their changes up.
#pragma once

#include <string>

#include "cst/core/result.hpp"

namespace cst {

class TraderLock {
 public:
  // Takes the lock without waiting.
  static Result<TraderLock> acquire(const std::string& state_path);
  // Whether a trading process holds the lock right now (takes and releases it if free).
  static bool held_by_other(const std::string& state_path);

  TraderLock(TraderLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  TraderLock& operator=(TraderLock&&) = delete;
  TraderLock(const TraderLock&) = delete;
  ~TraderLock();

 private:
  explicit TraderLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace cst
