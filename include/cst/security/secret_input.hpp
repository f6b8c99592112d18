// Reading passphrases and API secrets without leaving copies on the normal heap: straight
// from a file descriptor, an environment variable or the terminal (echo off) into a
// SecureBuffer. Never from the command line, where `ps` and shell history would show them.
#pragma once

#include <string_view>

#include "cst/core/result.hpp"
#include "cst/security/secure_buffer.hpp"

namespace cst::security {

inline constexpr std::size_t kMaxSecretLine = 4096;

// Reads one line (up to '\n' or end of file; a trailing "\r" is dropped) from `fd`, byte by
// byte so nothing after the line is consumed. `what` names the secret in errors.
Result<SecureBuffer> read_secret_line(int fd, std::string_view what);

// Copies the variable's value, then removes it from this process's environment.
Result<SecureBuffer> take_secret_from_env(const char* name);

// Asks on the controlling terminal (/dev/tty) with echo off. Errors when there is none.
Result<SecureBuffer> prompt_secret(std::string_view prompt);

}  // namespace cst::security
