#include "cst/security/operator_key.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "cst/core/atomic_file.hpp"
#include "cst/core/errno_text.hpp"
#include "cst/core/hex.hpp"
#include "cst/security/secret_input.hpp"

namespace cst::security {

namespace {

constexpr std::string_view kHeaderLine = "cst-operator-key v1";
constexpr std::string_view kTokenPrefix = "ed25519:";

std::string signed_bytes(std::string_view purpose, std::string_view message) {
  std::string m = "cst/";
  m += purpose;
  m += '\n';
  m += message;
  return m;
}

Error key_file_error(const std::string& path, const std::string& what) {
  return make_error(ErrorCode::kInvalidArgument, "operator key file '" + path + "': " + what);
}

}  // namespace

std::string OperatorPublicKey::token() const { return std::string(kTokenPrefix) + to_hex(key); }

Result<PublicKeyBytes> parse_public_key_token(std::string_view token) {
  PublicKeyBytes key{};
  if (!token.starts_with(kTokenPrefix) || !decode_hex(token.substr(kTokenPrefix.size()), key)) {
    return make_error(ErrorCode::kParse, "'" + std::string(token.substr(0, 80)) +
                                             "' is not an operator public key (expected ed25519: and 64 hex digits)");
  }
  return key;
}

Result<SignatureBytes> parse_signature_hex(std::string_view hex) {
  SignatureBytes sig{};
  if (!decode_hex(hex, sig)) return make_error(ErrorCode::kParse, "a signature is 128 hex digits");
  return sig;
}

Status check_operator_name(std::string_view name) {
  if (name.empty() || name.size() > 32)
    return make_error(ErrorCode::kInvalidArgument, "operator name must be 1 to 32 characters");
  for (const char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    if (!ok) {
      return make_error(ErrorCode::kInvalidArgument,
                        "operator name '" + std::string(name) + "': only letters, digits, _ . - are allowed");
    }
  }
  return Status::Ok();
}

Result<OperatorSigner> OperatorSigner::generate(std::string_view name) {
  ensure_sodium();
  if (Status s = check_operator_name(name); !s) return s.error();
  OperatorSigner signer;
  signer.public_.name = std::string(name);
  signer.seed_ = SecureBuffer(crypto_sign_SEEDBYTES);
  randombytes_buf(signer.seed_.data(), signer.seed_.size());
  signer.secret_key_ = SecureBuffer(crypto_sign_SECRETKEYBYTES);
  crypto_sign_seed_keypair(signer.public_.key.data(), signer.secret_key_.data(), signer.seed_.data());
  return signer;
}

Result<OperatorSigner> OperatorSigner::load(const std::string& path) {
  ensure_sodium();
  // O_NONBLOCK: a FIFO at the path must be refused below, not block the open forever.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return key_file_error(path, errno_text(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return key_file_error(path, "not a regular file");
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    return key_file_error(path, "is accessible by other users; run: chmod 600 " + path);
  }
  // Three lines, each read straight into locked memory (the seed line is secret).
  auto header = read_secret_line(fd, "header line");
  auto name_line = header ? read_secret_line(fd, "name line") : Result<SecureBuffer>(header.error());
  auto seed_line = name_line ? read_secret_line(fd, "seed line") : Result<SecureBuffer>(name_line.error());
  std::uint8_t extra = 0;
  const bool more = ::read(fd, &extra, 1) > 0;
  ::close(fd);
  if (!seed_line) return key_file_error(path, seed_line.error().message);
  if (header->view() != kHeaderLine)
    return key_file_error(path, "first line is not '" + std::string(kHeaderLine) + "'");
  if (more) return key_file_error(path, "unexpected content after the seed line");
  const std::string_view name = name_line->view();
  if (!name.starts_with("name ")) return key_file_error(path, "second line must be 'name <operator>'");
  OperatorSigner signer;
  signer.public_.name = std::string(name.substr(5));
  if (Status s = check_operator_name(signer.public_.name); !s) return key_file_error(path, s.error().message);
  const std::string_view seed_text = seed_line->view();
  signer.seed_ = SecureBuffer(crypto_sign_SEEDBYTES);
  if (!seed_text.starts_with("seed ") ||
      !decode_hex(seed_text.substr(5), std::span<std::uint8_t>(signer.seed_.data(), signer.seed_.size()))) {
    return key_file_error(path, "third line must be 'seed <64 hex digits>'");
  }
  signer.secret_key_ = SecureBuffer(crypto_sign_SECRETKEYBYTES);
  crypto_sign_seed_keypair(signer.public_.key.data(), signer.secret_key_.data(), signer.seed_.data());
  return signer;
}

Status OperatorSigner::save(const std::string& path) const {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    return make_error(ErrorCode::kDuplicate, "operator key file '" + path + "' already exists; not overwriting it");
  }
  // Built in locked memory: the file's text holds the seed.
  const std::string head = std::string(kHeaderLine) + "\nname " + public_.name + "\nseed ";
  SecureBuffer text(head.size() + 2 * seed_.size() + 1);
  std::memcpy(text.data(), head.data(), head.size());
  sodium_bin2hex(reinterpret_cast<char*>(text.data() + head.size()), 2 * seed_.size() + 1, seed_.data(), seed_.size());
  text.data()[text.size() - 1] = '\n';
  return write_file_atomically(path, text.view(), kPrivateFileMode);
}

SignatureBytes OperatorSigner::sign(std::string_view purpose, std::string_view message) const {
  const std::string m = signed_bytes(purpose, message);
  SignatureBytes sig{};
  crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const std::uint8_t*>(m.data()), m.size(),
                       secret_key_.data());
  return sig;
}

bool verify_operator_signature(const PublicKeyBytes& key, std::string_view purpose, std::string_view message,
                               const SignatureBytes& signature) {
  ensure_sodium();
  const std::string m = signed_bytes(purpose, message);
  return crypto_sign_verify_detached(signature.data(), reinterpret_cast<const std::uint8_t*>(m.data()), m.size(),
                                     key.data()) == 0;
}

}  // namespace cst::security
