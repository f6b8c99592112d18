#include "cst/risk/risk_limits.hpp"

namespace cst {

std::string_view to_string(RiskProfile p) {
  switch (p) {
    case RiskProfile::kConservative: return "conservative";
    case RiskProfile::kModerate: return "moderate";
    case RiskProfile::kAggressive: return "aggressive";
    case RiskProfile::kResearch: return "research";
  }
  return "unknown";
}

std::optional<RiskProfile> parse_risk_profile(std::string_view name) {
  for (auto p : {RiskProfile::kConservative, RiskProfile::kModerate, RiskProfile::kAggressive, RiskProfile::kResearch})
    if (to_string(p) == name) return p;
  return std::nullopt;
}

std::string_view to_string(TradingMode m) {
  switch (m) {
    case TradingMode::kBacktest: return "backtest";
    case TradingMode::kPaper: return "paper";
    case TradingMode::kLive: return "live";
  }
  return "unknown";
}

RiskLimits limits_for(RiskProfile profile) {
  switch (profile) {
    // The predecessor's defaults are `moderate`; the others scale them by 1/2 and 2x.
    case RiskProfile::kConservative: return RiskLimits{100, 500, 100, 1000, 1000, 500};
    case RiskProfile::kModerate: return RiskLimits{200, 1000, 200, 2000, 1000, 1000};
    case RiskProfile::kAggressive: return RiskLimits{400, 2000, 400, 4000, 1000, 2000};
    // Loss limits off (100%), position and exposure up to the 10x leverage ceiling, so a
    // backtest is never shaped by limits other engines do not have.
    case RiskProfile::kResearch: return RiskLimits{10000, 10000, 100000, 100000, 1000, 10000};
  }
  return limits_for(RiskProfile::kModerate);
}

namespace {

std::string percent(std::int64_t bp) {
  return std::to_string(bp / 100) + "." + (bp % 100 < 10 ? "0" : "") + std::to_string(bp % 100) + "%";
}

}  // namespace

std::string limits_outside_ceilings(const RiskLimits& l) {
  struct Check {
    const char* name;
    std::int64_t value, ceiling;
    bool leverage;
  };
  const Check checks[] = {{"daily loss", l.daily_loss_bp, kHardCeilings.daily_loss_bp, false},
                          {"max drawdown", l.max_drawdown_bp, kHardCeilings.max_drawdown_bp, false},
                          {"position size", l.position_bp, kHardCeilings.position_bp, false},
                          {"total exposure", l.exposure_bp, kHardCeilings.exposure_bp, false},
                          {"leverage", l.leverage_x100, kHardCeilings.leverage_x100, true},
                          {"emergency loss", l.emergency_loss_bp, kHardCeilings.emergency_loss_bp, false}};
  for (const Check& c : checks) {
    // Leverage is stored x100 (1000 = 10.00x); the rest in basis points.
    const auto show = [&](std::int64_t v) {
      return c.leverage ? std::to_string(v / 100) + "." + (v % 100 < 10 ? "0" : "") + std::to_string(v % 100) + "x"
                        : percent(v);
    };
    if (c.value <= 0) return std::string(c.name) + " " + show(c.value) + " must be positive";
    if (c.value > c.ceiling) {
      return std::string(c.name) + " " + show(c.value) + " is above the hard ceiling of " + show(c.ceiling);
    }
  }
  return {};
}

}  // namespace cst
