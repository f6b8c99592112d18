#include "cst/security/vault_format.hpp"

#include <array>

#include "byte_codec.hpp"
#include "cst/core/hex.hpp"
#include "cst/security/key_scopes.hpp"

namespace cst::security {

namespace {

constexpr std::string_view kMagic = "CSTVAULT";
constexpr std::uint8_t kKdfArgon2id13 = 1;
// Fixed part of the metadata: id, venue len, scopes, status, three times, reason len.
constexpr std::size_t kMetadataFixed = kKeyIdSize + 1 + 4 + 1 + std::size_t{8} * 3 + 1;

Error bad(std::string_view source, std::size_t offset, const std::string& what) {
  return make_error(ErrorCode::kCorruption,
                    "key vault '" + std::string(source) + "', byte " + std::to_string(offset) + ": " + what);
}

Result<KeyInfo> parse_metadata(std::span<const std::uint8_t> meta, std::string_view source, std::size_t offset) {
  ByteReader r(meta);
  KeyInfo info;
  r.copy_to(info.id);
  info.venue = r.text(r.u8());
  info.scopes = r.u32();
  const std::uint8_t status = r.u8();
  info.created.ns = r.i64();
  info.expires.ns = r.i64();
  info.ended.ns = r.i64();
  info.reason = r.text(r.u8());
  if (r.failed()) return bad(source, offset, "key metadata is truncated");
  if (r.remaining() != 0)
    return bad(source, offset, "key metadata has " + std::to_string(r.remaining()) + " extra bytes");
  if (!check_venue_name(info.venue)) return bad(source, offset, "key metadata has an invalid venue name");
  if (info.scopes == 0 || (info.scopes & ~kKnownScopes) != 0) {
    return bad(source, offset, "key metadata has unknown scope bits " + std::to_string(info.scopes));
  }
  if (status > kMaxKeyStatus) return bad(source, offset, "key metadata has unknown status " + std::to_string(status));
  info.status = static_cast<KeyStatus>(status);
  if (info.reason.size() > kMaxReasonSize) return bad(source, offset, "key metadata reason is too long");
  return info;
}

}  // namespace

Status check_kdf_params(const KdfParams& kdf) {
  // libsodium's minimums for Argon2id are 1 pass and 8 KiB.
  if (kdf.opslimit < 1 || kdf.opslimit > kMaxOpslimit) {
    return make_error(ErrorCode::kInvalidArgument, "Argon2id opslimit " + std::to_string(kdf.opslimit) +
                                                       " is outside 1.." + std::to_string(kMaxOpslimit));
  }
  if (kdf.memlimit_kib < 8 || kdf.memlimit_kib > kMaxMemlimitKib) {
    return make_error(ErrorCode::kInvalidArgument, "Argon2id memory " + std::to_string(kdf.memlimit_kib) +
                                                       " KiB is outside 8.." + std::to_string(kMaxMemlimitKib) +
                                                       " KiB");
  }
  return Status::Ok();
}

std::string_view to_string(KeyStatus s) {
  switch (s) {
    case KeyStatus::kActive: return "active";
    case KeyStatus::kRetired: return "retired";
    case KeyStatus::kRevoked: return "revoked";
    case KeyStatus::kCompromised: return "compromised";
  }
  return "unknown";
}

std::string KeyInfo::id_hex() const { return to_hex(id); }

std::vector<std::uint8_t> encode_header_prefix(const VaultHeader& h) {
  ByteWriter w;
  w.text(kMagic);
  w.u16(kVaultVersion);
  w.u8(kKdfArgon2id13);
  w.u8(0);
  w.u32(h.kdf.opslimit);
  w.u32(h.kdf.memlimit_kib);
  w.bytes(h.salt);
  w.bytes(h.vault_id);
  w.u64(h.revision);
  w.u32(h.record_count);
  return std::move(w.out());
}

std::vector<std::uint8_t> encode_metadata(const KeyInfo& info) {
  ByteWriter w;
  w.bytes(info.id);
  w.u8(static_cast<std::uint8_t>(info.venue.size()));
  w.text(info.venue);
  w.u32(info.scopes);
  w.u8(static_cast<std::uint8_t>(info.status));
  w.i64(info.created.ns);
  w.i64(info.expires.ns);
  w.i64(info.ended.ns);
  w.u8(static_cast<std::uint8_t>(info.reason.size()));
  w.text(info.reason);
  return std::move(w.out());
}

std::vector<std::uint8_t> encode_vault_body(const SealedVault& v) {
  ByteWriter w;
  w.bytes(encode_header_prefix(v.header));
  w.bytes(v.header.check_nonce);
  w.bytes(v.header.check_tag);
  for (const SealedRecord& r : v.records) {
    w.u32(static_cast<std::uint32_t>(2 + r.metadata.size() + kNonceSize + r.ciphertext.size()));
    w.u16(static_cast<std::uint16_t>(r.metadata.size()));
    w.bytes(r.metadata);
    w.bytes(r.nonce);
    w.bytes(r.ciphertext);
  }
  return std::move(w.out());
}

Result<SealedVault> parse_vault(std::span<const std::uint8_t> file, std::string_view source) {
  ByteReader r(file);
  SealedVault v;
  const auto magic = r.take(kMagic.size());
  if (r.failed() || std::string_view(reinterpret_cast<const char*>(magic.data()), magic.size()) != kMagic) {
    return bad(source, 0, "not a cst key vault (no CSTVAULT signature)");
  }
  const std::uint16_t version = r.u16();
  if (!r.failed() && version != kVaultVersion) {
    return bad(source, 8,
               "vault format version " + std::to_string(version) + " is not supported (this cst reads " +
                   std::to_string(kVaultVersion) + ")");
  }
  const std::uint8_t kdf = r.u8();
  const std::uint8_t reserved = r.u8();
  v.header.kdf.opslimit = r.u32();
  v.header.kdf.memlimit_kib = r.u32();
  r.copy_to(v.header.salt);
  r.copy_to(v.header.vault_id);
  v.header.revision = r.u64();
  v.header.record_count = r.u32();
  r.copy_to(v.header.check_nonce);
  r.copy_to(v.header.check_tag);
  if (r.failed()) return bad(source, file.size(), "file ends inside the header (truncated)");
  if (kdf != kKdfArgon2id13 || reserved != 0) return bad(source, 10, "unknown key derivation function");
  if (Status s = check_kdf_params(v.header.kdf); !s) return bad(source, 12, s.error().message);
  if (v.header.record_count > kMaxRecords) {
    return bad(source, 60,
               "record count " + std::to_string(v.header.record_count) + " is above the limit of " +
                   std::to_string(kMaxRecords));
  }
  v.records.reserve(v.header.record_count);
  for (std::uint32_t i = 0; i < v.header.record_count; ++i) {
    const std::size_t at = r.pos();
    const std::string which = "record " + std::to_string(i + 1) + " of " + std::to_string(v.header.record_count);
    const std::uint32_t length = r.u32();
    if (r.failed()) return bad(source, at, which + " is missing (file truncated)");
    if (length > kMaxRecordSize || length < 2 + kMetadataFixed + kNonceSize + kTagSize) {
      return bad(source, at, which + " has an impossible length " + std::to_string(length));
    }
    ByteReader rec(r.take(length));
    if (r.failed()) return bad(source, at, which + " is cut short (file truncated)");
    SealedRecord sealed;
    const std::uint16_t meta_len = rec.u16();
    const auto meta = rec.take(meta_len);
    if (rec.failed() || rec.remaining() < kNonceSize + kTagSize) {
      return bad(source, at, which + " has a metadata length that does not fit the record");
    }
    auto info = parse_metadata(meta, source, at + 6);
    if (!info) return info.error();
    sealed.info = std::move(*info);
    sealed.metadata.assign(meta.begin(), meta.end());
    rec.copy_to(sealed.nonce);
    const auto ct = rec.take(rec.remaining());
    sealed.ciphertext.assign(ct.begin(), ct.end());
    v.records.push_back(std::move(sealed));
  }
  const std::size_t trailer_at = r.pos();
  r.copy_to(v.file_tag);
  if (r.failed()) return bad(source, trailer_at, "file ends before its integrity tag (truncated)");
  if (r.remaining() != 0) {
    return bad(source, r.pos(), std::to_string(r.remaining()) + " unexpected bytes after the integrity tag");
  }
  return v;
}

}  // namespace cst::security
