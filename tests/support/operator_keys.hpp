// An operator key made the way a user makes one (`cst operator keygen`), and the [security]
// section that puts it in a configuration: what the CLI tests need to resume or approve.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "support/run_process.hpp"
#include "support/temp_dir.hpp"

namespace cst::test {

struct OperatorKey {
  std::string key_file;
  std::string token;  // "ed25519:<hex>"
};

inline OperatorKey make_operator_key(const TempDir& dir, const std::string& name) {
  OperatorKey k{dir.file(name + ".key"), {}};
  const ProcessResult r = run_process({CST_BINARY, "operator", "keygen", "--name", name, "--out", k.key_file});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  const std::size_t at = r.out.find("ed25519:");
  if (at != std::string::npos) k.token = r.out.substr(at, 8 + 64);
  return k;
}

inline std::string security_section(const std::string& name, const OperatorKey& k) {
  return "\n[security]\noperators = { " + name + " = \"" + k.token + "\" }\n";
}

}  // namespace cst::test
