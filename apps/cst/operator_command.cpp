// cst operator: Ed25519 key pairs for the people who may approve RESTRICTED config changes,
// resume after a lockdown and approve large orders. The secret key file stays with its
// operator (mode 0600); the public key token goes into the configuration.
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "cst/security/operator_key.hpp"

namespace cst::cli {
namespace {

struct OperatorArgs {
  std::string name;
  std::string key_file;
};

int print_public(const security::OperatorSigner& signer) {
  std::cout << "operator " << signer.public_key().name << "\npublic key " << signer.public_key().token() << "\n";
  return 0;
}

}  // namespace

Runner add_operator_command(CLI::App& app) {
  auto args = std::make_shared<OperatorArgs>();
  auto* op = app.add_subcommand("operator",
                                "Operator signing keys (Ed25519).\n"
                                "Example: cst operator keygen --name alice --out alice.key");
  op->require_subcommand(1);
  auto* keygen = op->add_subcommand("keygen",
                                    "Make a key pair: writes the secret key file (0600) and prints the public\n"
                                    "key to list under [security.operators] in the config.\n"
                                    "Example: cst operator keygen --name alice --out alice.key");
  keygen->add_option("--name", args->name, "operator name (letters, digits, _ . -)")->required();
  keygen->add_option("--out", args->key_file, "secret key file to create")->required();
  auto* show = op->add_subcommand("show",
                                  "Print the public key of a secret key file.\n"
                                  "Example: cst operator show --key alice.key");
  show->add_option("--key", args->key_file, "secret key file")->required();

  return [=]() -> int {
    if (keygen->parsed()) {
      auto signer = security::OperatorSigner::generate(args->name);
      if (!signer) return fail(signer.error(), 2);
      if (Status s = signer->save(args->key_file); !s) {
        print_error(s.error().message);
        return 2;
      }
      return print_public(*signer);
    }
    if (show->parsed()) {
      auto signer = security::OperatorSigner::load(args->key_file);
      if (!signer) return fail(signer.error(), 2);
      return print_public(*signer);
    }
    return -1;
  };
}

}  // namespace cst::cli
