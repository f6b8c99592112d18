// Paper trading: the engine of the backtest (same OrderFlow, gateway, portfolio, strategy API)
// on a wall-clock paced replay of recorded bars, against a PaperExchange that keeps its own
// persistent book of our orders, with the account's state in a StateStore so that the process
// can be killed at any instant and restarted (DESIGN.md invariants 3, 5, 6).
//
// Start-up (recovery), before any new order is allowed:
//   1. take the trader lock, open state store, journal (fsync per commit) and exchange;
//   2. restore portfolio, kill switch / lockdown / safe mode, and the orders left working;
//   3. the exchange catches up on the bars it would have matched while we were down;
//   4. sync with the venue: query every order left SUBMITTED (never re-sent if the venue does
//      not have it), apply the fills we missed (exactly once, by trade id), settle orders the
//      venue ended, handle orders we do not know (cancel or adopt), compare balances (a mismatch
//      beyond tolerance → safe mode);
//   5. guardian: cancel what is still working (a restart is a lost connection; venues with
//      cancel-on-disconnect already did), then trading resumes. All of it is journaled.
// Each bar: day roll → exchange matches → marks → loss limits → strategy → operator commands
// (`cst kill`/`cst resume` from another process) → reconciliation when due (wall clock).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cst/config/config_review.hpp"
#include "cst/core/result.hpp"
#include "cst/engine/backtest_engine.hpp"
#include "cst/engine/order_flow.hpp"
#include "cst/engine/venue_sync.hpp"
#include "cst/risk/risk_guard.hpp"
#include "cst/security/key_manager.hpp"
#include "cst/security/key_vault.hpp"
#include "cst/security/security_level.hpp"
#include "cst/venues/paper_venue.hpp"

namespace cst {

// What a drill (a test, a fire drill) may touch after each bar: the exchange (inject a fill,
// an order, a balance change) and the connection (disconnect, reconnect).
struct PaperDrill {
  PaperExchange& exchange;
  PaperVenue& venue;
  std::uint64_t bar_index;  // bars processed by this process, counting from 1
  Timestamp now;
};

struct PaperOptions {
  std::string state_path;
  std::string journal_path;
  std::string venue_path;
  double speed = 100.0;  // replay speed against the wall clock; 0: as fast as possible
  std::chrono::milliseconds reconcile_interval{3000};
  Money balance_tolerance = Money::from_raw(1'000'000);  // 0.01 in quote currency
  RetryPolicy retry;                                     // transient venue errors: 3 retries, 1 s backoff doubling
  UnknownOrderPolicy unknown_orders = UnknownOrderPolicy::kCancel;
  PaperFaults faults;
  std::uint64_t max_bars = 0;  // stop after this many bars in this process; 0: until the data ends
  // After a restart the strategy first sees up to this many of the bars already traded, ending
  // where the replay resumes, with every order refused (kWarmUp): its indicators then stand
  // where an uninterrupted run's would. 0: none.
  std::uint64_t warm_up_bars = UINT64_MAX;
  std::string config_hash;  // of the configuration in force; journaled and stored
  // Configuration control (DESIGN.md section 7). Before anything trades, the file's values are
  // reviewed against the configuration last in force (config_review.hpp): a RESTRICTED change
  // without enough operator approvals is tampering, so the account is locked down (persisted)
  // and the start refused. While running, `config_path` is re-hashed every
  // config_check_interval (0: every bar): any change to the file → lockdown.
  config::ConfigValues config_values;
  // Security level preset: violation window and count for the lockdown triggers and threat level.
  security::SecurityPreset security;
  // API keys (DESIGN.md section 7). When set, every request to the venue is signed with the key
  // manager's usable key for `venue`: with none usable (rotation overdue, revoked) no request is
  // made and no new risk is approved (kNoUsableKey). Findings are journaled as key events; a
  // compromised key is revoked in the vault (when one is open) and locks the account down.
  struct KeyAccess {
    std::string venue;
    std::vector<security::KeyInfo> keys;
    security::KeyVault* vault = nullptr;
    security::KeyPolicy policy;
  };
  std::optional<KeyAccess> keys;
  // Multi-signature approval (DESIGN.md section 7): an order of at least `threshold` notional
  // is held after the gateway approves it until `required` distinct operators of the
  // configuration in force sign it (`cst approve`), or rejected after `timeout`. A held order is
  // never sent before that, and one still held when the trader stops is rejected.
  struct Multisig {
    Money threshold;  // 0: off
    int required = 2;
    Duration timeout = Duration::from_seconds(300);
  };
  Multisig multisig;
  // On a security lockdown, also close the position (a reduce-only market order at the next bar).
  bool flatten_on_lockdown = false;
  // People's time (key expiry and use, approval timeouts), apart from the replay's clock.
  // Default: the system clock.
  std::function<Timestamp()> wall_clock;
  std::vector<config::ConfigApproval> config_approvals;
  std::string config_path;
  std::chrono::milliseconds config_check_interval{1000};
  // Told one line per notable event (recovery, fills, kills) for the console.
  std::function<void(const std::string&)> progress;
  // Told every alert (safe mode entered, a loss limit's kill or lockdown, the venue lost), also
  // when `progress` is not set; journaled either way.
  std::function<void(const std::string&)> alert;
  // Set (e.g. from a SIGINT/SIGTERM handler) to stop after the current bar, closing cleanly.
  const std::atomic<bool>* stop = nullptr;
  // Called after each bar; returning true runs a reconciliation at once.
  std::function<bool(PaperDrill&)> drill;
};

struct PaperRun {
  std::uint64_t boot = 0;
  std::uint64_t bars = 0;  // processed by this process
  std::uint64_t orders_sent = 0;
  std::uint64_t fills = 0;
  SyncOutcome recovery;
  std::uint64_t reconciliations = 0;
  std::vector<SyncOutcome> last_reconciliations;  // the most recent ones (up to 100), oldest first
  std::uint64_t disconnects = 0;                  // connection losses the guardian handled
  bool data_exhausted = false;                    // the replay reached the end of the data
  Money equity;
  Money cash;
  Qty position;
  TradingState trading_state = TradingState::kActive;
  bool safe_mode = false;
  std::string journal_head_hash;
};

// Runs paper trading on `bars` until they end (or max_bars). Setup errors (locked or damaged
// state, research profile, another account's state file) are returned before anything trades.
Result<PaperRun> run_paper(const BacktestConfig& config, std::span<const Bar> bars, Strategy& strategy,
                           const PaperOptions& options);

// `cst reconcile --once`: recovers like a start-up, runs one reconciliation, and stops.
Result<SyncOutcome> reconcile_paper_once(const BacktestConfig& config, std::span<const Bar> bars, Strategy& strategy,
                                         const PaperOptions& options);

}  // namespace cst
