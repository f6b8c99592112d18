// cst approve ORDER_ID --state S --key K: an operator's Ed25519 approval of an order held for
// multi-signature approval. The running trader verifies it (operator of the configuration in
// force, signature over exactly this order) and sends the order once enough operators approved.
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "cst/core/hex.hpp"
#include "cst/security/operator_key.hpp"
#include "cst/security/operator_statements.hpp"
#include "cst/state/state_store.hpp"
#include "wall_clock.hpp"

namespace cst::cli {
namespace {

struct ApproveArgs {
  std::string order_id, state, key_file;
};

int approve(const ApproveArgs& a) {
  auto signer = security::OperatorSigner::load(a.key_file);
  if (!signer.ok()) return fail(signer.error(), 2);
  auto store = StateStore::open(a.state, StateOpenOptions{});
  if (!store.ok()) return fail(store.error(), 2);
  auto loaded = (*store)->load();
  auto held = (*store)->held_orders();
  if (!loaded.ok() || !held.ok()) {
    print_error(!loaded.ok() ? loaded.error().message : held.error().message);
    return 1;
  }
  const HeldOrderRow* row = nullptr;
  for (const auto& h : *held)
    if (h.client_order_id == a.order_id) row = &h;
  if (row == nullptr) {
    std::string ids;
    for (const auto& h : *held) ids += (ids.empty() ? "" : ", ") + h.client_order_id;
    print_error("no order '" + a.order_id + "' is held for approval in '" + a.state +
                "' (held: " + (ids.empty() ? "none" : ids) + ")");
    return 2;
  }
  const std::string statement = security::order_approval_statement(account_key(loaded->setup), row->client_order_id,
                                                                   row->side, row->qty, row->price, row->notional.raw);
  const std::string sig = to_hex(signer->sign(security::kOrderApprovalPurpose, statement));
  if (Status s = (*store)->add_order_approval(row->client_order_id, signer->public_key().name, sig, wall_now()); !s) {
    print_error(s.error().message);
    return 1;
  }
  std::cout << signer->public_key().name << " approved " << row->client_order_id << " (" << row->side << ", notional "
            << to_string(row->notional) << "); " << row->required << " operator approvals release it, until "
            << format_seconds(row->expires) << "\n";
  return 0;
}

}  // namespace

Runner add_approve_command(CLI::App& app) {
  auto args = std::make_shared<ApproveArgs>();
  auto* cmd = app.add_subcommand("approve",
                                 "Approve an order held for multi-signature approval (signed with an operator\n"
                                 "key; the trader verifies it). Example: cst approve sma_cross-3-7 --state\n"
                                 "paper-state.db --key alice.key");
  cmd->add_option("order_id", args->order_id, "client order id of the held order")->required();
  cmd->add_option("--state", args->state, "state file")->required();
  cmd->add_option("--key", args->key_file, "operator secret key file")->required();
  return [=]() -> int { return cmd->parsed() ? approve(*args) : -1; };
}

}  // namespace cst::cli
