#include "cst/security/key_vault.hpp"

#include <sodium.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "byte_codec.hpp"
#include "cst/core/atomic_file.hpp"
#include "cst/core/errno_text.hpp"
#include "cst/security/key_scopes.hpp"

namespace cst::security {

namespace {

static_assert(kNonceSize == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
static_assert(kTagSize == crypto_aead_xchacha20poly1305_ietf_ABYTES);
static_assert(kVaultSaltSize == crypto_pwhash_SALTBYTES);

constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "cstvault";
constexpr std::uint64_t kCheckSubkey = 1;
constexpr std::uint64_t kRecordSubkey = 2;
constexpr std::uint64_t kFileSubkey = 3;
constexpr std::size_t kMaxVaultFile = std::size_t{64} * 1024 * 1024;
constexpr std::size_t kMaxApiKey = 1024;
constexpr std::size_t kMaxApiSecret = 4096;

std::string quoted(const std::string& path) { return "key vault '" + path + "'"; }

struct VaultKeys {
  SecureBuffer check{crypto_kdf_KEYBYTES};
  SecureBuffer record{crypto_kdf_KEYBYTES};
  SecureBuffer file{crypto_kdf_KEYBYTES};
};

Result<VaultKeys> derive_keys(const SecureBuffer& passphrase, const VaultHeader& h) {
  SecureBuffer master(crypto_kdf_KEYBYTES);
  if (crypto_pwhash(master.data(), master.size(), reinterpret_cast<const char*>(passphrase.data()), passphrase.size(),
                    h.salt.data(), h.kdf.opslimit, static_cast<std::size_t>(h.kdf.memlimit_kib) * 1024,
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return make_error(ErrorCode::kUnavailable, "Argon2id could not allocate " + std::to_string(h.kdf.memlimit_kib) +
                                                   " KiB to derive the vault key");
  }
  VaultKeys k;
  crypto_kdf_derive_from_key(k.check.data(), k.check.size(), kCheckSubkey, kKdfContext, master.data());
  crypto_kdf_derive_from_key(k.record.data(), k.record.size(), kRecordSubkey, kKdfContext, master.data());
  crypto_kdf_derive_from_key(k.file.data(), k.file.size(), kFileSubkey, kKdfContext, master.data());
  return k;
}

std::vector<std::uint8_t> record_ad(const VaultHeader& h, const std::vector<std::uint8_t>& metadata) {
  std::vector<std::uint8_t> ad(h.vault_id.begin(), h.vault_id.end());
  ad.insert(ad.end(), metadata.begin(), metadata.end());
  return ad;
}

std::array<std::uint8_t, kFileTagSize> file_tag(const std::vector<std::uint8_t>& body, const SecureBuffer& key) {
  std::array<std::uint8_t, kFileTagSize> tag{};
  crypto_generichash(tag.data(), tag.size(), body.data(), body.size(), key.data(), key.size());
  return tag;
}

Result<std::vector<std::uint8_t>> read_vault_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return make_error(errno == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo,
                      quoted(path) + ": " + errno_text(errno) +
                          (errno == ENOENT ? " (create one with: cst keys init --vault FILE)" : ""));
  }
  if (!S_ISREG(st.st_mode)) return make_error(ErrorCode::kInvalidArgument, quoted(path) + " is not a regular file");
  // Like ssh with private keys: a vault others can read or write is a leak or a trap.
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    (void)std::snprintf(mode, sizeof mode, "%03o", static_cast<unsigned>(st.st_mode & 0777));
    return make_error(ErrorCode::kInvalidArgument,
                      quoted(path) + " is accessible by other users (mode " + mode + "); run: chmod 600 " + path);
  }
  if (static_cast<std::uint64_t>(st.st_size) > kMaxVaultFile) {
    return make_error(ErrorCode::kCorruption,
                      quoted(path) + " is larger than any vault (" + std::to_string(st.st_size) + " bytes)");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::kIo, quoted(path) + ": cannot be read: " + errno_text(errno));
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(st.st_size));
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (in.gcount() != static_cast<std::streamsize>(bytes.size())) {
    return make_error(ErrorCode::kIo, quoted(path) + ": short read (file changed while reading?)");
  }
  return bytes;
}

// Splits a decrypted payload "u16 len | api key | u16 len | api secret" into its two secrets.
Status split_payload(const SecureBuffer& plain, VaultKey& key) {
  if (plain.empty()) return Status::Ok();  // an ended key keeps no secret
  ByteReader r(plain.bytes());
  const auto api_key = r.take(r.u16());
  const auto api_secret = r.take(r.u16());
  if (r.failed() || r.remaining() != 0) return make_error(ErrorCode::kCorruption, "secret payload is malformed");
  key.api_key = SecureBuffer::copy_of(api_key);
  key.api_secret = SecureBuffer::copy_of(api_secret);
  return Status::Ok();
}

SecureBuffer join_payload(const VaultKey& key) {
  if (key.api_key.empty()) return SecureBuffer();
  SecureBuffer out(4 + key.api_key.size() + key.api_secret.size());
  std::uint8_t* p = out.data();
  auto put = [&p](const SecureBuffer& b) {
    *p++ = static_cast<std::uint8_t>(b.size());
    *p++ = static_cast<std::uint8_t>(b.size() >> 8);
    std::memcpy(p, b.data(), b.size());
    p += b.size();
  };
  put(key.api_key);
  put(key.api_secret);
  return out;
}

std::array<std::uint8_t, kKeyIdSize> random_id() {
  std::array<std::uint8_t, kKeyIdSize> id{};
  randombytes_buf(id.data(), id.size());
  return id;
}

Status check_secret_sizes(const SecureBuffer& api_key, const SecureBuffer& api_secret) {
  if (api_key.empty() || api_secret.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "API key and API secret must both be given");
  }
  if (api_key.size() > kMaxApiKey) return make_error(ErrorCode::kInvalidArgument, "API key is longer than 1024 bytes");
  if (api_secret.size() > kMaxApiSecret) {
    return make_error(ErrorCode::kInvalidArgument, "API secret is longer than 4096 bytes");
  }
  return Status::Ok();
}

}  // namespace

std::string_view to_string(KeyState s) {
  switch (s) {
    case KeyState::kUsable: return "usable";
    case KeyState::kExpired: return "expired";
    case KeyState::kRetired: return "retired";
    case KeyState::kRevoked: return "revoked";
    case KeyState::kCompromised: return "compromised";
  }
  return "unknown";
}

KeyState key_state(const KeyInfo& info, Timestamp now) {
  switch (info.status) {
    case KeyStatus::kActive: return now < info.expires ? KeyState::kUsable : KeyState::kExpired;
    case KeyStatus::kRetired: return KeyState::kRetired;
    case KeyStatus::kRevoked: return KeyState::kRevoked;
    case KeyStatus::kCompromised: return KeyState::kCompromised;
  }
  return KeyState::kRevoked;
}

Result<KeyVault> KeyVault::create(const std::string& path, const SecureBuffer& passphrase, KdfParams kdf) {
  ensure_sodium();
  if (Status s = check_kdf_params(kdf); !s) return s.error();
  if (passphrase.size() < 8) {
    return make_error(ErrorCode::kInvalidArgument, "vault passphrase must be at least 8 characters");
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    return make_error(ErrorCode::kDuplicate, quoted(path) + " already exists; not overwriting it");
  }
  KeyVault v;
  v.path_ = path;
  v.header_.kdf = kdf;
  randombytes_buf(v.header_.salt.data(), v.header_.salt.size());
  randombytes_buf(v.header_.vault_id.data(), v.header_.vault_id.size());
  auto keys = derive_keys(passphrase, v.header_);
  if (!keys) return keys.error();
  v.check_key_ = std::move(keys->check);
  v.record_key_ = std::move(keys->record);
  v.file_key_ = std::move(keys->file);
  if (Status s = v.save(); !s) return s.error();
  return v;
}

Result<KeyVault> KeyVault::open(const std::string& path, const SecureBuffer& passphrase) {
  ensure_sodium();
  auto bytes = read_vault_file(path);
  if (!bytes) return bytes.error();
  auto sealed = parse_vault(*bytes, path);
  if (!sealed) return sealed.error();
  auto keys = derive_keys(passphrase, sealed->header);
  if (!keys) return keys.error();

  const std::vector<std::uint8_t> prefix = encode_header_prefix(sealed->header);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(nullptr, nullptr, nullptr, sealed->header.check_tag.data(), kTagSize,
                                                 prefix.data(), prefix.size(), sealed->header.check_nonce.data(),
                                                 keys->check.data()) != 0) {
    return make_error(ErrorCode::kInvalidArgument,
                      "wrong passphrase for " + quoted(path) + " (or its header was altered); nothing was decrypted");
  }

  KeyVault v;
  v.path_ = path;
  v.header_ = sealed->header;
  const std::size_t n = sealed->records.size();
  for (std::size_t i = 0; i < n; ++i) {
    const SealedRecord& rec = sealed->records[i];
    const std::string which = quoted(path) + ": record " + std::to_string(i + 1) + " of " + std::to_string(n) +
                              " (key " + rec.info.id_hex() + ", venue " + rec.info.venue + ")";
    const std::vector<std::uint8_t> ad = record_ad(sealed->header, rec.metadata);
    SecureBuffer plain(rec.ciphertext.size() - kTagSize);
    unsigned long long plain_len = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain.data(), &plain_len, nullptr, rec.ciphertext.data(),
                                                   rec.ciphertext.size(), ad.data(), ad.size(), rec.nonce.data(),
                                                   keys->record.data()) != 0) {
      return make_error(ErrorCode::kCorruption, which +
                                                    " fails authentication: it was altered, or copied from another "
                                                    "vault; nothing was decrypted");
    }
    VaultKey key;
    key.info = rec.info;
    if (Status s = split_payload(plain, key); !s)
      return make_error(ErrorCode::kCorruption, which + ": " + s.error().message);
    if (v.find(key.info.id_hex()) != nullptr) {
      return make_error(ErrorCode::kCorruption, which + " repeats a key id; nothing was decrypted");
    }
    v.keys_.push_back(std::move(key));
  }
  const std::vector<std::uint8_t> body = encode_vault_body(*sealed);
  const auto expected = file_tag(body, keys->file);
  if (sodium_memcmp(expected.data(), sealed->file_tag.data(), kFileTagSize) != 0) {
    return make_error(ErrorCode::kCorruption, quoted(path) +
                                                  ": integrity tag does not match: records were removed, reordered "
                                                  "or duplicated; nothing was decrypted");
  }
  v.check_key_ = std::move(keys->check);
  v.record_key_ = std::move(keys->record);
  v.file_key_ = std::move(keys->file);
  return v;
}

const VaultKey* KeyVault::find(std::string_view key_id_hex) const {
  for (const VaultKey& k : keys_) {
    if (k.info.id_hex() == key_id_hex) return &k;
  }
  return nullptr;
}

VaultKey* KeyVault::find_mutable(std::string_view key_id_hex) {
  return const_cast<VaultKey*>(std::as_const(*this).find(key_id_hex));
}

const VaultKey* KeyVault::usable_key(std::string_view venue, Timestamp now) const {
  const VaultKey* best = nullptr;
  for (const VaultKey& k : keys_) {
    if (k.info.venue != venue || key_state(k.info, now) != KeyState::kUsable) continue;
    if (best == nullptr || k.info.created >= best->info.created) best = &k;
  }
  return best;
}

Result<std::string> KeyVault::add(std::string_view venue, std::uint32_t scopes, SecureBuffer api_key,
                                  SecureBuffer api_secret, Timestamp now, Duration lifetime) {
  if (Status s = check_venue_name(venue); !s) return s.error();
  if (scopes == 0 || (scopes & ~kKnownScopes) != 0) {
    return make_error(ErrorCode::kInvalidArgument, "scopes must be read and/or trade (withdrawal is never allowed)");
  }
  if (Status s = check_secret_sizes(api_key, api_secret); !s) return s.error();
  if (lifetime.ns <= 0) return make_error(ErrorCode::kInvalidArgument, "key lifetime must be positive");
  if (keys_.size() >= kMaxRecords) return make_error(ErrorCode::kInvalidArgument, "the vault is full");
  VaultKey key;
  do {
    key.info.id = random_id();
  } while (find(key.info.id_hex()) != nullptr);
  key.info.venue = std::string(venue);
  key.info.scopes = scopes;
  key.info.created = now;
  key.info.expires = now + lifetime;
  key.api_key = std::move(api_key);
  key.api_secret = std::move(api_secret);
  keys_.push_back(std::move(key));
  return keys_.back().info.id_hex();
}

Result<std::string> KeyVault::rotate(std::string_view key_id_hex, SecureBuffer api_key, SecureBuffer api_secret,
                                     Timestamp now, Duration lifetime) {
  const VaultKey* old = find(key_id_hex);
  if (old == nullptr) return make_error(ErrorCode::kNotFound, "no key with id " + std::string(key_id_hex));
  if (old->info.status != KeyStatus::kActive) {
    return make_error(ErrorCode::kIllegalTransition, "key " + std::string(key_id_hex) + " is " +
                                                         std::string(to_string(old->info.status)) +
                                                         "; only an active key can be rotated (add a new one instead)");
  }
  const std::string venue = old->info.venue;
  const std::uint32_t scopes = old->info.scopes;
  auto id = add(venue, scopes, std::move(api_key), std::move(api_secret), now, lifetime);
  if (!id) return id.error();
  // add() may have moved keys_; look the old key up again.
  if (Status s = revoke(key_id_hex, KeyStatus::kRetired, "rotated to " + *id, now); !s) return s.error();
  return id;
}

Status KeyVault::revoke(std::string_view key_id_hex, KeyStatus why, std::string_view reason, Timestamp now) {
  VaultKey* key = find_mutable(key_id_hex);
  if (key == nullptr) return make_error(ErrorCode::kNotFound, "no key with id " + std::string(key_id_hex));
  if (why == KeyStatus::kActive) return make_error(ErrorCode::kInvalidArgument, "revoke needs an ending status");
  if (key->info.status != KeyStatus::kActive) {
    return make_error(ErrorCode::kIllegalTransition,
                      "key " + std::string(key_id_hex) + " is already " + std::string(to_string(key->info.status)));
  }
  if (reason.size() > kMaxReasonSize) {
    return make_error(ErrorCode::kInvalidArgument,
                      "reason is longer than " + std::to_string(kMaxReasonSize) + " bytes");
  }
  key->info.status = why;
  key->info.ended = now;
  key->info.reason = std::string(reason);
  key->api_key = SecureBuffer();  // sodium_free zeroes the secret
  key->api_secret = SecureBuffer();
  return Status::Ok();
}

Status KeyVault::save() {
  SealedVault sealed;
  sealed.header = header_;
  sealed.header.revision = header_.revision + 1;
  sealed.header.record_count = static_cast<std::uint32_t>(keys_.size());
  randombytes_buf(sealed.header.check_nonce.data(), kNonceSize);
  const std::vector<std::uint8_t> prefix = encode_header_prefix(sealed.header);
  crypto_aead_xchacha20poly1305_ietf_encrypt(sealed.header.check_tag.data(), nullptr, nullptr, 0, prefix.data(),
                                             prefix.size(), nullptr, sealed.header.check_nonce.data(),
                                             check_key_.data());
  for (const VaultKey& key : keys_) {
    SealedRecord rec;
    rec.info = key.info;
    rec.metadata = encode_metadata(key.info);
    randombytes_buf(rec.nonce.data(), kNonceSize);
    const SecureBuffer plain = join_payload(key);
    rec.ciphertext.resize(plain.size() + kTagSize);
    const std::vector<std::uint8_t> ad = record_ad(sealed.header, rec.metadata);
    crypto_aead_xchacha20poly1305_ietf_encrypt(rec.ciphertext.data(), nullptr, plain.data(), plain.size(), ad.data(),
                                               ad.size(), nullptr, rec.nonce.data(), record_key_.data());
    sealed.records.push_back(std::move(rec));
  }
  std::vector<std::uint8_t> file = encode_vault_body(sealed);
  const auto tag = file_tag(file, file_key_);
  file.insert(file.end(), tag.begin(), tag.end());
  if (Status s = write_file_atomically(path_, std::string_view(reinterpret_cast<const char*>(file.data()), file.size()),
                                       kPrivateFileMode);
      !s) {
    return s;
  }
  header_ = sealed.header;
  return Status::Ok();
}

}  // namespace cst::security
