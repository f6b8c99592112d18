#include "cst/core/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "cst/core/errno_text.hpp"

namespace cst {

namespace {

Error io_error(std::string_view step, const std::string& path, int err) {
  return make_error(ErrorCode::kIo, std::string(step) + " '" + path + "': " + errno_text(err));
}

Status write_all(int fd, std::string_view contents, const std::string& path) {
  std::size_t done = 0;
  while (done < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("write", path, errno);
    }
    done += static_cast<std::size_t>(n);
  }
  return Status::Ok();
}

// Writes, syncs and closes the temporary file; the caller removes it if this fails.
Status write_temp(const std::string& tmp, std::string_view contents, unsigned mode) {
  // O_EXCL after removing a stale file: the mode given here is the one the file gets, even
  // when an old temporary was left readable by everyone.
  if (::unlink(tmp.c_str()) != 0 && errno != ENOENT) return io_error("remove stale", tmp, errno);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, static_cast<mode_t>(mode));
  if (fd < 0) return io_error("open", tmp, errno);
  Status s = write_all(fd, contents, tmp);
  if (s.ok() && ::fsync(fd) != 0) s = io_error("fsync", tmp, errno);
  // close() can report a deferred write error (NFS); a result we cannot vouch for is a failure.
  if (::close(fd) != 0 && s.ok()) s = io_error("close", tmp, errno);
  return s;
}

std::string parent_directory(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// Makes the rename durable. Some file systems refuse fsync on a directory (EINVAL); the data
// file itself is already synced, so only real I/O errors count.
Status sync_directory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error("open directory", dir, errno);
  Status s;
  if (::fsync(fd) != 0 && errno != EINVAL) s = io_error("fsync directory", dir, errno);
  ::close(fd);
  return s;
}

}  // namespace

Status write_file_atomically(const std::string& path, std::string_view contents, unsigned mode) {
  if (path.empty()) return make_error(ErrorCode::kInvalidArgument, "output path is empty");
  const std::string tmp = path + ".tmp";
  Status s = write_temp(tmp, contents, mode);
  if (s.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) s = io_error("rename to", path, errno);
  if (!s.ok()) {
    ::unlink(tmp.c_str());  // best effort: leave nothing that looks like a result
    return s;
  }
  return sync_directory(parent_directory(path));
}

}  // namespace cst
