// Helpers the benchmarks share: realistic records and per-thread CPU time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "cst/audit/records.hpp"

namespace cst::bench {

// The decision the gateway journals for an approved order, every field set (prices with 2
// decimals, quantities with 8).
inline DecisionRecord approved_decision(std::uint64_t id, const OrderIntent& intent) {
  DecisionRecord d;
  d.decision_id = id;
  d.time = intent.time;
  d.intent = intent;
  d.verdict = Verdict::kApproved;
  d.reason = ReasonCode::kNone;
  d.approved_qty = intent.qty;
  d.approved_price = intent.limit_price;
  d.price_decimals = 2;
  d.qty_decimals = 8;
  d.market_time = intent.time;
  d.bid = Price::from_raw(4'250'000);
  d.ask = Price::from_raw(4'250'150);
  d.last = Price::from_raw(4'250'100);
  d.equity = Money::from_raw(10'012'345'678'901);
  d.cash = Money::from_raw(5'012'345'678'901);
  d.limits = LimitsInForce{1, 500, 1500, 2000, 5000, 300};
  return d;
}

// A decision that reduced the order for two reasons: the longest common record (745 bytes of
// canonical JSON).
inline DecisionRecord reduced_decision(std::uint64_t id) {
  OrderIntent in;
  in.client_order_id = *ClientOrderId::parse("bt-sma-000000012345");
  in.account = AccountId{1};
  in.instrument = InstrumentId{7};
  in.source = *SourceId::parse("sma_cross");
  in.side = Side::kBuy;
  in.type = OrderType::kLimit;
  in.qty = Qty::from_raw(12'345'678);
  in.limit_price = Price::from_raw(4'250'075);
  in.time = Timestamp{static_cast<std::int64_t>(1'700'000'000'000'000'000 + id * 1'000'000)};
  DecisionRecord d = approved_decision(id, in);
  d.verdict = Verdict::kReduced;
  d.reason = ReasonCode::kPositionLimit;
  d.reasons_mask =
      (1U << static_cast<int>(ReasonCode::kPositionLimit)) | (1U << static_cast<int>(ReasonCode::kExposureLimit));
  d.approved_qty = Qty::from_raw(10'000'000);
  return d;
}

// CPU time (ns) of this process's threads named `name`, from /proc (Linux; 0 elsewhere).
inline double thread_cpu_ns(const std::string& name) {
  double total = 0;
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", ec)) {
    std::ifstream comm(task.path() / "comm");
    std::string task_name;
    std::getline(comm, task_name);
    if (task_name != name) continue;
    std::ifstream schedstat(task.path() / "schedstat");
    double ns = 0;
    schedstat >> ns;
    total += ns;
  }
  return total;
}

}  // namespace cst::bench
