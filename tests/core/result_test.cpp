// Tests for Result<T>, Status and the stable names of error codes (written to logs and metrics,
// so they must not change).
#include "cst/core/result.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace cst {
namespace {

Result<int> half(int x) {
  if (x % 2 != 0) return make_error(ErrorCode::kInvalidArgument, std::to_string(x) + " is odd");
  return x / 2;
}

TEST(Result, HoldsAValue) {
  auto r = half(8);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(static_cast<bool>(r));
  EXPECT_EQ(r.value(), 4);
  EXPECT_EQ(*r, 4);
}

TEST(Result, HoldsAnError) {
  auto r = half(7);
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(static_cast<bool>(r));
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().message, "7 is odd");
}

TEST(Result, ValueOfAnErrorIsNotSilentlyDefault) {
  auto r = half(7);
  EXPECT_ANY_THROW((void)r.value());
}

TEST(Result, GivesAccessToMembersAndMovesValuesOut) {
  Result<std::string> r = std::string("hello");
  EXPECT_EQ(r->size(), 5u);
  r->append("!");
  EXPECT_EQ(*r, "hello!");
  Result<std::unique_ptr<int>> owned = std::make_unique<int>(42);
  std::unique_ptr<int> p = std::move(owned).value();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 42);
}

TEST(Status, DefaultAndOkAreSuccess) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_TRUE(static_cast<bool>(s));
  EXPECT_TRUE(Status::Ok().ok());
}

TEST(Status, CarriesTheError) {
  Status s = make_error(ErrorCode::kIo, "disk full");
  EXPECT_FALSE(s.ok());
  EXPECT_FALSE(static_cast<bool>(s));
  EXPECT_EQ(s.error().code, ErrorCode::kIo);
  EXPECT_EQ(s.error().message, "disk full");
}

TEST(ErrorCode, EveryCodeHasItsStableName) {
  const std::pair<ErrorCode, const char*> names[] = {
      {ErrorCode::kInvalidArgument, "invalid_argument"},
      {ErrorCode::kParse, "parse"},
      {ErrorCode::kOverflow, "overflow"},
      {ErrorCode::kNotFound, "not_found"},
      {ErrorCode::kIllegalTransition, "illegal_transition"},
      {ErrorCode::kIo, "io"},
      {ErrorCode::kCorruption, "corruption"},
      {ErrorCode::kDuplicate, "duplicate"},
      {ErrorCode::kUnsupported, "unsupported"},
      {ErrorCode::kUnavailable, "unavailable"},
      {ErrorCode::kTimeout, "timeout"},
      {ErrorCode::kLocked, "locked"},
  };
  for (auto [code, name] : names) EXPECT_EQ(to_string(code), name);
  // The table above covers the enum: the next value is not a code.
  EXPECT_EQ(static_cast<int>(ErrorCode::kLocked) + 1, static_cast<int>(std::size(names)));
  EXPECT_EQ(to_string(static_cast<ErrorCode>(std::size(names))), "unknown");
}

}  // namespace
}  // namespace cst
