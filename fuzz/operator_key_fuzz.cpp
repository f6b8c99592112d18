// Fuzzes the operator secret key file from arbitrary bytes (a damaged or hostile file) and the
// two texts an operator pastes: the public key token and a signature in hex. A key file either
// loads into a signer whose signatures verify (and only for their purpose) or is refused with
// an error that names the file; the parsers accept only what they print back the same way.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "cst/core/hex.hpp"
#include "cst/security/operator_key.hpp"
#include "private_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cst::security;
  static const std::string path = "/tmp/cst_fuzz_operator_key_" + std::to_string(::getpid()) + ".key";
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  write_private_file(path, data, size);
  auto signer = OperatorSigner::load(path);
  if (signer.ok()) {
    const OperatorPublicKey& pub = signer->public_key();
    if (!check_operator_name(pub.name).ok()) std::abort();
    const SignatureBytes sig = signer->sign("resume", text);
    if (!verify_operator_signature(pub.key, "resume", text, sig)) std::abort();
    // Bound to its purpose: the same bytes are no approval of anything else.
    if (verify_operator_signature(pub.key, "approve-order", text, sig)) std::abort();
    // What an operator pastes reads back as the same key and signature.
    auto token = parse_public_key_token(pub.token());
    if (!token.ok() || *token != pub.key) std::abort();
    auto sig_back = parse_signature_hex(cst::to_hex(sig));
    if (!sig_back.ok() || *sig_back != sig) std::abort();
  } else if (signer.error().message.find(path) == std::string::npos) {
    std::abort();
  }

  // The same bytes as pasted text: accepted only in the exact form (hex in either case).
  if (auto key = parse_public_key_token(text); key.ok()) {
    if (text.size() != 8 + 64) std::abort();
    auto again = parse_public_key_token(OperatorPublicKey{"", *key}.token());
    if (!again.ok() || *again != *key) std::abort();
  }
  if (auto sig = parse_signature_hex(text); sig.ok()) {
    if (text.size() != 128) std::abort();
    auto again = parse_signature_hex(cst::to_hex(*sig));
    if (!again.ok() || *again != *sig) std::abort();
  }
  return 0;
}
