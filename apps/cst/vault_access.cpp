#include "vault_access.hpp"

#include <unistd.h>

#include <cstdlib>

#include "cst/core/environment.hpp"
#include "cst/security/secret_input.hpp"

namespace cst::cli {

using security::SecureBuffer;

void add_vault_options(CLI::App* cmd, VaultArgs& args) {
  const char* env_vault = env_value("CST_VAULT");
  args.vault = env_vault != nullptr ? env_vault : "cst.vault";
  cmd->add_option("--vault", args.vault, "vault file (default: $CST_VAULT, else ./cst.vault)");
  cmd->add_option("--passphrase-fd", args.passphrase_fd, "read the passphrase from this file descriptor");
  cmd->add_option("--passphrase-env", args.passphrase_env,
                  "read the passphrase from this environment variable (default CST_VAULT_PASSPHRASE)");
}

Result<SecureBuffer> obtain_passphrase(const VaultArgs& args, bool confirm) {
  if (args.passphrase_fd >= 0) return security::read_secret_line(args.passphrase_fd, "vault passphrase");
  if (env_value(args.passphrase_env.c_str()) != nullptr) {
    return security::take_secret_from_env(args.passphrase_env.c_str());
  }
  auto first = security::prompt_secret("vault passphrase");
  if (!first || !confirm) return first;
  auto second = security::prompt_secret("vault passphrase again");
  if (!second) return second;
  if (!first->equals(second->bytes())) return make_error(ErrorCode::kInvalidArgument, "the two passphrases differ");
  return first;
}

Result<security::KeyVault> open_vault(const VaultArgs& args) {
  auto passphrase = obtain_passphrase(args, false);
  if (!passphrase) return passphrase.error();
  return security::KeyVault::open(args.vault, *passphrase);
}

Result<ApiSecret> obtain_api_secret(int fd, const std::string& venue) {
  ApiSecret out;
  if (fd < 0 && ::isatty(STDIN_FILENO) == 1) {
    auto key = security::prompt_secret("API key for " + venue);
    if (!key) return key.error();
    auto secret = security::prompt_secret("API secret for " + venue);
    if (!secret) return secret.error();
    out.api_key = std::move(*key);
    out.api_secret = std::move(*secret);
    return out;
  }
  const int from = fd < 0 ? STDIN_FILENO : fd;
  auto key = security::read_secret_line(from, "API key");
  if (!key) return key.error();
  auto secret = security::read_secret_line(from, "API secret");
  if (!secret) return secret.error();
  out.api_key = std::move(*key);
  out.api_secret = std::move(*secret);
  return out;
}

}  // namespace cst::cli
