// cst config check / approve as an operator uses them: the levels, what the next start would
// do, an approval that makes a RESTRICTED change acceptable, and refusals that name the problem.
#include <gtest/gtest.h>

#include <fstream>

#include "support/operator_keys.hpp"
#include "support/paper_config_text.hpp"
#include "support/run_process.hpp"
#include "support/temp_dir.hpp"

namespace cst {
namespace {

using test::run_process;

const std::string kBase = test::paper_config_text(60);

std::string write(const test::TempDir& dir, const std::string& text) {
  const std::string path = dir.file("paper.toml");
  std::ofstream(path, std::ios::trunc) << text;
  return path;
}

TEST(ConfigCli, RestrictedChangeIsRefusedUntilAnOperatorApprovesIt) {
  test::TempDir dir;
  const test::OperatorKey alice = test::make_operator_key(dir, "alice");
  const std::string security = test::security_section("alice", alice);
  const std::string config = write(dir, kBase + "\n[risk]\nprofile = \"moderate\"\n" + security);
  auto check = run_process({CST_BINARY, "config", "check", config});
  ASSERT_EQ(check.exit_code, 0) << check.out;
  const std::size_t row = check.out.find("\nrisk.profile ");
  ASSERT_NE(row, std::string::npos) << check.out;
  const std::string line = check.out.substr(row + 1, check.out.find('\n', row + 1) - row - 1);
  EXPECT_NE(line.find(" RESTRICTED "), std::string::npos) << line;
  EXPECT_NE(line.find(" moderate"), std::string::npos) << line;
  EXPECT_NE(check.out.find("this file would become the baseline"), std::string::npos) << check.out;
  ASSERT_EQ(run_process({CST_BINARY, "paper", "--config", config, "--quiet"}).exit_code, 0);

  write(dir, kBase + "\n[risk]\nprofile = \"aggressive\"\n" + security);
  check = run_process({CST_BINARY, "config", "check", config});
  EXPECT_EQ(check.exit_code, 1) << check.out;
  EXPECT_NE(check.out.find("changed RESTRICTED risk.profile: 'moderate' -> 'aggressive'"), std::string::npos)
      << check.out;
  EXPECT_NE(check.out.find("REFUSED at start"), std::string::npos) << check.out;

  auto approve = run_process({CST_BINARY, "config", "approve", config, "--key", alice.key_file});
  ASSERT_EQ(approve.exit_code, 0) << approve.out;
  check = run_process({CST_BINARY, "config", "check", config});
  EXPECT_EQ(check.exit_code, 0) << check.out;
  EXPECT_NE(check.out.find("approved by alice"), std::string::npos) << check.out;
  auto paper = run_process({CST_BINARY, "paper", "--config", config, "--quiet"});
  EXPECT_EQ(paper.exit_code, 0) << paper.out;
  EXPECT_NE(paper.out.find("state active"), std::string::npos) << paper.out;

  // Edited after the approval: the approval no longer counts.
  write(dir, kBase + "\n[risk]\nprofile = \"conservative\"\n" + security);
  check = run_process({CST_BINARY, "config", "check", config});
  EXPECT_EQ(check.exit_code, 1) << check.out;
  EXPECT_NE(check.out.find("approves another version of the file"), std::string::npos) << check.out;
}

TEST(ConfigCli, AValueAboveALockedCeilingIsInvalidAndCannotBeApproved) {
  test::TempDir dir;
  const test::OperatorKey alice = test::make_operator_key(dir, "alice");
  const std::string config = write(dir, kBase + "\n[risk]\nleverage = \"20\"\n");
  auto check = run_process({CST_BINARY, "config", "check", config});
  EXPECT_EQ(check.exit_code, 2);
  EXPECT_NE(check.out.find("leverage 20.00x is above the hard ceiling of 10.00x"), std::string::npos) << check.out;
  auto approve = run_process({CST_BINARY, "config", "approve", config, "--key", alice.key_file});
  EXPECT_EQ(approve.exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(config + ".approvals"));
}

}  // namespace
}  // namespace cst
