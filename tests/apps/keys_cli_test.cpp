// cst keys as an operator uses it: secrets go in through stdin or a descriptor, come out
// nowhere (not in any output, not in any file in clear), and every refusal says why.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/paper_config_text.hpp"
#include "support/run_process.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
using cst::test::ProcessInput;
using cst::test::ProcessResult;
using cst::test::run_process;

namespace {

constexpr const char* kPassphrase = "CST_VAULT_PASSPHRASE=tr0ub4dor&3-passphrase";
// redflag-ok(high-entropy): a made-up API key, valid at no exchange; the test checks it never leaks
const std::string kApiKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
// redflag-ok(high-entropy): a made-up API secret, valid at no exchange; the test checks it never leaks
const std::string kApiSecret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

class KeysCli : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(dir_.ok()); }

  ProcessResult keys(std::vector<std::string> args, std::string stdin_text = {}, bool with_passphrase = true) {
    std::vector<std::string> argv{CST_BINARY, "keys"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--vault", vault_});
    ProcessInput in{std::move(stdin_text), {}};
    if (with_passphrase) in.env.push_back(kPassphrase);
    ProcessResult r = run_process(argv, in);
    outputs_ += r.out;
    return r;
  }
  std::string first_id(const std::string& venue) {
    const ProcessResult r = keys({"list", "--json", "--venue", venue});
    const std::size_t at = r.out.find("\"id\":\"");
    return at == std::string::npos ? "" : r.out.substr(at + 6, 16);
  }

  cst::test::TempDir dir_{"cst_keys_cli_"};
  const std::string vault_ = dir_.file("cst.vault");
  std::string outputs_;  // everything every command printed
};

TEST_F(KeysCli, LifecycleNeverShowsASecret) {
  ASSERT_EQ(keys({"init", "--kdf", "interactive"}).exit_code, 0) << outputs_;
  ASSERT_EQ(keys({"add", "binance", "--scopes", "read,trade"}, kApiKey + "\n" + kApiSecret + "\n").exit_code, 0)
      << outputs_;
  // Passphrase and secrets on one stream: the passphrase line first.
  ProcessResult r = keys({"add", "kraken", "--scopes", "read", "--passphrase-fd", "0"},
                         "tr0ub4dor&3-passphrase\nkraken-key\nkraken-secret-" + kApiSecret + "\n", false);
  ASSERT_EQ(r.exit_code, 0) << r.out;

  r = keys({"list"});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("binance  read,trade  usable"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("kraken   read        usable"), std::string::npos) << r.out;
  EXPECT_EQ(keys({"verify", "--venue", "binance"}).exit_code, 0) << outputs_;
  EXPECT_EQ(keys({"verify", "--venue", "okx"}).exit_code, 1);

  const std::string binance = first_id("binance");
  ASSERT_EQ(binance.size(), 16u) << outputs_;
  ASSERT_EQ(keys({"rotate", binance}, "rotated-key\nrotated-" + kApiSecret + "\n").exit_code, 0) << outputs_;
  r = keys({"revoke", first_id("kraken"), "--reason", "left the team"});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  r = keys({"list", "--json"});
  EXPECT_NE(r.out.find("\"state\":\"retired\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"reason\":\"rotated to "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"state\":\"revoked\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"reason\":\"left the team\""), std::string::npos) << r.out;

  // Scan every byte this run wrote: outputs and every file in the directory, the vault included.
  std::string everything = outputs_;
  for (const auto& entry : fs::directory_iterator(dir_.path())) everything += cst::test::read_file(entry.path());
  for (const std::string& secret : {kApiKey, kApiSecret, std::string("kraken-secret-"), std::string("tr0ub4dor&3")}) {
    EXPECT_EQ(everything.find(secret), std::string::npos) << "found " << secret;
  }
}

TEST_F(KeysCli, WithdrawalScopeIsRefusedAndNothingIsStored) {
  ASSERT_EQ(keys({"init", "--kdf", "interactive"}).exit_code, 0);
  const std::string before = cst::test::read_file(vault_);
  const ProcessResult r = keys({"add", "binance", "--scopes", "read,trade,withdraw"}, "k\ns\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("scope 'withdraw' refused"), std::string::npos) << r.out;
  EXPECT_EQ(cst::test::read_file(vault_), before);
}

TEST_F(KeysCli, WrongPassphraseIsAnErrorThatSaysSo) {
  ASSERT_EQ(keys({"init", "--kdf", "interactive"}).exit_code, 0);
  const ProcessResult r = run_process({CST_BINARY, "keys", "list", "--vault", vault_},
                                      ProcessInput{{}, {"CST_VAULT_PASSPHRASE=not the passphrase"}});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("wrong passphrase for key vault"), std::string::npos) << r.out;
}

TEST_F(KeysCli, MissingVaultNamesTheFileAndHowToCreateOne) {
  const ProcessResult r = keys({"list"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("cst.vault"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("cst keys init"), std::string::npos) << r.out;
}

TEST_F(KeysCli, EnvironmentCredentialsAreListedWithoutTheirValues) {
  ASSERT_EQ(keys({"init", "--kdf", "interactive"}).exit_code, 0);
  const ProcessResult r =
      run_process({CST_BINARY, "keys", "list", "--vault", vault_},
                  ProcessInput{{}, {kPassphrase, "CST_OKX_API_KEY=" + kApiKey, "CST_OKX_API_SECRET=" + kApiSecret}});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("(environment)  okx"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(kApiKey), std::string::npos);
}

TEST_F(KeysCli, OperatorKeygenWritesAPrivateKeyAndPrintsItsPublicHalf) {
  const std::string key = dir_.file("alice.key");
  ProcessResult r = run_process({CST_BINARY, "operator", "keygen", "--name", "alice", "--out", key});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const std::size_t at = r.out.find("public key ed25519:");
  ASSERT_NE(at, std::string::npos) << r.out;
  const std::string token = r.out.substr(at + 11, 8 + 64);
  EXPECT_EQ(fs::status(key).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
  r = run_process({CST_BINARY, "operator", "show", "--key", key});
  EXPECT_NE(r.out.find(token), std::string::npos) << r.out;
  EXPECT_EQ(run_process({CST_BINARY, "operator", "keygen", "--name", "alice", "--out", key}).exit_code, 2);
}

TEST_F(KeysCli, APaperRunSigningWithTheKeyWritesItsSecretNowhere) {
  ASSERT_EQ(keys({"init", "--kdf", "interactive"}).exit_code, 0) << outputs_;
  ASSERT_EQ(keys({"add", "paper", "--scopes", "read,trade"}, kApiKey + "\n" + kApiSecret + "\n").exit_code, 0)
      << outputs_;
  const std::string config = dir_.file("paper.toml");
  std::ofstream(config) << cst::test::paper_config_text(300) << R"(
[keys]
source = "vault"
vault = "cst.vault"
venue = "paper"
)";
  const ProcessResult paper = run_process({CST_BINARY, "paper", "--config", config}, ProcessInput{{}, {kPassphrase}});
  ASSERT_EQ(paper.exit_code, 0) << paper.out;
  EXPECT_NE(paper.out.find("fills"), std::string::npos);
  outputs_ += paper.out;
  // The trader accounted the key's use: list shows when and how often.
  const ProcessResult list = keys({"list", "--json", "--state", dir_.file("state.db")});
  ASSERT_EQ(list.exit_code, 0) << list.out;
  EXPECT_NE(list.out.find("\"last_use\":\"20"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("order.new="), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("\"auth_failures\":0"), std::string::npos) << list.out;
  std::string everything = outputs_;
  for (const auto& entry : fs::directory_iterator(dir_.path())) everything += cst::test::read_file(entry.path());
  for (const std::string& secret : {kApiKey, kApiSecret, std::string("tr0ub4dor&3")}) {
    EXPECT_EQ(everything.find(secret), std::string::npos) << "found " << secret;
  }
}

}  // namespace
