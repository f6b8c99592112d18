// A private temporary directory for one test, and a whole-file read to check what was written
// into it. Shared by every test that writes files (engine, gateway, report, apps).
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

namespace cst::test {

// A fresh directory under the gtest temp dir, removed with everything in it on destruction.
// mkdtemp makes the name unique, so tests may run in parallel. If it cannot be made, the test
// fails and ok() is false.
class TempDir {
 public:
  explicit TempDir(std::string_view prefix = "cst_test_") {
    std::string pattern = ::testing::TempDir() + std::string(prefix) + "XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
      ADD_FAILURE() << "mkdtemp failed for " << pattern;
      return;
    }
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  bool ok() const { return !path_.empty(); }
  const std::string& path() const { return path_; }
  // The path of `name` inside the directory; nothing is created.
  std::string file(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  std::string path_;
};

// The whole content of `path`, byte for byte; empty if it cannot be opened.
inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace cst::test
