// The key vault's file format: parsing and encoding only, no cryptography (key_vault.hpp
// decrypts). Kept apart so the fuzzer can reach every length and bound without a passphrase.
//
// Layout, integers little-endian:
//   header   "CSTVAULT" | version u16 = 1 | kdf u8 = 1 (Argon2id v1.3) | 0 u8 |
//            opslimit u32 | memlimit KiB u32 | salt[16] | vault id[16] | revision u64 |
//            record count u32 | check nonce[24] | check tag[16]
//   record   length u32 | metadata length u16 | metadata | nonce[24] | ciphertext (>= 16)
//   metadata key id[8] | venue len u8 | venue | scopes u32 | status u8 | created ns i64 |
//            expires ns i64 | ended ns i64 | reason len u8 | reason
//   trailer  file tag[32]: keyed BLAKE2b over every byte before it
// The check tag authenticates the header (AEAD of nothing, header bytes as associated data),
// so a wrong passphrase is told before any record is touched. Each record is sealed with
// XChaCha20-Poly1305, its associated data = vault id | metadata: changing a record's venue,
// scopes or expiry, or moving it to another vault, fails authentication. The trailer catches
// records removed, reordered or duplicated.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cst/core/result.hpp"
#include "cst/core/timestamp.hpp"

namespace cst::security {

inline constexpr std::uint16_t kVaultVersion = 1;
inline constexpr std::size_t kVaultSaltSize = 16;
inline constexpr std::size_t kVaultIdSize = 16;
inline constexpr std::size_t kKeyIdSize = 8;
inline constexpr std::size_t kNonceSize = 24;
inline constexpr std::size_t kTagSize = 16;
inline constexpr std::size_t kFileTagSize = 32;
inline constexpr std::size_t kMaxRecords = 10'000;
inline constexpr std::size_t kMaxRecordSize = std::size_t{16} * 1024;
inline constexpr std::size_t kMaxReasonSize = 200;

// Argon2id cost. Stored in the header so a vault opens with the parameters it was made with.
// Bounds on read keep a hostile header from asking for terabytes or hours.
struct KdfParams {
  std::uint32_t opslimit = 3;               // libsodium OPSLIMIT_MODERATE
  std::uint32_t memlimit_kib = 256 * 1024;  // MEMLIMIT_MODERATE, 256 MiB
};
inline constexpr KdfParams kKdfInteractive{2, 64 * 1024};
inline constexpr KdfParams kKdfModerate{3, 256 * 1024};
inline constexpr KdfParams kKdfSensitive{4, 1024 * 1024};
inline constexpr std::uint32_t kMaxOpslimit = 16;
inline constexpr std::uint32_t kMaxMemlimitKib = 1024 * 1024;
Status check_kdf_params(const KdfParams& kdf);

enum class KeyStatus : std::uint8_t {
  kActive,       // may sign until it expires
  kRetired,      // replaced by rotation; secret erased
  kRevoked,      // revoked by an operator; secret erased
  kCompromised,  // revoked by the key manager after an anomaly; secret erased
};
inline constexpr std::uint8_t kMaxKeyStatus = 3;
std::string_view to_string(KeyStatus s);

// A key's metadata: readable after the vault opens, never secret.
struct KeyInfo {
  std::array<std::uint8_t, kKeyIdSize> id{};
  std::string venue;
  std::uint32_t scopes = 0;
  KeyStatus status = KeyStatus::kActive;
  Timestamp created;
  Timestamp expires;
  Timestamp ended;     // when retired / revoked / compromised; 0 while active
  std::string reason;  // why it ended
  std::string id_hex() const;
  bool operator==(const KeyInfo&) const = default;
};

struct VaultHeader {
  KdfParams kdf;
  std::array<std::uint8_t, kVaultSaltSize> salt{};
  std::array<std::uint8_t, kVaultIdSize> vault_id{};
  std::uint64_t revision = 0;
  std::uint32_t record_count = 0;
  std::array<std::uint8_t, kNonceSize> check_nonce{};
  std::array<std::uint8_t, kTagSize> check_tag{};
};

struct SealedRecord {
  KeyInfo info;
  std::vector<std::uint8_t> metadata;  // the encoded metadata, as authenticated
  std::array<std::uint8_t, kNonceSize> nonce{};
  std::vector<std::uint8_t> ciphertext;  // includes the 16-byte tag
};

struct SealedVault {
  VaultHeader header;
  std::vector<SealedRecord> records;
  std::array<std::uint8_t, kFileTagSize> file_tag{};
};

// Bytes of the header that the check tag authenticates (everything before the check nonce).
std::vector<std::uint8_t> encode_header_prefix(const VaultHeader& h);
std::vector<std::uint8_t> encode_metadata(const KeyInfo& info);
// The whole file except the trailer; the caller appends the file tag it computes over them.
std::vector<std::uint8_t> encode_vault_body(const SealedVault& v);

// Parses a vault file's structure. Errors name `source` and the byte offset of the problem
// (bad magic, newer version, truncated header or record, length out of bounds, bad metadata,
// trailing bytes). Nothing is decrypted here.
Result<SealedVault> parse_vault(std::span<const std::uint8_t> file, std::string_view source);

}  // namespace cst::security
