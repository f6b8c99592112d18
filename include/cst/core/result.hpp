// Result<T> and Status: expected failures as values, never exceptions, on hot paths.
// An Error carries a code that a machine can count and a message a person can act on
// ("line 4, column Close: 'abc' is not a number").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace cst {

enum class ErrorCode : std::uint16_t {
  kInvalidArgument,
  kParse,
  kOverflow,
  kNotFound,
  kIllegalTransition,
  kIo,
  kCorruption,
  kDuplicate,
  kUnsupported,
  kUnavailable,  // transient: connection down, venue busy; safe to retry
  kTimeout,      // no answer in time: the outcome is unknown, ask before retrying
  kLocked,       // held by another process (a state file in use)
};

std::string_view to_string(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string message;
};

inline Error make_error(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

// Holds either a value or an Error. Callers must check ok() before value().
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor): ergonomic returns
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T& value() const& { return std::get<0>(v_); }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Success or an Error, for operations without a value.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)
  static Status Ok() { return Status(); }
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_{ErrorCode::kInvalidArgument, {}};
  bool ok_ = true;
};

}  // namespace cst
