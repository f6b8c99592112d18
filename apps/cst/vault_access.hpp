// How the CLI gets the vault passphrase and API secrets: a file descriptor (--passphrase-fd,
// --secret-fd), an environment variable (CST_VAULT_PASSPHRASE by default), or the terminal
// with echo off. Never a command-line value: `ps` and shell history would show it.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <utility>

#include "cst/core/result.hpp"
#include "cst/security/key_vault.hpp"

namespace cst::cli {

struct VaultArgs {
  std::string vault;
  int passphrase_fd = -1;
  std::string passphrase_env = "CST_VAULT_PASSPHRASE";
};

// Registers --vault, --passphrase-fd and --passphrase-env on `cmd`.
void add_vault_options(CLI::App* cmd, VaultArgs& args);

// `confirm` asks twice on a terminal (creating a vault).
Result<security::SecureBuffer> obtain_passphrase(const VaultArgs& args, bool confirm);
Result<security::KeyVault> open_vault(const VaultArgs& args);

struct ApiSecret {
  security::SecureBuffer api_key;
  security::SecureBuffer api_secret;
};
// Two lines (API key, then API secret) from `fd`, or prompts when fd < 0 and stdin is a
// terminal, or two lines of stdin.
Result<ApiSecret> obtain_api_secret(int fd, const std::string& venue);

}  // namespace cst::cli
