#include "cst/config/config_levels.hpp"

#include <array>

namespace cst::config {

namespace {

using enum ConfigLevel;

// Why each level: RESTRICTED is what could hide losses or the audit trail, or widen risk
// (files, limits, operators, what recovery accepts); MONITORED changes behaviour an auditor
// wants to see (sizing, fees, retries); FLEXIBLE only changes the data or the pace.
constexpr std::array kSpecs{
    ParameterSpec{"account.cash", kMonitored, "starting cash of a new account"},
    ParameterSpec{"account.state", kRestricted, "the account's state file"},
    ParameterSpec{"account.journal", kRestricted, "the audit journal file"},
    ParameterSpec{"data.file", kFlexible, "bars to replay"},
    ParameterSpec{"data.format", kFlexible, "format of data.file"},
    ParameterSpec{"data.symbol", kMonitored, "instrument symbol"},
    ParameterSpec{"data.synthetic", kFlexible, "seed of built-in synthetic bars"},
    ParameterSpec{"data.bars", kFlexible, "number of synthetic bars"},
    ParameterSpec{"strategy.name", kMonitored, "strategy"},
    ParameterSpec{"strategy.size", kMonitored, "order size"},
    ParameterSpec{"strategy.params.*", kMonitored, "strategy parameters"},
    ParameterSpec{"risk.profile", kRestricted, "risk profile (conservative, moderate, aggressive)"},
    ParameterSpec{"risk.daily_loss_pct", kRestricted, "daily loss limit, % of start-of-day equity"},
    ParameterSpec{"risk.max_drawdown_pct", kRestricted, "drawdown limit, % of equity peak"},
    ParameterSpec{"risk.position_pct", kRestricted, "position limit, % of equity"},
    ParameterSpec{"risk.exposure_pct", kRestricted, "total exposure limit, % of equity"},
    ParameterSpec{"risk.leverage", kRestricted, "leverage ceiling (x)"},
    ParameterSpec{"risk.emergency_loss_pct", kRestricted, "emergency stop, % loss of start-of-day equity"},
    ParameterSpec{"venue.file", kRestricted, "the paper exchange's book"},
    ParameterSpec{"venue.commission_bps", kMonitored, "commission"},
    ParameterSpec{"venue.maker_bps", kMonitored, "maker fee"},
    ParameterSpec{"venue.taker_bps", kMonitored, "taker fee"},
    ParameterSpec{"venue.allow_short", kRestricted, "short selling"},
    ParameterSpec{"venue.slippage_bps", kFlexible, "paper fill model: slippage"},
    ParameterSpec{"venue.spread_bps", kFlexible, "paper fill model: spread"},
    ParameterSpec{"venue.partial_probability", kFlexible, "paper fill model: partial fills"},
    ParameterSpec{"venue.partial_ratio", kFlexible, "paper fill model: partial ratio"},
    ParameterSpec{"venue.latency_ms", kFlexible, "paper fill model: latency"},
    ParameterSpec{"venue.seed", kFlexible, "paper fill model: seed"},
    ParameterSpec{"venue.cancel_on_disconnect", kMonitored, "venue cancels our orders when we disconnect"},
    ParameterSpec{"paper.speed", kFlexible, "replay speed"},
    ParameterSpec{"paper.reconcile_interval_ms", kMonitored, "reconciliation interval"},
    ParameterSpec{"paper.balance_tolerance", kRestricted, "balance difference accepted by reconciliation"},
    ParameterSpec{"paper.unknown_orders", kRestricted, "what recovery does with orders it does not know"},
    ParameterSpec{"paper.warm_up_bars", kFlexible, "strategy warm-up after a restart"},
    ParameterSpec{"paper.retry_attempts", kMonitored, "retries of transient venue errors"},
    ParameterSpec{"paper.retry_backoff_ms", kMonitored, "first retry wait"},
    ParameterSpec{"keys.source", kRestricted, "where the venue's API key comes from (vault, env, none)"},
    ParameterSpec{"keys.vault", kRestricted, "the key vault file"},
    ParameterSpec{"keys.venue", kRestricted, "the venue name the key is stored under"},
    ParameterSpec{"keys.allowed_hours", kRestricted, "UTC hours a key may be used (e.g. 0-24, 22-6)"},
    ParameterSpec{"keys.rate_factor", kMonitored, "request rate above this x baseline is an anomaly"},
    ParameterSpec{"security.level", kRestricted, "security preset (conservative, moderate, aggressive)"},
    ParameterSpec{"security.operators.*", kRestricted, "operators and their Ed25519 public keys"},
    ParameterSpec{"security.config_approvals", kRestricted, "operator approvals a RESTRICTED change needs"},
    ParameterSpec{"security.config_check_interval_ms", kRestricted, "how often the running file is re-hashed"},
    ParameterSpec{"security.violation_window_s", kRestricted, "3 security violations within this lock down"},
    ParameterSpec{"security.flatten_on_lockdown", kRestricted, "close the position when a security lockdown starts"},
    ParameterSpec{"security.multisig_notional", kRestricted,
                  "orders of at least this notional need operators' approval"},
    ParameterSpec{"security.multisig_required", kRestricted, "operator approvals such an order needs (M of N)"},
    ParameterSpec{"security.multisig_timeout_s", kRestricted, "a held order is rejected after this long"},
};

}  // namespace

std::string_view to_string(ConfigLevel level) {
  switch (level) {
    case kLocked: return "LOCKED";
    case kRestricted: return "RESTRICTED";
    case kMonitored: return "MONITORED";
    case kFlexible: return "FLEXIBLE";
  }
  return "unknown";
}

std::span<const ParameterSpec> parameter_specs() { return kSpecs; }

std::optional<ConfigLevel> level_of(std::string_view key) {
  for (const ParameterSpec& s : kSpecs) {
    if (s.key == key) return s.level;
    if (s.key.ends_with(".*") && key.size() > s.key.size() - 1 && key.starts_with(s.key.substr(0, s.key.size() - 1))) {
      return s.level;
    }
  }
  return std::nullopt;
}

}  // namespace cst::config
