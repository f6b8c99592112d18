#include "cst/state/trader_lock.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include "support/temp_dir.hpp"

namespace cst {
namespace {

TEST(TraderLock, ASecondHolderIsRefusedWithTheFirstOnesPid) {
  test::TempDir dir;
  const std::string state = dir.file("acct.db");
  auto first = TraderLock::acquire(state);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_TRUE(TraderLock::held_by_other(state));
  auto second = TraderLock::acquire(state);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::kLocked);
  EXPECT_NE(second.error().message.find(state), std::string::npos);
  EXPECT_NE(second.error().message.find("pid " + std::to_string(::getpid())), std::string::npos)
      << second.error().message;
}

TEST(TraderLock, IsFreeAgainOnceReleased) {
  test::TempDir dir;
  const std::string state = dir.file("acct.db");
  EXPECT_FALSE(TraderLock::held_by_other(state));
  {
    auto lock = TraderLock::acquire(state);
    ASSERT_TRUE(lock.ok());
  }
  EXPECT_FALSE(TraderLock::held_by_other(state));
  EXPECT_TRUE(TraderLock::acquire(state).ok());
}

}  // namespace
}  // namespace cst
