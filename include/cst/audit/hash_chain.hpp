// The hash that chains journal records, so that editing, removing or reordering any record
// changes every hash after it.
//
// Definition (format version 1). For record n (seq = n, first record seq = 1):
//
//   hash_n = SHA-256( prev_hash            32 bytes, = hash_{n-1}; 32 zero bytes for seq 1
//                   || u64be(seq)          8 bytes
//                   || u64be(time_ns)      8 bytes, the int64 as two's complement
//                   || u64be(len(kind))    8 bytes, then the kind's UTF-8 bytes
//                   || kind
//                   || u64be(len(payload)) 8 bytes, then the payload's UTF-8 bytes
//                   || payload )
//
// Every field is fixed-width or length-prefixed, so no two different records encode to the same
// bytes (kind "ab" + payload "c" differs from kind "a" + payload "bc").
//
// A chain without a key proves order and integrity relative to a known head: anyone who can
// rewrite the file can also recompute every hash after an edit. Publish head_hash_hex() (logs,
// reports) to pin the head.
//
// Thread rules: a RecordHasher keeps an OpenSSL context and is used by one thread at a time.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "cst/core/result.hpp"

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX, kept out of this header
struct evp_md_st;      // OpenSSL's EVP_MD

namespace cst::audit {

using Hash256 = std::array<std::uint8_t, 32>;

// prev_hash of the first record.
inline constexpr Hash256 kZeroHash{};

// Lower-case hex, 64 characters.
std::string to_hex(const Hash256& h);

class RecordHasher {
 public:
  RecordHasher();
  ~RecordHasher();
  RecordHasher(const RecordHasher&) = delete;
  RecordHasher& operator=(const RecordHasher&) = delete;

  // The hash of one record as defined above; fails only if OpenSSL does (out of memory, or a
  // FIPS configuration without SHA-256).
  Result<Hash256> hash(const Hash256& prev_hash, std::uint64_t seq, std::int64_t time_ns, std::string_view kind,
                       std::string_view payload);

 private:
  evp_md_ctx_st* ctx_ = nullptr;
  evp_md_st* md_ = nullptr;
};

}  // namespace cst::audit
