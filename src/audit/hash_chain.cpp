#include "cst/audit/hash_chain.hpp"

#include <openssl/evp.h>

#include "cst/core/hex.hpp"

namespace cst::audit {
namespace {

void put_u64be(std::uint8_t* out, std::uint64_t v) {
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<std::uint8_t>(v & 0xffU);
    v >>= 8;
  }
}

}  // namespace

std::string to_hex(const Hash256& h) { return cst::to_hex(std::span<const std::uint8_t>(h)); }

// Fetching the digest once (OpenSSL 3) avoids a provider lookup on every record.
RecordHasher::RecordHasher() : ctx_(EVP_MD_CTX_new()), md_(EVP_MD_fetch(nullptr, "SHA256", nullptr)) {}

RecordHasher::~RecordHasher() {
  EVP_MD_CTX_free(ctx_);
  EVP_MD_free(md_);
}

Result<Hash256> RecordHasher::hash(const Hash256& prev_hash, std::uint64_t seq, std::int64_t time_ns,
                                   std::string_view kind, std::string_view payload) {
  if (ctx_ == nullptr || md_ == nullptr)
    return make_error(ErrorCode::kUnsupported, "OpenSSL could not provide SHA-256 for the audit journal");
  std::uint8_t fixed[16];
  put_u64be(fixed, seq);
  put_u64be(fixed + 8, static_cast<std::uint64_t>(time_ns));
  std::uint8_t kind_len[8];
  put_u64be(kind_len, kind.size());
  std::uint8_t payload_len[8];
  put_u64be(payload_len, payload.size());

  Hash256 out{};
  unsigned int out_len = 0;
  const bool ok =
      EVP_DigestInit_ex(ctx_, md_, nullptr) == 1 && EVP_DigestUpdate(ctx_, prev_hash.data(), prev_hash.size()) == 1 &&
      EVP_DigestUpdate(ctx_, fixed, sizeof fixed) == 1 && EVP_DigestUpdate(ctx_, kind_len, sizeof kind_len) == 1 &&
      EVP_DigestUpdate(ctx_, kind.data(), kind.size()) == 1 &&
      EVP_DigestUpdate(ctx_, payload_len, sizeof payload_len) == 1 &&
      EVP_DigestUpdate(ctx_, payload.data(), payload.size()) == 1 &&
      EVP_DigestFinal_ex(ctx_, out.data(), &out_len) == 1 && out_len == out.size();
  if (!ok) return make_error(ErrorCode::kIo, "SHA-256 of audit record " + std::to_string(seq) + " failed in OpenSSL");
  return out;
}

}  // namespace cst::audit
