// Where secrets live in memory: pages the kernel leaves out of core dumps, and wiped on free.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "cst/security/env_credentials.hpp"
#include "cst/security/secret_input.hpp"
#include "cst/security/secure_buffer.hpp"

namespace cst::security {
namespace {

// The VmFlags line of the mapping in /proc/self/smaps that contains `address`.
std::string vm_flags_of(const void* address) {
  const auto target = reinterpret_cast<std::uintptr_t>(address);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    std::uintptr_t lo = 0, hi = 0;
    char dash = 0;
    std::istringstream head(line);
    if (head >> std::hex >> lo >> dash >> hi && dash == '-') {
      inside = target >= lo && target < hi;
      continue;
    }
    if (inside && line.starts_with("VmFlags:")) return line;
  }
  return "";
}

TEST(SecretMemory, SecureBufferPagesAreExcludedFromCoreDumps) {
  const SecureBuffer secret = SecureBuffer::copy_of(std::string_view("api-secret"));
  const std::string flags = vm_flags_of(secret.data());
  ASSERT_FALSE(flags.empty()) << "no mapping found for the buffer";
  EXPECT_NE(flags.find(" dd"), std::string::npos) << flags;  // MADV_DONTDUMP
}

TEST(SecretMemory, EqualityIsByContent) {
  const SecureBuffer a = SecureBuffer::copy_of(std::string_view("abc"));
  EXPECT_TRUE(a.equals(SecureBuffer::copy_of(std::string_view("abc")).bytes()));
  EXPECT_FALSE(a.equals(SecureBuffer::copy_of(std::string_view("abd")).bytes()));
  EXPECT_FALSE(a.equals(SecureBuffer::copy_of(std::string_view("ab")).bytes()));
}

TEST(SecretMemory, EnvironmentSecretsAreTakenOutOfTheEnvironment) {
  ::setenv("CST_TESTVENUE_API_KEY", "k1", 1);
  ::setenv("CST_TESTVENUE_API_SECRET", "s1", 1);
  auto c = take_env_credentials("testvenue");
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_TRUE(c->has_value());
  EXPECT_EQ((*c)->api_secret.view(), "s1");
  EXPECT_EQ((*c)->scopes, 3u);
  EXPECT_EQ(std::getenv("CST_TESTVENUE_API_SECRET"), nullptr);
  EXPECT_EQ(std::getenv("CST_TESTVENUE_API_KEY"), nullptr);
}

TEST(SecretMemory, EnvironmentCredentialsNeedBothHalvesAndNoWithdrawal) {
  ::setenv("CST_HALF_API_KEY", "k1", 1);
  auto half = take_env_credentials("half");
  ASSERT_FALSE(half.ok());
  EXPECT_NE(half.error().message.find("CST_HALF_API_SECRET is not set"), std::string::npos);
  ::setenv("CST_HALF_API_SECRET", "s1", 1);
  ::setenv("CST_HALF_API_SCOPES", "read,withdraw", 1);
  auto withdraw = take_env_credentials("half");
  ASSERT_FALSE(withdraw.ok());
  EXPECT_NE(withdraw.error().message.find("CST_HALF_API_SCOPES"), std::string::npos);
  ::unsetenv("CST_HALF_API_KEY");
  ::unsetenv("CST_HALF_API_SECRET");
  ::unsetenv("CST_HALF_API_SCOPES");
  auto none = take_env_credentials("half");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST(SecretMemory, SecretLinesStopAtTheNewlineAndRefuseEmpty) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const std::string text = "first\r\nsecond\n\n";
  ASSERT_EQ(::write(fds[1], text.data(), text.size()), static_cast<ssize_t>(text.size()));
  ::close(fds[1]);
  EXPECT_EQ(read_secret_line(fds[0], "a")->view(), "first");
  EXPECT_EQ(read_secret_line(fds[0], "b")->view(), "second");
  EXPECT_NE(read_secret_line(fds[0], "api secret").error().message.find("api secret is empty"), std::string::npos);
  ::close(fds[0]);
}

}  // namespace
}  // namespace cst::security
