#include "cst/security/secret_input.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "cst/core/environment.hpp"
#include "cst/core/errno_text.hpp"

namespace cst::security {

namespace {

// Reads into a locked buffer of the maximum size, then copies the used part to one that fits.
Result<SecureBuffer> read_line_locked(int fd, std::string_view what) {
  SecureBuffer line(kMaxSecretLine);
  std::size_t n = 0;
  for (;;) {
    std::uint8_t c = 0;
    const ssize_t got = ::read(fd, &c, 1);
    if (got < 0) {
      if (errno == EINTR) continue;
      return make_error(ErrorCode::kIo, "reading the " + std::string(what) + ": " + errno_text(errno));
    }
    if (got == 0 || c == '\n') break;
    if (n == line.size()) {
      return make_error(ErrorCode::kInvalidArgument,
                        std::string(what) + " is longer than " + std::to_string(kMaxSecretLine) + " bytes");
    }
    line.data()[n++] = c;
  }
  if (n > 0 && line.data()[n - 1] == '\r') --n;
  if (n == 0) return make_error(ErrorCode::kInvalidArgument, std::string(what) + " is empty");
  return SecureBuffer::copy_of(std::span<const std::uint8_t>(line.data(), n));
}

}  // namespace

Result<SecureBuffer> read_secret_line(int fd, std::string_view what) {
  if (fd < 0)
    return make_error(ErrorCode::kInvalidArgument, "file descriptor for the " + std::string(what) + " is negative");
  return read_line_locked(fd, what);
}

Result<SecureBuffer> take_secret_from_env(const char* name) {
  const char* value = env_value(name);
  if (value == nullptr || *value == '\0') {
    return make_error(ErrorCode::kNotFound, std::string("environment variable ") + name + " is not set");
  }
  SecureBuffer out = SecureBuffer::copy_of(std::string_view(value));
  remove_env(name);  // no child process or later getenv can see it
  return out;
}

Result<SecureBuffer> prompt_secret(std::string_view prompt) {
  const int tty = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (tty < 0) {
    return make_error(ErrorCode::kUnavailable, "no terminal to ask for the " + std::string(prompt) +
                                                   " (use --passphrase-fd N or the environment variable instead)");
  }
  termios saved{};
  const bool is_tty = ::tcgetattr(tty, &saved) == 0;
  if (is_tty) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    ::tcsetattr(tty, TCSAFLUSH, &quiet);
  }
  const std::string text = std::string(prompt) + ": ";
  (void)!::write(tty, text.data(), text.size());
  auto line = read_line_locked(tty, prompt);
  if (is_tty) ::tcsetattr(tty, TCSAFLUSH, &saved);
  ::close(tty);
  return line;
}

}  // namespace cst::security
