// A vault in a private directory with the cheapest Argon2id cost, so tests that open a vault
// hundreds of times stay fast; the format and checks are the same as with production costs.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cst/security/key_scopes.hpp"
#include "cst/security/key_vault.hpp"
#include "support/temp_dir.hpp"

namespace cst::security::test {

inline constexpr KdfParams kTestKdf{1, 8};
inline constexpr Timestamp kT0 = Timestamp::from_seconds(1'700'000'000);
inline constexpr std::uint32_t kReadTrade =
    static_cast<std::uint32_t>(KeyScope::kRead) | static_cast<std::uint32_t>(KeyScope::kTrade);

inline SecureBuffer secret(std::string_view text) { return SecureBuffer::copy_of(text); }

inline std::string read_bytes(const std::string& path) { return cst::test::read_file(path); }

inline void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

class VaultTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(dir_.ok()); }

  // A vault at `name` holding one binance and one kraken key.
  std::string make_vault(const std::string& name, std::string_view passphrase = "correct horse") {
    const std::string path = dir_.file(name);
    auto v = KeyVault::create(path, secret(passphrase), kTestKdf);
    EXPECT_TRUE(v.ok()) << v.error().message;
    if (!v) return path;
    EXPECT_TRUE(v->add("binance", kReadTrade, secret("BINANCE-KEY-" + name), secret("BINANCE-SECRET-" + name), kT0,
                       kDefaultKeyLifetime)
                    .ok());
    EXPECT_TRUE(v->add("kraken", kReadTrade, secret("KRAKEN-KEY-" + name), secret("KRAKEN-SECRET-" + name), kT0,
                       kDefaultKeyLifetime)
                    .ok());
    EXPECT_TRUE(v->save().ok());
    return path;
  }

  cst::test::TempDir dir_{"cst_vault_"};
};

}  // namespace cst::security::test
