#include "cst/config/config_file.hpp"

#include <sodium.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "cst/core/errno_text.hpp"
#include "cst/core/hex.hpp"
#include "cst/security/secure_buffer.hpp"

namespace cst::config {

namespace {

Result<std::string> read_all(const std::string& path, bool* missing) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (missing != nullptr) *missing = errno == ENOENT;
    return make_error(ErrorCode::kIo, "'" + path + "' cannot be read: " + errno_text(errno));
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace

std::string hash_config_text(std::string_view bytes) {
  security::ensure_sodium();
  std::array<std::uint8_t, crypto_hash_sha256_BYTES> h{};
  crypto_hash_sha256(h.data(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  return to_hex(h);
}

Result<std::string> hash_config_file(const std::string& path) {
  auto text = read_all(path, nullptr);
  if (!text) return text.error();
  return hash_config_text(*text);
}

std::string approvals_path(const std::string& config_path) { return config_path + ".approvals"; }

Result<std::vector<ConfigApproval>> load_config_approvals(const std::string& config_path) {
  const std::string path = approvals_path(config_path);
  bool missing = false;
  auto text = read_all(path, &missing);
  if (!text) {
    if (missing) return std::vector<ConfigApproval>{};
    return text.error();
  }
  return parse_config_approvals(*text, path);
}

}  // namespace cst::config
