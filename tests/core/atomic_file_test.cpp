// Atomic writes: a failed write leaves nothing that could be taken for a result.
#include "cst/core/atomic_file.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/temp_dir.hpp"

namespace cst {
namespace {

namespace fs = std::filesystem;

class AtomicFile : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(tmp_.ok()); }
  test::TempDir tmp_{"cst_atomic_"};
  const fs::path dir_{tmp_.path()};
};

TEST_F(AtomicFile, WritesAndReplacesWholeFile) {
  const std::string path = (dir_ / "out.json").string();
  ASSERT_TRUE(write_file_atomically(path, "first version, longer").ok());
  ASSERT_TRUE(write_file_atomically(path, "second").ok());
  EXPECT_EQ(test::read_file(path), "second");
  EXPECT_FALSE(fs::exists(path + ".tmp"));
}

TEST_F(AtomicFile, MissingDirectoryFailsAndLeavesNothing) {
  const std::string path = (dir_ / "no-such-dir" / "out.json").string();
  const Status s = write_file_atomically(path, "x");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kIo);
  EXPECT_NE(s.error().message.find("no-such-dir"), std::string::npos);
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path + ".tmp"));
}

TEST_F(AtomicFile, FailedRenameRemovesTheTemporaryFile) {
  // The target is a non-empty directory: the temp file is written, the rename fails.
  const fs::path target = dir_ / "occupied";
  fs::create_directory(target);
  std::ofstream(target / "keep") << "k";
  const Status s = write_file_atomically(target.string(), "x");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kIo);
  EXPECT_FALSE(fs::exists(target.string() + ".tmp"));
  EXPECT_TRUE(fs::is_directory(target));
}

TEST_F(AtomicFile, EmptyPathIsInvalid) {
  EXPECT_EQ(write_file_atomically("", "x").error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace cst
