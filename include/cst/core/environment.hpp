// The process environment, read the one way cst reads it.
//
// getenv/unsetenv are not thread-safe against each other (concurrency-mt-unsafe). Only cst's main
// thread touches the environment: its other threads (journal writer, WAL checkpointer) never do,
// and nothing in cst calls setenv; a variable is removed only after a secret was taken from it.
#pragma once

#include <cstdlib>

namespace cst {

// The variable's value, or nullptr when it is not set. The pointer is valid until the variable
// is removed.
inline const char* env_value(const char* name) {
  return std::getenv(name);  // NOLINT(concurrency-mt-unsafe): main thread only, see the file comment
}

// Removes the variable (after a secret was taken from it, so no child or later reader sees it).
inline void remove_env(const char* name) {
  ::unsetenv(name);  // NOLINT(concurrency-mt-unsafe): main thread only, see the file comment
}

}  // namespace cst
