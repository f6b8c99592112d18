// StateStore: the durable state of one trading account (DESIGN.md invariants 5 and 6), so that a
// trading process killed at any instant restarts with no lost order, no lost fill, no order sent
// twice, and its kill switch / lockdown / safe mode intact. Schema: state_schema.hpp.
//
// Write-ahead rules the engine follows (engine/durable_order_log.hpp):
//   - an order is stored (with its decision id and status SUBMITTED) before the venue call;
//   - a venue acknowledgement, cancel or rejection is stored before anything acts on it;
//   - a fill is stored together with the order's new state and the portfolio it produced, in one
//     transaction, before the strategy hears of it. Its primary key is the venue's trade id, so a
//     fill reported twice (a late report after recovery already applied it) is stored once.
// Writes that change orders, fills and controls commit with synchronous=FULL (fsync); a
// portfolio save that only moves marks or peaks may ask for kProcessCrash (it survives a killed
// process, not a power cut).
//
// Opening: a missing file is created only with create_if_missing; an empty or older file gets
// the current schema (migrations); a file of another application, a newer schema, a truncated
// or corrupt one is refused with an error naming it, and nothing in it is changed.
// Single-threaded; one StateStore per process and file. Trading processes also hold a
// TraderLock (trader_lock.hpp); operator commands open the store without it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cst/core/result.hpp"
#include "cst/sqlite/database.hpp"
#include "cst/state/state_types.hpp"

namespace cst {

struct StateOpenOptions {
  bool create_if_missing = false;
  bool read_only = false;
};

enum class StateSync : std::uint8_t {
  kDurable,       // fsync at commit: survives power loss
  kProcessCrash,  // no fsync: survives the process being killed
};

class StateStore {
 public:
  static Result<std::unique_ptr<StateStore>> open(const std::string& path, const StateOpenOptions& options);
  ~StateStore();
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  // A new store has no account yet; initialize it once. An existing store refuses another setup
  // (a different instrument or starting cash) with an error naming both.
  bool has_account() const { return has_account_; }
  Status initialize(const AccountSetup& setup, Timestamp now);
  Status check_setup(const AccountSetup& setup) const;

  Result<LoadedState> load() const;
  // Increments and returns the boot counter: one per trading process start (client order ids
  // carry it, so no id is ever used twice across restarts).
  Result<std::uint64_t> next_boot();
  // The configuration now in force: its file hash and its values (JSON, the baseline the next
  // start reviews changes against), in one transaction.
  Status set_config_in_force(const std::string& hash, const std::string& values_json);

  // Before the venue call. Fails with kDuplicate if the client order id was stored before.
  Status record_new_order(const StoredOrder& order);
  // A state change without a fill (ack, cancel, reject, error, or an uncertain mark).
  Status record_order_update(const Order& order, std::string_view reason, bool uncertain);
  // The fill, the order's state after it and the portfolio after it, in one transaction.
  // `order` is null for a fill of an order not managed here (found by reconciliation).
  // false: this trade id was stored before; nothing was written.
  Result<bool> record_fill(const StoredFill& fill, const Order* order, const PortfolioSnapshot& portfolio);
  Status save_portfolio(const PortfolioSnapshot& portfolio, StateSync sync);
  Status save_controls(const Controls& controls);

  // Operator commands from another process.
  // `signature` and `clears_since`: a resume's operator signature and what it was signed to clear.
  Status add_operator_action(OperatorAction action, std::string_view reason, std::string_view operator_name,
                             Timestamp time, std::string_view signature = {}, Timestamp clears_since = {});
  Result<std::vector<PendingAction>> pending_operator_actions() const;
  Status mark_action_done(std::int64_t seq);

  // Security events: appended durably; read back from `since` on (oldest first); acknowledged
  // (by an operator's resume) up to `until`.
  Status add_security_event(const StoredSecurityEvent& e);
  Result<std::vector<StoredSecurityEvent>> security_events(Timestamp since) const;
  Status acknowledge_security_events(Timestamp until);

  // Multi-signature approval: held orders (what operators sign) and their approvals.
  Status put_held_order(const HeldOrderRow& h);
  Status set_held_status(std::string_view client_order_id, std::string_view status);
  Result<std::vector<HeldOrderRow>> held_orders() const;  // status "held" only
  Status add_order_approval(std::string_view client_order_id, std::string_view operator_name,
                            std::string_view signature, Timestamp time);
  Result<std::vector<OrderApprovalRow>> pending_order_approvals() const;
  Status mark_approval_done(std::int64_t seq);

  Status put_key_usage(const KeyUsageRow& row);
  Result<std::vector<KeyUsageRow>> key_usage() const;
  Status set_keys_journaled_until(Timestamp t);

  // Reads for `cst state show`, reconciliation and tests.
  Result<std::vector<StoredOrder>> orders() const;
  Result<std::vector<StoredFill>> fills() const;
  Result<std::vector<OrderEvent>> order_events(const ClientOrderId& id) const;
  Result<std::optional<StoredOrder>> find_order(const ClientOrderId& id) const;
  // Changes whenever another connection (an operator command) committed to the file.
  Result<std::int64_t> data_version() const;

  const std::string& path() const { return db_.path(); }

 private:
  struct Statements;
  StateStore(sqlite::Database db, std::unique_ptr<Statements> st, bool has_account);
  Status set_sync(StateSync sync);
  Status write_portfolio(const PortfolioSnapshot& portfolio);
  Status write_order_state(const Order& order, std::string_view reason, bool uncertain);

  sqlite::Database db_;
  std::unique_ptr<Statements> st_;
  bool has_account_ = false;
  StateSync sync_ = StateSync::kDurable;
};

}  // namespace cst
