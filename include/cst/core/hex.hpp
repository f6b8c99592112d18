// Lower-case hex encoding of bytes (hashes, ids, keys, signatures) and its strict inverse.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace cst {

std::string to_hex(std::span<const std::uint8_t> bytes);
// Decodes exactly out.size() bytes; false on any other length or a non-hex digit (either case).
bool decode_hex(std::string_view hex, std::span<std::uint8_t> out);

}  // namespace cst
