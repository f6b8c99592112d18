// KeyVault: exchange API keys encrypted at rest (DESIGN.md section 7). File format in
// vault_format.hpp; Argon2id turns the passphrase into the vault key, XChaCha20-Poly1305 seals
// each key's secret with its metadata as associated data.
//
// Contract: open() either authenticates the whole file (header, every record, the trailer)
// and decrypts every live secret into locked memory, or returns an error naming what failed
// and keeps nothing decrypted. Wrong passphrase, truncation, a flipped byte anywhere, a
// record copied from another vault, records removed or reordered: all are errors.
// Retired, revoked and compromised keys keep their metadata (for the audit trail) but their
// secrets are erased when they end. save() writes the file atomically with mode 0600, with
// fresh nonces. Not thread-safe; one process changes a vault at a time (the CLI).
// Not detected: the whole file replaced by an older copy of itself (revision() grows with
// every save so a caller can compare it with one kept elsewhere).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cst/core/result.hpp"
#include "cst/core/timestamp.hpp"
#include "cst/security/secure_buffer.hpp"
#include "cst/security/vault_format.hpp"

namespace cst::security {

// Rotation is due this long after a key is added (DESIGN.md: every 24 h).
inline constexpr Duration kDefaultKeyLifetime = Duration::from_seconds(std::int64_t{24} * 3600);

struct VaultKey {
  KeyInfo info;
  SecureBuffer api_key;     // empty once the key has ended
  SecureBuffer api_secret;  // empty once the key has ended
};

// What a key can do at a given time: active keys past their expiry are "expired".
enum class KeyState : std::uint8_t { kUsable, kExpired, kRetired, kRevoked, kCompromised };
std::string_view to_string(KeyState s);
KeyState key_state(const KeyInfo& info, Timestamp now);

class KeyVault {
 public:
  // Creates a new, empty vault file; refuses to overwrite an existing one.
  static Result<KeyVault> create(const std::string& path, const SecureBuffer& passphrase, KdfParams kdf);
  static Result<KeyVault> open(const std::string& path, const SecureBuffer& passphrase);

  KeyVault(KeyVault&&) noexcept = default;
  KeyVault& operator=(KeyVault&&) noexcept = default;

  const std::vector<VaultKey>& keys() const { return keys_; }
  const VaultKey* find(std::string_view key_id_hex) const;
  // The newest usable key for a venue (not ended, not expired), or nullptr.
  const VaultKey* usable_key(std::string_view venue, Timestamp now) const;

  // Adds a key; scopes are checked again here (no withdrawal). Returns its id (16 hex digits).
  Result<std::string> add(std::string_view venue, std::uint32_t scopes, SecureBuffer api_key, SecureBuffer api_secret,
                          Timestamp now, Duration lifetime);
  // Replaces an active or expired key with a new one for the same venue and scopes; the old
  // key is retired and its secret erased. Returns the new key's id.
  Result<std::string> rotate(std::string_view key_id_hex, SecureBuffer api_key, SecureBuffer api_secret, Timestamp now,
                             Duration lifetime);
  // Ends a key (kRevoked by an operator, kCompromised by the key manager) and erases its secret.
  Status revoke(std::string_view key_id_hex, KeyStatus why, std::string_view reason, Timestamp now);

  Status save();
  const std::string& path() const { return path_; }
  std::uint64_t revision() const { return header_.revision; }
  const KdfParams& kdf() const { return header_.kdf; }

 private:
  KeyVault() = default;
  VaultKey* find_mutable(std::string_view key_id_hex);

  std::string path_;
  VaultHeader header_;
  SecureBuffer check_key_;   // seals the header check
  SecureBuffer record_key_;  // seals records
  SecureBuffer file_key_;    // keys the trailer's BLAKE2b
  std::vector<VaultKey> keys_;
};

}  // namespace cst::security
