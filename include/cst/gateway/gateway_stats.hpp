// Counters the gateway keeps: decisions by verdict, by reason and by source, and decision
// time as a log2 histogram (for p50/p99 without storing samples).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "cst/core/reason_code.hpp"
#include "cst/orders/order_intent.hpp"

namespace cst {

struct VerdictCounts {
  std::uint64_t approved = 0;
  std::uint64_t reduced = 0;
  std::uint64_t rejected = 0;
};

struct SourceCounts {
  SourceId source;
  VerdictCounts counts;
};

struct GatewayStats {
  VerdictCounts total;
  std::uint64_t duplicates = 0;
  std::uint64_t cancels = 0;
  std::array<std::uint64_t, kReasonCodeCount> reduced_by_reason{};
  std::array<std::uint64_t, kReasonCodeCount> rejected_by_reason{};
  std::vector<SourceCounts> by_source;  // few sources: linear scan, insertion order
  // decision_time_log2[i] counts decisions that took [2^i, 2^(i+1)) ns.
  std::array<std::uint64_t, 40> decision_time_log2{};
  std::uint64_t decision_time_max_ns = 0;

  // Upper bound (ns) of the bucket holding quantile q (0..1) of decision times.
  std::uint64_t decision_time_quantile_ns(double q) const;
};

}  // namespace cst
