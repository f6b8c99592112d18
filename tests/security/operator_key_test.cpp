// Operator signatures: only the right key over the right purpose and message verifies.
#include "cst/security/operator_key.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "support/temp_dir.hpp"

namespace cst::security {
namespace {

TEST(OperatorKey, SignatureVerifiesOnlyForItsPurposeMessageAndKey) {
  auto alice = OperatorSigner::generate("alice");
  auto bob = OperatorSigner::generate("bob");
  ASSERT_TRUE(alice.ok() && bob.ok());
  const SignatureBytes sig = alice->sign("resume", "account=a reason=reviewed");
  const PublicKeyBytes& a = alice->public_key().key;
  EXPECT_TRUE(verify_operator_signature(a, "resume", "account=a reason=reviewed", sig));
  EXPECT_FALSE(verify_operator_signature(a, "order-approval", "account=a reason=reviewed", sig));
  EXPECT_FALSE(verify_operator_signature(a, "resume", "account=a reason=reviewed!", sig));
  EXPECT_FALSE(verify_operator_signature(bob->public_key().key, "resume", "account=a reason=reviewed", sig));
  SignatureBytes flipped = sig;
  flipped[10] ^= 1;
  EXPECT_FALSE(verify_operator_signature(a, "resume", "account=a reason=reviewed", flipped));
}

TEST(OperatorKey, SavedKeyLoadsWithTheSamePublicKeyAndIsPrivate) {
  test::TempDir dir("cst_opkey_");
  auto alice = OperatorSigner::generate("alice");
  ASSERT_TRUE(alice.ok());
  const std::string path = dir.file("alice.key");
  ASSERT_TRUE(alice->save(path).ok());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(alice->save(path).error().code, ErrorCode::kDuplicate);
  auto loaded = OperatorSigner::load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->public_key(), alice->public_key());
  EXPECT_TRUE(verify_operator_signature(alice->public_key().key, "x", "m", loaded->sign("x", "m")));
}

TEST(OperatorKey, MalformedOrExposedKeyFilesAreRefusedWithTheReason) {
  test::TempDir dir("cst_opkey_");
  const std::string path = dir.file("k.key");
  const auto write = [&](const std::string& text, unsigned mode = 0600) {
    std::ofstream(path, std::ios::trunc) << text;
    ::chmod(path.c_str(), mode);
  };
  const std::string seed = "seed " + std::string(64, 'a') + "\n";
  write("cst-operator-key v1\nname alice\n" + seed, 0644);
  EXPECT_NE(OperatorSigner::load(path).error().message.find("chmod 600"), std::string::npos);
  write("cst-operator-key v2\nname alice\n" + seed);
  EXPECT_NE(OperatorSigner::load(path).error().message.find("first line"), std::string::npos);
  write("cst-operator-key v1\nname al ice\n" + seed);
  EXPECT_NE(OperatorSigner::load(path).error().message.find("operator name"), std::string::npos);
  write("cst-operator-key v1\nname alice\nseed " + std::string(63, 'a') + "\n");
  EXPECT_NE(OperatorSigner::load(path).error().message.find("third line"), std::string::npos);
  write("cst-operator-key v1\nname alice\n" + seed + "more\n");
  EXPECT_NE(OperatorSigner::load(path).error().message.find("after the seed"), std::string::npos);
  write("cst-operator-key v1\nname alice\n" + seed);
  EXPECT_TRUE(OperatorSigner::load(path).ok());
}

TEST(OperatorKey, PublicKeyTokenRoundTripsAndRejectsMalformed) {
  auto alice = OperatorSigner::generate("alice");
  ASSERT_TRUE(alice.ok());
  auto parsed = parse_public_key_token(alice->public_key().token());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, alice->public_key().key);
  EXPECT_FALSE(parse_public_key_token("ed25519:" + std::string(63, 'a')).ok());
  EXPECT_FALSE(parse_public_key_token("rsa:" + std::string(64, 'a')).ok());
  EXPECT_FALSE(parse_public_key_token("ed25519:" + std::string(63, 'a') + "g").ok());
}

}  // namespace
}  // namespace cst::security
