#include "cst/state/trader_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cst/core/errno_text.hpp"

namespace cst {
namespace {

std::string lock_path(const std::string& state_path) { return state_path + ".lock"; }

// The pid the holder wrote into the lock file, for the error message.
std::string holder_pid(int fd) {
  char buf[32] = {};
  const ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return "unknown";
  std::string pid(buf, static_cast<std::size_t>(n));
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  return pid.empty() ? "unknown" : pid;
}

}  // namespace

Result<TraderLock> TraderLock::acquire(const std::string& state_path) {
  const std::string path = lock_path(state_path);
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return make_error(ErrorCode::kIo, "cannot open lock file '" + path + "': " + errno_text(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    std::string pid = holder_pid(fd);
    ::close(fd);
    if (err == EWOULDBLOCK)
      return make_error(ErrorCode::kLocked, "state store '" + state_path +
                                                "' is in use by another trading process (pid " + pid +
                                                "); stop it first, or use another state file");
    return make_error(ErrorCode::kIo, "cannot lock '" + path + "': " + errno_text(err));
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    // Only the message of a later refusal would lack our pid; the lock itself holds.
  }
  return TraderLock(fd);
}

bool TraderLock::held_by_other(const std::string& state_path) {
  const std::string path = lock_path(state_path);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;  // never locked
  const bool held = ::flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  ::close(fd);  // releases it if we took it
  return held;
}

TraderLock::~TraderLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the flock
}

}  // namespace cst
