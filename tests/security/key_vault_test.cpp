// The vault's promises: secrets come back only to the right passphrase, from an unaltered
// file; every kind of damage is an error that names it, and nothing is decrypted then.
#include "cst/security/key_vault.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "security/vault_fixture.hpp"

namespace cst::security::test {
namespace {

std::string key_of(const VaultKey& k) { return std::string(k.api_key.view()); }
std::string secret_of(const VaultKey& k) { return std::string(k.api_secret.view()); }

TEST_F(VaultTest, RoundTripsKeysAndMetadata) {
  const std::string path = make_vault("a.vault");
  auto v = KeyVault::open(path, secret("correct horse"));
  ASSERT_TRUE(v.ok()) << v.error().message;
  ASSERT_EQ(v->keys().size(), 2u);
  const VaultKey& b = v->keys()[0];
  EXPECT_EQ(b.info.venue, "binance");
  EXPECT_EQ(b.info.scopes, kReadTrade);
  EXPECT_EQ(b.info.created, kT0);
  EXPECT_EQ(b.info.expires, kT0 + kDefaultKeyLifetime);
  EXPECT_EQ(key_of(b), "BINANCE-KEY-a.vault");
  EXPECT_EQ(secret_of(b), "BINANCE-SECRET-a.vault");
  EXPECT_EQ(secret_of(v->keys()[1]), "KRAKEN-SECRET-a.vault");
  EXPECT_EQ(v->revision(), 2u);  // created (1), keys added (2)
}

TEST_F(VaultTest, FileIsPrivateAndHoldsNoSecretInClear) {
  const std::string path = make_vault("a.vault");
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const std::string bytes = read_bytes(path);
  EXPECT_EQ(bytes.find("BINANCE-SECRET"), std::string::npos);
  EXPECT_EQ(bytes.find("BINANCE-KEY"), std::string::npos);
  EXPECT_EQ(bytes.find("correct horse"), std::string::npos);
}

TEST_F(VaultTest, WrongPassphraseIsToldAndNothingOpens) {
  const std::string path = make_vault("a.vault");
  auto v = KeyVault::open(path, secret("correct horsf"));
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.error().message.find("wrong passphrase"), std::string::npos) << v.error().message;
}

TEST_F(VaultTest, EveryTruncationIsAnError) {
  const std::string path = make_vault("a.vault");
  const std::string bytes = read_bytes(path);
  const std::string cut = dir_.file("cut.vault");
  for (std::size_t len = 0; len < bytes.size(); ++len) {
    write_bytes(cut, bytes.substr(0, len));
    auto v = KeyVault::open(cut, secret("correct horse"));
    ASSERT_FALSE(v.ok()) << "opened a vault cut to " << len << " of " << bytes.size() << " bytes";
    EXPECT_NE(v.error().message.find("cut.vault"), std::string::npos);
  }
}

TEST_F(VaultTest, EveryFlippedByteIsAnError) {
  const std::string path = make_vault("a.vault");
  const std::string bytes = read_bytes(path);
  const std::string bad = dir_.file("bad.vault");
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    std::string damaged = bytes;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x01);
    write_bytes(bad, damaged);
    auto v = KeyVault::open(bad, secret("correct horse"));
    ASSERT_FALSE(v.ok()) << "opened a vault with byte " << i << " flipped";
  }
}

TEST_F(VaultTest, FlippedSecretByteNamesTheRecord) {
  const std::string path = make_vault("a.vault");
  std::string bytes = read_bytes(path);
  // The last byte before the 32-byte trailer is in the second record's tag.
  bytes[bytes.size() - kFileTagSize - 1] ^= 0x40;
  write_bytes(path, bytes);
  auto v = KeyVault::open(path, secret("correct horse"));
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.error().message.find("record 2 of 2"), std::string::npos) << v.error().message;
  EXPECT_NE(v.error().message.find("venue kraken"), std::string::npos) << v.error().message;
  EXPECT_NE(v.error().message.find("nothing was decrypted"), std::string::npos);
}

// Splices record `index` of vault `from` into vault `into` (same position), keeping the rest.
std::string splice_record(const std::string& into, const std::string& from, std::size_t index) {
  auto a = parse_vault(std::span(reinterpret_cast<const std::uint8_t*>(into.data()), into.size()), "a");
  auto b = parse_vault(std::span(reinterpret_cast<const std::uint8_t*>(from.data()), from.size()), "b");
  EXPECT_TRUE(a.ok() && b.ok());
  a->records[index] = b->records[index];
  std::vector<std::uint8_t> body = encode_vault_body(*a);
  body.insert(body.end(), a->file_tag.begin(), a->file_tag.end());
  return std::string(body.begin(), body.end());
}

TEST_F(VaultTest, RecordCopiedFromAnotherVaultFails) {
  // Same passphrase for both: the record still belongs to the other vault (salt, vault id).
  const std::string a = make_vault("a.vault");
  const std::string b = make_vault("b.vault");
  write_bytes(a, splice_record(read_bytes(a), read_bytes(b), 0));
  auto v = KeyVault::open(a, secret("correct horse"));
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.error().message.find("copied from another vault"), std::string::npos) << v.error().message;
}

TEST_F(VaultTest, ChangedMetadataFailsAuthentication) {
  // Giving a key more scope or a later expiry without the passphrase must not work.
  const std::string path = make_vault("a.vault");
  const std::string bytes = read_bytes(path);
  auto sealed = parse_vault(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), "a");
  ASSERT_TRUE(sealed.ok());
  sealed->records[0].info.expires = sealed->records[0].info.expires + Duration::from_seconds(365 * 86400);
  sealed->records[0].metadata = encode_metadata(sealed->records[0].info);
  std::vector<std::uint8_t> body = encode_vault_body(*sealed);
  body.insert(body.end(), sealed->file_tag.begin(), sealed->file_tag.end());
  write_bytes(path, std::string(body.begin(), body.end()));
  auto v = KeyVault::open(path, secret("correct horse"));
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.error().message.find("record 1 of 2"), std::string::npos) << v.error().message;
}

TEST_F(VaultTest, RemovedOrReorderedRecordsFailTheTrailer) {
  const std::string path = make_vault("a.vault");
  const std::string bytes = read_bytes(path);
  auto sealed = parse_vault(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), "a");
  ASSERT_TRUE(sealed.ok());
  std::swap(sealed->records[0], sealed->records[1]);
  std::vector<std::uint8_t> body = encode_vault_body(*sealed);
  body.insert(body.end(), sealed->file_tag.begin(), sealed->file_tag.end());
  write_bytes(path, std::string(body.begin(), body.end()));
  auto v = KeyVault::open(path, secret("correct horse"));
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.error().message.find("removed, reordered"), std::string::npos) << v.error().message;
}

TEST_F(VaultTest, RefusesAVaultOthersCanRead) {
  const std::string path = make_vault("a.vault");
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  auto v = KeyVault::open(path, secret("correct horse"));
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.error().message.find("chmod 600"), std::string::npos) << v.error().message;
}

TEST_F(VaultTest, CreateRefusesToOverwriteAndShortPassphrases) {
  const std::string path = make_vault("a.vault");
  EXPECT_EQ(KeyVault::create(path, secret("correct horse"), kTestKdf).error().code, ErrorCode::kDuplicate);
  EXPECT_FALSE(KeyVault::create(dir_.file("b.vault"), secret("short"), kTestKdf).ok());
}

TEST_F(VaultTest, RotateRetiresTheOldKeyAndErasesItsSecret) {
  const std::string path = make_vault("a.vault");
  auto v = KeyVault::open(path, secret("correct horse"));
  ASSERT_TRUE(v.ok());
  const std::string old_id = v->keys()[0].info.id_hex();
  const Timestamp later = kT0 + Duration::from_seconds(3600);
  auto new_id = v->rotate(old_id, secret("NEW-KEY"), secret("NEW-SECRET"), later, kDefaultKeyLifetime);
  ASSERT_TRUE(new_id.ok()) << new_id.error().message;
  ASSERT_TRUE(v->save().ok());

  auto reopened = KeyVault::open(path, secret("correct horse"));
  ASSERT_TRUE(reopened.ok());
  const VaultKey* old = reopened->find(old_id);
  ASSERT_NE(old, nullptr);
  EXPECT_EQ(old->info.status, KeyStatus::kRetired);
  EXPECT_EQ(old->info.ended, later);
  EXPECT_EQ(old->info.reason, "rotated to " + *new_id);
  EXPECT_TRUE(old->api_secret.empty());
  EXPECT_EQ(read_bytes(path).find("BINANCE-SECRET"), std::string::npos);
  const VaultKey* usable = reopened->usable_key("binance", later);
  ASSERT_NE(usable, nullptr);
  EXPECT_EQ(usable->info.id_hex(), *new_id);
  EXPECT_EQ(secret_of(*usable), "NEW-SECRET");
  EXPECT_EQ(usable->info.scopes, kReadTrade);
}

TEST_F(VaultTest, RevokedKeyCannotBeUsedOrRevivedAndKeepsItsReason) {
  const std::string path = make_vault("a.vault");
  auto v = KeyVault::open(path, secret("correct horse"));
  ASSERT_TRUE(v.ok());
  const std::string id = v->keys()[1].info.id_hex();
  ASSERT_TRUE(v->revoke(id, KeyStatus::kCompromised, "rate 40x baseline", kT0).ok());
  EXPECT_EQ(v->usable_key("kraken", kT0), nullptr);
  EXPECT_EQ(v->revoke(id, KeyStatus::kRevoked, "again", kT0).error().code, ErrorCode::kIllegalTransition);
  EXPECT_FALSE(v->rotate(id, secret("K"), secret("S"), kT0, kDefaultKeyLifetime).ok());
  ASSERT_TRUE(v->save().ok());
  auto reopened = KeyVault::open(path, secret("correct horse"));
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(key_state(reopened->find(id)->info, kT0), KeyState::kCompromised);
  EXPECT_EQ(reopened->find(id)->info.reason, "rate 40x baseline");
}

TEST_F(VaultTest, KeyExpiresAtItsLifetime) {
  const std::string path = make_vault("a.vault");
  auto v = KeyVault::open(path, secret("correct horse"));
  ASSERT_TRUE(v.ok());
  const KeyInfo& info = v->keys()[0].info;
  const Timestamp expiry = kT0 + kDefaultKeyLifetime;
  EXPECT_EQ(key_state(info, expiry + Duration{-1}), KeyState::kUsable);
  EXPECT_EQ(key_state(info, expiry), KeyState::kExpired);
  EXPECT_EQ(v->usable_key("binance", expiry), nullptr);
  EXPECT_NE(v->usable_key("binance", expiry + Duration{-1}), nullptr);
}

TEST_F(VaultTest, AddRefusesBadVenuesScopesAndEmptySecrets) {
  auto v = KeyVault::create(dir_.file("a.vault"), secret("correct horse"), kTestKdf);
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->add("Binance!", kReadTrade, secret("k"), secret("s"), kT0, kDefaultKeyLifetime).ok());
  EXPECT_FALSE(v->add("binance", 1u << 5, secret("k"), secret("s"), kT0, kDefaultKeyLifetime).ok());
  EXPECT_FALSE(v->add("binance", 0, secret("k"), secret("s"), kT0, kDefaultKeyLifetime).ok());
  EXPECT_FALSE(v->add("binance", kReadTrade, secret(""), secret("s"), kT0, kDefaultKeyLifetime).ok());
  EXPECT_FALSE(v->add("binance", kReadTrade, secret("k"), secret("s"), kT0, Duration{0}).ok());
  EXPECT_TRUE(v->keys().empty());
}

TEST_F(VaultTest, HostileKdfParametersAreRefusedBeforeDerivation) {
  const std::string path = make_vault("a.vault");
  std::string bytes = read_bytes(path);
  bytes[16 + 3] = '\x7f';  // memlimit KiB's top byte: ~2 TiB
  write_bytes(path, bytes);
  auto v = KeyVault::open(path, secret("correct horse"));
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.error().message.find("Argon2id memory"), std::string::npos) << v.error().message;
}

}  // namespace
}  // namespace cst::security::test
