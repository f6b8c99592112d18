// Operator keys: Ed25519 key pairs that sign what only a person may decide (approving a
// RESTRICTED config change, resuming after a lockdown, approving a large order).
//
// Files are text. The secret key file (mode 0600, refused if others can read it):
//   cst-operator-key v1
//   name alice
//   seed <64 hex digits>
// The public key is one token, "ed25519:<64 hex digits>", pasted into the configuration.
// Every signature covers "cst/<purpose>\n" followed by the message, so a signature made for
// one purpose (a resume) can never be replayed as another (an order approval).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "cst/core/result.hpp"
#include "cst/security/secure_buffer.hpp"

namespace cst::security {

using PublicKeyBytes = std::array<std::uint8_t, 32>;
using SignatureBytes = std::array<std::uint8_t, 64>;

struct OperatorPublicKey {
  std::string name;
  PublicKeyBytes key{};
  std::string token() const;  // "ed25519:<hex>"
  bool operator==(const OperatorPublicKey&) const = default;
};

// Parses "ed25519:<64 hex digits>".
Result<PublicKeyBytes> parse_public_key_token(std::string_view token);

Result<SignatureBytes> parse_signature_hex(std::string_view hex);

class OperatorSigner {
 public:
  // Operator names: 1-32 of [A-Za-z0-9_.-].
  static Result<OperatorSigner> generate(std::string_view name);
  static Result<OperatorSigner> load(const std::string& path);
  // Writes the secret key file (0600); refuses to overwrite one.
  Status save(const std::string& path) const;

  const OperatorPublicKey& public_key() const { return public_; }
  SignatureBytes sign(std::string_view purpose, std::string_view message) const;

 private:
  OperatorSigner() = default;
  OperatorPublicKey public_;
  SecureBuffer seed_;        // 32 bytes
  SecureBuffer secret_key_;  // libsodium's 64-byte form (seed | public key)
};

bool verify_operator_signature(const PublicKeyBytes& key, std::string_view purpose, std::string_view message,
                               const SignatureBytes& signature);

Status check_operator_name(std::string_view name);

}  // namespace cst::security
