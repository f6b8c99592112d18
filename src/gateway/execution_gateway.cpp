#include "cst/gateway/execution_gateway.hpp"

#include <bit>
#include <chrono>
#include <string>

#include "cst/audit/audit_journal.hpp"

namespace cst {
namespace {

std::uint64_t now_ns() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
          .count());
}

// The price an order is valued at: its limit, else the side of the book it would take,
// else the last trade.
Price reference_price(const OrderIntent& intent, const MarketSnapshot& market) {
  if (intent.type == OrderType::kLimit) return intent.limit_price;
  if (market.has_book()) return intent.side == Side::kBuy ? market.ask : market.bid;
  return market.last;
}

std::string json_escape_id(std::string_view s) {
  // Ids are restricted to [A-Za-z0-9._:/-], so they never need escaping.
  return std::string(s);
}

NoteRecord state_change_note(Timestamp now, const GatewayDecision& d, TradingState from, TradingState to) {
  return NoteRecord{now, "risk_state",
                    "{\"decision_id\":" + std::to_string(d.decision_id) + ",\"from\":\"" +
                        std::string(to_string(from)) + "\",\"to\":\"" + std::string(to_string(to)) +
                        "\",\"reason\":\"" + std::string(to_string(d.reason)) + "\"}"};
}

}  // namespace

std::uint64_t GatewayStats::decision_time_quantile_ns(double q) const {
  std::uint64_t total_count = 0;
  for (auto c : decision_time_log2) total_count += c;
  if (total_count == 0) return 0;
  const auto target = static_cast<std::uint64_t>(q * static_cast<double>(total_count));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < decision_time_log2.size(); ++i) {
    seen += decision_time_log2[i];
    if (seen > target) return std::uint64_t{1} << (i + 1);
  }
  return decision_time_max_ns;
}

ExecutionGateway::ExecutionGateway(RiskGuard& risk, ExecutionPolicy& policy, AuditJournal& journal,
                                   GatewayOptions options)
    : risk_(risk), policy_(policy), journal_(journal), options_(options), decided_(options_.expected_orders) {}

GatewayOutcome ExecutionGateway::decide(const OrderIntent& intent, const Instrument& instrument,
                                        const AccountState& account, const MarketSnapshot& market, Timestamp now) {
  const std::uint64_t start = now_ns();
  DecisionRecord rec;
  rec.decision_id = next_decision_id_++;
  rec.time = now;
  rec.intent = intent;
  rec.price_decimals = static_cast<std::int8_t>(instrument.price_decimals);
  rec.qty_decimals = static_cast<std::int8_t>(instrument.qty_decimals);
  rec.market_time = market.time;
  rec.bid = market.bid;
  rec.ask = market.ask;
  rec.last = market.last;
  rec.equity = account.equity;
  rec.cash = account.cash;
  rec.limits = risk_.limits_in_force();

  if (intent.client_order_id.empty()) {
    // Without an id there is no idempotency: refuse, and do not let it claim the empty id.
    GatewayDecision d;
    d.decision_id = rec.decision_id;
    d.requested_qty = intent.qty;
    d.reason = ReasonCode::kInvalidOrder;
    d.reasons_mask = reason_bit(ReasonCode::kInvalidOrder);
    rec.reason = d.reason;
    rec.reasons_mask = d.reasons_mask;
    const std::uint64_t elapsed = now_ns() - start;
    if (options_.journal_decision_time) rec.decision_ns = static_cast<std::int64_t>(elapsed);
    journal_.append(rec);
    count(intent, d, elapsed);
    return GatewayOutcome{d, std::nullopt, false};
  }

  if (const GatewayDecision* first = decided_.find(intent.client_order_id); first != nullptr) {
    // Never a second order for one id: journal the attempt, answer with the first decision.
    rec.verdict = Verdict::kRejected;
    rec.reason = ReasonCode::kDuplicateClientOrderId;
    rec.reasons_mask = reason_bit(ReasonCode::kDuplicateClientOrderId);
    if (options_.journal_decision_time) rec.decision_ns = static_cast<std::int64_t>(now_ns() - start);
    journal_.append(rec);
    ++stats_.duplicates;
    return GatewayOutcome{*first, std::nullopt, true};
  }

  const Price reference = reference_price(intent, market);
  const TradingState state_before = risk_.state();
  const RiskCheck risk = risk_.check(intent, instrument, account, reference);
  GatewayDecision d;
  d.decision_id = rec.decision_id;
  d.requested_qty = intent.qty;
  d.verdict = risk.verdict;
  d.reason = risk.reason;
  d.reasons_mask = risk.reasons_mask;
  if (risk.verdict != Verdict::kRejected) {
    OrderIntent sized = intent;
    sized.qty = risk.approved_qty;
    const PolicyCheck policy = policy_.check(sized, instrument, market, reference, now);
    if (policy.reason != ReasonCode::kNone) {
      // A rejection is explained by the check that rejected; a reduction before it stays in the mask.
      d.verdict = Verdict::kRejected;
      d.reason = policy.reason;
      d.reasons_mask |= policy.reasons_mask;
    } else {
      d.approved_qty = risk.approved_qty;
      d.approved_price = intent.type == OrderType::kLimit ? intent.limit_price : Price{};
    }
  }

  rec.verdict = d.verdict;
  rec.reason = d.reason;
  rec.reasons_mask = d.reasons_mask;
  rec.approved_qty = d.approved_qty;
  rec.approved_price = d.approved_price;
  const std::uint64_t elapsed = now_ns() - start;
  if (options_.journal_decision_time) rec.decision_ns = static_cast<std::int64_t>(elapsed);
  journal_.append(rec);
  // A decision that changed the trading state (a leverage attempt locks the account down) is
  // followed by a note, so the journal alone shows when and why the state changed.
  if (risk_.state() != state_before) journal_.append(state_change_note(now, d, state_before, risk_.state()));
  decided_.insert(intent.client_order_id, d);
  count(intent, d, elapsed);

  GatewayOutcome out{d, std::nullopt, false};
  if (d.approved()) {
    policy_.record_sent(intent, d.approved_qty, now);
    // The approval's intent carries the approved size and price, so a venue that reads
    // intent() cannot send what the strategy first asked for.
    OrderIntent approved = intent;
    approved.qty = d.approved_qty;
    approved.limit_price = d.approved_price;
    out.order.emplace(ApprovedOrder(approved, d.approved_qty, d.approved_price, d.decision_id));
  }
  return out;
}

ApprovedCancel ExecutionGateway::cancel(const CancelIntent& intent, Timestamp now) {
  ++stats_.cancels;
  journal_.append(NoteRecord{now, "cancel_decision",
                             "{\"client_order_id\":\"" + json_escape_id(intent.client_order_id.view()) +
                                 "\",\"source\":\"" + json_escape_id(intent.source.view()) +
                                 "\",\"verdict\":\"approved\"}"});
  return ApprovedCancel(intent);
}

void ExecutionGateway::count(const OrderIntent& intent, const GatewayDecision& d, std::uint64_t elapsed_ns) {
  const auto r = static_cast<std::size_t>(d.reason);
  VerdictCounts* source = nullptr;
  for (auto& s : stats_.by_source)
    if (s.source == intent.source) source = &s.counts;
  if (source == nullptr) source = &stats_.by_source.emplace_back(SourceCounts{intent.source, {}}).counts;
  switch (d.verdict) {
    case Verdict::kApproved:
      ++stats_.total.approved;
      ++source->approved;
      break;
    case Verdict::kReduced:
      ++stats_.total.reduced;
      ++source->reduced;
      ++stats_.reduced_by_reason[r];
      break;
    case Verdict::kRejected:
      ++stats_.total.rejected;
      ++source->rejected;
      ++stats_.rejected_by_reason[r];
      break;
  }
  const auto bucket = static_cast<std::size_t>(std::bit_width(elapsed_ns | 1) - 1);
  ++stats_.decision_time_log2[std::min(bucket, stats_.decision_time_log2.size() - 1)];
  if (elapsed_ns > stats_.decision_time_max_ns) stats_.decision_time_max_ns = elapsed_ns;
}

}  // namespace cst
