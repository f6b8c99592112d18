// Property, end to end: seeded random order sequences through the real ExecutionGateway
// (RiskGuard, ExecutionPolicy, SQLite AuditJournal in a temporary directory) into the real
// SimVenue, with bars advancing. A sequence draws market and limit orders, buys and sells,
// reduce-only orders, quantities at, just past and far past the limits, cancels, re-submitted
// client order ids, and enters and leaves the kill switch, lockdown and safe mode. The test keeps
// its own books from what the gateway answers and the venue reports, and checks one rule of
// DESIGN.md section 3 per TEST, each with its own seed and action mix, after every step:
//   - approved size: no approval beyond the limits (recomputed by support/risk_properties.hpp);
//     the ApprovedOrder carries exactly the decided quantity and price, and the venue trades
//     no more than that, no worse than the limit, and ends an order only when filled or told;
//   - safe states: kill switch, lockdown and safe mode approve only orders that reduce the
//     position; cancels are always approved, counted and carried out;
//   - accounts: position == signed sum of fills; cash == initial - buys + sells - fees exactly;
//   - idempotency: a re-submitted id gets the first decision and nothing a venue could take;
//   - journal (every kJournalCheckEvery steps and at the end of a case): the hash chain verifies
//     and holds one record per decision, cancel and state change; read back after close, the
//     records are exactly those decisions and cancels, in order.
// A failure names the base seed, the case and its seed, the step and the action: runs are
// deterministic, so running the test again replays the failing step.
//
// Each case is a fresh account: its own RiskGuard, ExecutionPolicy, ExecutionGateway, Portfolio
// and SimVenue. Opening a journal costs milliseconds, so consecutive cases share one journal
// file (a new one every kCasesPerJournal cases), as runs that reopen a journal continue its chain.
//
// Units (TEST-USD, support/trading_fixtures.hpp): price raw 10'000 = 100.00, tick raw 5;
// qty raw 1'000 = 1.000, lot raw 10; notional money raw = price raw × qty raw × 1000.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cst/portfolio/portfolio.hpp"
#include "cst/venues/sim_venue.hpp"
#include "support/engine_venue_rig.hpp"
#include "support/gateway_harness.hpp"
#include "support/risk_expectations.hpp"
#include "support/risk_properties.hpp"

namespace cst {
namespace {

constexpr RiskProfile kProfile = RiskProfile::kModerate;
constexpr Duration kBarLength = Duration::from_seconds(60);
constexpr Timestamp kStart = Timestamp::from_seconds(1'704'067'200);  // a UTC midnight: one day
constexpr int kJournalCheckEvery = 20;                                // steps (journal rule)
constexpr int kCasesPerJournal = 10;

enum class Rule : std::uint8_t { kLimits, kSafeStates, kAccounting, kIdempotency, kJournal };

// Weights with which a step draws each action.
struct ActionMix {
  int bar = 25;             // a bar opens or closes at the venue
  int order = 45;           // a new order
  int resubmit = 5;         // an order under a client order id decided before
  int cancel = 15;          // a cancel of a working, an ended or an unknown order
  int state = 6;            // kill switch, lockdown, safe mode on or off, operator resume
  int resume_percent = 65;  // of state actions: the operator resumes (else kill, lockdown, safe mode)
};

// What the sequences reached, so that no test passes by never exercising its rule.
struct Coverage {
  int steps = 0, approved = 0, reduced = 0, rejected = 0, fills = 0, maker_fills = 0, partial_fills = 0;
  int short_steps = 0, lockdowns_by_decision = 0, safe_decisions = 0, safe_approvals = 0, safe_rejections = 0;
  int safe_cancels = 0, duplicates = 0, duplicates_of_sent = 0, journal_checks = 0;
};

// What the test knows of one order the gateway approved and sent.
struct ModelOrder {
  Side side = Side::kBuy;
  OrderType type = OrderType::kMarket;
  Qty approved;
  Price price;       // approved price (zero for market orders)
  Price reserve_at;  // the price its open buy quantity holds cash at
  Qty filled;
  int accepted = 0;     // kAccepted reports
  bool done = false;    // filled in full, cancelled or rejected
  bool partly = false;  // filled in more than one piece
};

// A decision record as the journal must hold it.
struct ExpectedDecision {
  std::uint64_t decision_id = 0;  // each case's gateway counts from 1
  std::string client_order_id;
  std::string verdict;
  std::string reason;
  std::int64_t approved_qty = 0;
};

struct CaseSetup {
  SimVenueConfig venue;
  ExecutionPolicyConfig policy;
  Money cash;
  Price start;
};

CaseSetup draw_setup(Rng& rng) {
  CaseSetup s;
  s.venue.timing = rng.bernoulli(0.5) ? FillTiming::kNextOpen : FillTiming::kThisClose;
  s.venue.allow_short = rng.bernoulli(0.5);
  if (rng.bernoulli(0.5)) {  // the paper fill knobs, deterministic with their own seed
    s.venue.model.slippage_bps = static_cast<std::int64_t>(rng.next_u64() % 11);
    s.venue.model.spread_bps = static_cast<std::int64_t>(rng.next_u64() % 6);
    s.venue.model.partial_probability = rng.bernoulli(0.5) ? 0.3 : 0.0;
    s.venue.model.latency = rng.bernoulli(0.3) ? Duration::from_ms(50) : Duration{};
    s.venue.model.seed = rng.next_u64();
  }
  s.policy.collar_bps = rng.bernoulli(0.5) ? 1'000 : 0;  // limits more than 10% off the market: rejected
  // 5,000 .. 4,950,000 USD over three decades: the 2% position limit is a few lots of the dearest
  // price or many thousands of the cheapest.
  const std::int64_t decade = std::int64_t{5'000} * (rng.next_u64() % 3 == 0 ? 1 : rng.bernoulli(0.5) ? 10 : 100);
  s.cash = test::usd(decade * static_cast<std::int64_t>(10 + rng.next_u64() % 90) / 10);
  s.start = test::cents(5 * static_cast<std::int64_t>(200 + rng.next_u64() % 99'800));  // 10.00 .. 5,000.00
  return s;
}

// The value of `key` in a flat JSON payload (first occurrence), without quotes.
std::string field(std::string_view payload, std::string_view key) {
  const std::string needle = "\"" + std::string(key) + "\":";
  std::size_t at = payload.find(needle);
  if (at == std::string_view::npos) return "<missing " + std::string(key) + ">";
  at += needle.size();
  if (at < payload.size() && payload[at] == '"')
    return std::string(payload.substr(at + 1, payload.find('"', at + 1) - at - 1));
  return std::string(payload.substr(at, payload.find_first_of(",}", at) - at));
}

std::string hex(std::uint64_t v) {
  std::ostringstream s;
  s << "0x" << std::hex << v;
  return s.str();
}

// One journal file and what it must hold, shared by consecutive cases.
class SharedJournal {
 public:
  explicit SharedJournal(std::string path) : path_(std::move(path)) {
    JournalOptions options;
    options.durability = JournalDurability::kNone;  // durability is the journal's own tests' concern
    options.queue_capacity = 1024;
    auto journal = AuditJournal::open(path_, options);
    if (journal.ok())
      journal_ = std::move(*journal);
    else
      ADD_FAILURE() << path_ << ": " << journal.error().message;
  }
  bool ready() const { return journal_ != nullptr; }
  AuditJournal& journal() { return *journal_; }
  const std::string& path() const { return path_; }
  std::size_t expected_records() const { return decisions.size() + cancels.size() + state_notes; }

  std::vector<ExpectedDecision> decisions;  // one per decide(), in order
  std::vector<std::string> cancels;         // one per cancel, in order
  std::size_t state_notes = 0;              // decisions that changed the trading state

  // The chain verifies now (the journal still open) and holds one record per decision, cancel
  // and decision-made state change so far; empty if so, else what is wrong.
  std::string check_so_far() {
    const Status flushed = journal_->flush();
    if (!flushed.ok()) return "flush: " + flushed.error().message;
    const auto report = verify_journal(path_);
    if (!report.ok()) return "verify: " + report.error().message;
    if (!report->ok) return "chain broken at seq " + std::to_string(report->first_bad_seq) + ": " + report->problem;
    if (report->records != expected_records())
      return std::to_string(report->records) + " records, expected " + std::to_string(expected_records()) + " (" +
             std::to_string(decisions.size()) + " decisions, " + std::to_string(cancels.size()) + " cancels, " +
             std::to_string(state_notes) + " state changes)";
    return "";
  }

  // Closes the journal and reads it back: sealed, and its records are exactly the decisions,
  // cancels and state changes made, in order.
  std::string close_and_check() {
    const Status closed = journal_->close();
    if (!closed.ok()) return "close: " + closed.error().message;
    const test::JournalContents j = test::read_journal(path_);
    if (!j.report.ok || !j.report.sealed) return "the closed journal does not verify as sealed: " + j.report.problem;
    if (j.decisions.size() != decisions.size())
      return std::to_string(j.decisions.size()) + " decision records for " + std::to_string(decisions.size()) +
             " decisions";
    for (std::size_t k = 0; k < decisions.size(); ++k) {
      const ExpectedDecision& e = decisions[k];
      const std::string& p = j.decisions[k];
      if (field(p, "decision_id") != std::to_string(e.decision_id) ||
          field(p, "client_order_id") != e.client_order_id || field(p, "verdict") != e.verdict ||
          field(p, "reason") != e.reason ||
          field(p, "approved_qty") != format_decimal(e.approved_qty, test::test_instrument().qty_decimals, false))
        return "decision record " + std::to_string(k) + " is " + p + "; expected " + std::to_string(e.decision_id) +
               " '" + e.client_order_id + "' " + e.verdict + " " + e.reason + " " + std::to_string(e.approved_qty);
    }
    std::vector<std::string> cancelled;
    for (const auto& [kind, payload] : j.notes)
      if (kind == "cancel_decision") cancelled.push_back(field(payload, "client_order_id"));
    if (cancelled != cancels) return "the cancel records are not the cancels made, in order";
    if (j.count_notes("risk_state") != state_notes) return "the state-change records are not the state changes made";
    if (j.report.records != expected_records() + 1) return "records other than decisions, cancels, state changes, seal";
    return "";
  }

 private:
  std::string path_;
  std::unique_ptr<AuditJournal> journal_;
};

class Sequence {
 public:
  Sequence(Rule rule, const ActionMix& mix, std::uint64_t seed, SharedJournal& journal, Coverage& coverage)
      : rule_(rule),
        mix_(mix),
        coverage_(coverage),
        rng_(seed),
        setup_(draw_setup(rng_)),
        journal_(journal),
        risk_(test::make_guard(kProfile, TradingMode::kBacktest)),
        policy_(setup_.policy),
        gateway_(risk_, policy_, journal.journal(), GatewayOptions{false, 128}),
        portfolio_(setup_.cash),
        listener_(portfolio_),
        venue_(inst_, setup_.venue, portfolio_, listener_),
        mark_(setup_.start),
        cash_(setup_.cash.raw),
        now_(kStart) {
    ready_ = portfolio_.add_instrument(inst_).ok() && portfolio_.mark(inst_.id, mark_).ok();
  }

  bool ready() const { return ready_; }

  // One random action, then this sequence's rule; empty if it held, else what broke.
  std::string step() {
    problem_.clear();
    std::int64_t pick =
        static_cast<std::int64_t>(below(mix_.bar + mix_.order + mix_.resubmit + mix_.cancel + mix_.state));
    now_ = now_ + Duration::from_ms(1);
    if ((pick -= mix_.bar) < 0) {
      advance_bar();
    } else if ((pick -= mix_.order) < 0) {
      submit(new_intent());
    } else if ((pick -= mix_.resubmit) < 0) {
      submit(decided_.empty() ? new_intent() : resubmitted_intent());
    } else if ((pick -= mix_.cancel) < 0) {
      cancel_one();
    } else {
      change_state();
    }
    process_reports();
    check_after_step();
    ++coverage_.steps;
    return problem_.empty() ? problem_ : action_ + " → " + problem_;
  }

  // The end of the sequence: for the journal rule, the chain verifies with everything in it.
  std::string finish() {
    if (rule_ != Rule::kJournal || steps_ % kJournalCheckEvery == 0) return "";  // just checked
    ++coverage_.journal_checks;
    return journal_.check_so_far();
  }

 private:
  RiskGuard& risk() { return risk_; }
  std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : rng_.next_u64() % n; }
  std::int64_t signed_below(std::int64_t n) { return static_cast<std::int64_t>(below(2 * n + 1)) - n; }
  void fail(Rule rule, const std::string& what) {
    if (rule == rule_ && problem_.empty()) problem_ = what;
  }
  std::string state_text() { return std::string(to_string(risk().state())) + (risk().safe_mode() ? "+safe_mode" : ""); }

  // ---- the test's own books ----

  int128 equity() const { return cash_ + test::test_notional(pos_, mark_); }

  // The account as the gateway must see it, from the test's books only.
  AccountState account_state() const {
    AccountState a;
    a.equity = Money::from_raw(static_cast<std::int64_t>(equity()));
    a.cash = Money::from_raw(static_cast<std::int64_t>(cash_));
    int128 open_buy = 0, open_sell = 0, reserved = 0;
    for (const auto& [id, o] : orders_) {
      if (o.done) continue;
      const std::int64_t open = o.approved.raw - o.filled.raw;
      if (o.side == Side::kSell) {
        open_sell += open;
        continue;
      }
      open_buy += open;
      const int128 notional = test::test_notional(open, o.reserve_at);
      reserved += notional + (notional * inst_.taker_fee.ppm + 999'999) / 1'000'000;
    }
    a.reserved_cash = Money::from_raw(static_cast<std::int64_t>(reserved));
    a.start_of_day_equity = portfolio_.start_of_day_equity();
    a.equity_peak = portfolio_.equity_peak();
    a.instrument = {Qty::from_raw(static_cast<std::int64_t>(pos_)), Qty::from_raw(static_cast<std::int64_t>(open_buy)),
                    Qty::from_raw(static_cast<std::int64_t>(open_sell))};
    const int128 worst = std::max(test::abs_i128(pos_ + open_buy), test::abs_i128(pos_ - open_sell));
    a.instrument_exposure = Money::from_raw(static_cast<std::int64_t>(test::test_notional(worst, mark_)));
    a.gross_exposure = a.instrument_exposure;  // one instrument
    a.allow_short = setup_.venue.allow_short;
    return a;
  }

  // ---- actions ----

  std::int64_t on_tick(std::int64_t raw) const {
    return std::max(inst_.tick_size.raw, raw / inst_.tick_size.raw * inst_.tick_size.raw);
  }
  std::int64_t moved(std::int64_t raw, std::int64_t bp) const { return on_tick(raw + raw * bp / 10'000); }

  void advance_bar() {
    if (!in_bar_) {
      const std::int64_t prev = mark_.raw;
      const std::int64_t open = below(10) == 0 ? moved(prev, signed_below(300)) : prev;  // sometimes a gap
      const std::int64_t close = moved(open, signed_below(200));
      const std::int64_t high = moved(std::max(open, close), static_cast<std::int64_t>(below(100)));
      const std::int64_t low = moved(std::min(open, close), -static_cast<std::int64_t>(below(100)));
      bar_ = Bar{kStart + Duration{kBarLength.ns * bar_index_++},
                 Price::from_raw(open),
                 Price::from_raw(high),
                 Price::from_raw(low),
                 Price::from_raw(close),
                 test::units(1'000)};
      action_ = "bar open " + std::to_string(open) + " high " + std::to_string(high) + " low " + std::to_string(low) +
                " close " + std::to_string(close);
      now_ = std::max(now_, bar_.time);  // decisions after the last close stay in time order
      venue_.on_bar_open(bar_);
      mark(bar_.open);
      in_bar_ = true;
      return;
    }
    action_ = "bar close";
    now_ = bar_.time + kBarLength;
    venue_.on_bar_close(bar_, now_);
    mark(bar_.close);
    in_bar_ = false;
    process_reports();
    (void)risk().update(account_state());  // loss limits, as the engine evaluates them after each bar
  }

  void mark(Price p) {
    mark_ = p;
    if (!portfolio_.mark(inst_.id, p).ok())
      fail(Rule::kAccounting, "the portfolio refused mark " + std::to_string(p.raw));
  }

  Qty draw_qty() {
    const int128 lot_value = test::test_notional(inst_.lot_step.raw, mark_);
    const auto limit_lots = static_cast<std::int64_t>(
        std::max<int128>(0, equity()) * test::documented_limits(kProfile).position_bp / 10'000 / lot_value);
    const std::int64_t held_lots = static_cast<std::int64_t>(test::abs_i128(pos_) / inst_.lot_step.raw);
    // Percent of orders at, one lot past and one lot short of the position limit; the whole
    // position; past 100% of equity (a ceiling attempt: lockdown); past the 10x leverage ceiling.
    // The rest anywhere below three times the limit.
    const std::int64_t sizes[] = {limit_lots,
                                  limit_lots + 1,
                                  std::max<std::int64_t>(limit_lots - 1, 1),
                                  std::max<std::int64_t>(held_lots, 1),
                                  (limit_lots + 1) * 60,
                                  (limit_lots + 1) * 600};
    const int percent[] = {10, 5, 5, 10, 2, 1};
    std::int64_t lots = 1 + static_cast<std::int64_t>(below(3 * static_cast<std::uint64_t>(limit_lots) + 3));
    int pick = static_cast<int>(below(100));
    for (std::size_t k = 0; k < std::size(sizes); ++k) {
      if (pick < percent[k]) {
        lots = sizes[k];
        break;
      }
      pick -= percent[k];
    }
    const std::uint64_t odd = below(100);
    if (odd == 0) return Qty{};                                         // not a quantity
    if (odd == 1) return Qty::from_raw(lots * inst_.lot_step.raw + 5);  // off the lot grid
    return Qty::from_raw(lots * inst_.lot_step.raw);
  }

  Price draw_limit() {
    const std::uint64_t pick = below(100);
    const std::int64_t bp = pick < 8 ? signed_below(2'000) : signed_below(200);  // ±20% (collar) or ±2%
    const std::int64_t raw = moved(mark_.raw, bp);
    return Price::from_raw(pick == 99 ? raw + 1 : raw);  // rarely off the tick grid
  }

  OrderIntent new_intent() {
    OrderIntent o;
    if (below(200) != 0) o.client_order_id = test::coid("o-" + std::to_string(next_id_++));  // else empty: refused
    o.account = AccountId{1};
    o.instrument = inst_.id;
    o.source = test::source("property");
    o.side = rng_.bernoulli(0.5) ? Side::kBuy : Side::kSell;
    o.type = rng_.bernoulli(0.5) ? OrderType::kMarket : OrderType::kLimit;
    o.qty = draw_qty();
    if (o.type == OrderType::kLimit) o.limit_price = draw_limit();
    o.reduce_only = rng_.bernoulli(0.15);
    o.time = now_;
    return o;
  }

  // Another intent (maybe a different side, size or type) under an id already decided on.
  OrderIntent resubmitted_intent() {
    OrderIntent o = new_intent();
    if (!o.client_order_id.empty()) --next_id_;
    o.client_order_id = test::coid(decided_[below(decided_.size())]);
    return o;
  }

  void submit(const OrderIntent& intent) {
    const std::string id(intent.client_order_id.view());
    const AccountState account = account_state();
    const TradingState before = risk().state();
    const bool safe_mode = risk().safe_mode();
    action_ = "order '" + id + "' " + to_string(intent.side) + " " + to_string(intent.type) + " qty " +
              std::to_string(intent.qty.raw) + " limit " + std::to_string(intent.limit_price.raw) +
              (intent.reduce_only ? " reduce-only" : "") + " in " + state_text() + " at mark " +
              std::to_string(mark_.raw);
    MarketSnapshot market;
    market.time = now_;
    market.last = mark_;  // bars only: no book
    const auto first = id.empty() ? first_decision_.end() : first_decision_.find(id);
    GatewayOutcome out = gateway_.decide(intent, inst_, account, market, now_);
    const GatewayDecision& d = out.decision;
    ++decisions_;  // the gateway numbers every decision, a duplicate's too
    if (first != first_decision_.end()) {
      journal_.decisions.push_back(
          {decisions_, id, "rejected", std::string(to_string(ReasonCode::kDuplicateClientOrderId)), 0});
      check_duplicate(out, first->second, orders_.count(id) > 0);
      return;
    }
    journal_.decisions.push_back(
        {decisions_, id, to_string(d.verdict), std::string(to_string(d.reason)), d.approved_qty.raw});
    if (d.decision_id != decisions_)
      fail(Rule::kJournal, "decision id " + std::to_string(d.decision_id) + " out of sequence");
    if (risk().state() != before) ++journal_.state_notes;
    if (risk().state() == TradingState::kLockdown && before != TradingState::kLockdown)
      ++coverage_.lockdowns_by_decision;
    check_limits(intent, account, before, out);
    check_safe_state(intent, account, before, safe_mode, out);
    count(d);
    if (id.empty()) return;
    first_decision_.emplace(id, d);
    decided_.push_back(id);
    if (out.order) send(std::move(*out.order), intent.type == OrderType::kLimit ? intent.limit_price : mark_);
  }

  void count(const GatewayDecision& d) {
    if (d.verdict == Verdict::kApproved) ++coverage_.approved;
    if (d.verdict == Verdict::kReduced) ++coverage_.reduced;
    if (d.verdict == Verdict::kRejected) ++coverage_.rejected;
  }

  void send(ApprovedOrder order, Price reference) {
    const std::string id(order.client_order_id().view());
    ModelOrder& o = orders_[id];
    o.side = order.side();
    o.type = order.type();
    o.approved = order.approved_qty();
    o.price = order.approved_price();
    o.reserve_at = reference;
    SendResult sent = venue_.send(std::move(order));
    if (!sent.ok()) fail(Rule::kLimits, "the venue refused an approved order: " + sent.error().message);
  }

  void cancel_one() {
    std::vector<std::string> working;
    for (const auto& [id, o] : orders_)
      if (!o.done) working.push_back(id);
    const std::uint64_t pick = below(100);
    std::string id = "x-" + std::to_string(next_id_);  // an id nobody used
    if (pick < 70 && !working.empty())
      id = working[below(working.size())];
    else if (pick < 95 && !decided_.empty())
      id = decided_[below(decided_.size())];
    const auto it = orders_.find(id);
    const bool was_working = it != orders_.end() && !it->second.done;
    const bool safe = risk().state() != TradingState::kActive || risk().safe_mode();
    action_ = "cancel '" + id + "'" + (was_working ? " (working)" : "") + " in " + state_text();
    const std::uint64_t cancels = gateway_.stats().cancels;
    ApprovedCancel approved =
        gateway_.cancel(CancelIntent{test::coid(id), AccountId{1}, inst_.id, test::source("property"), now_}, now_);
    journal_.cancels.push_back(id);
    if (approved.client_order_id().view() != id) fail(Rule::kSafeStates, "the cancel approval names another order");
    if (gateway_.stats().cancels != cancels + 1) fail(Rule::kSafeStates, "the gateway did not count the cancel");
    const Status status = venue_.cancel(std::move(approved));
    process_reports();
    if (!was_working) {
      if (status.ok()) fail(Rule::kLimits, "the venue cancelled an order that was not working");
      return;
    }
    if (!status.ok()) fail(Rule::kSafeStates, "the venue refused to cancel a working order: " + status.error().message);
    if (!orders_[id].done) fail(Rule::kSafeStates, "the order still works after its cancel");
    if (safe) ++coverage_.safe_cancels;
  }

  void change_state() {
    const std::uint64_t pick = below(100);
    const auto enter = static_cast<std::uint64_t>(100 - mix_.resume_percent);  // kill 3 : lockdown 1 : safe mode 3
    if (pick < enter * 3 / 7) {
      action_ = "kill switch";
      risk().kill();
    } else if (pick < enter * 4 / 7) {
      action_ = "lockdown";
      risk().lockdown();
    } else if (pick < enter) {
      action_ = "safe mode toggled";
      risk().set_safe_mode(!risk().safe_mode());
    } else {
      action_ = "operator resume";
      risk().resume();
      if (rng_.bernoulli(0.5)) risk().set_safe_mode(false);
    }
  }

  // ---- the rules ----

  // Approved size is enforced: within every limit (recomputed by risk_properties.hpp), and the
  // ApprovedOrder carries exactly the decided quantity and price.
  void check_limits(const OrderIntent& intent, const AccountState& account, TradingState before,
                    const GatewayOutcome& out) {
    const GatewayDecision& d = out.decision;
    test::RiskCase c;
    c.profile = kProfile;
    c.state = before;
    c.account = account;
    c.intent = intent;
    c.reference = intent.type == OrderType::kLimit ? intent.limit_price : mark_;
    const std::string broken =
        test::risk_property_violation(c, test::RiskAnswer{d.verdict, d.approved_qty, d.reason}, risk().state());
    if (!broken.empty())
      fail(Rule::kLimits, broken + " (reason " + std::string(to_string(d.reason)) + "; " + test::describe(c) + ")");
    if (out.duplicate) fail(Rule::kLimits, "a fresh id was answered as a duplicate");
    if (d.requested_qty != intent.qty) fail(Rule::kLimits, "the decision records another requested quantity");
    if (out.order.has_value() != d.approved())
      fail(Rule::kLimits, "an ApprovedOrder exists iff the decision approves: broken");
    if (!out.order) return;
    const ApprovedOrder& a = *out.order;
    const Price price = intent.type == OrderType::kLimit ? intent.limit_price : Price{};
    if (a.approved_qty() != d.approved_qty || a.intent().qty != d.approved_qty)
      fail(Rule::kLimits, "the ApprovedOrder carries " + std::to_string(a.approved_qty().raw) + " / " +
                              std::to_string(a.intent().qty.raw) + ", the decision " +
                              std::to_string(d.approved_qty.raw));
    if (d.approved_price != price || a.approved_price() != price || a.intent().limit_price != price)
      fail(Rule::kLimits, "the ApprovedOrder's price is not the intent's limit");
    if (a.client_order_id() != intent.client_order_id || a.side() != intent.side || a.type() != intent.type ||
        a.instrument() != intent.instrument || a.intent().reduce_only != intent.reduce_only ||
        a.decision_id() != d.decision_id)
      fail(Rule::kLimits, "the ApprovedOrder is not the order that was decided on");
  }

  // Safe states: kill switch, lockdown and safe mode approve only orders that shrink the
  // position (open orders included), and no decision weakens them.
  void check_safe_state(const OrderIntent& intent, const AccountState& account, TradingState before, bool safe_mode,
                        const GatewayOutcome& out) {
    const TradingState after = risk().state();
    if (before != TradingState::kActive && after != before && after != TradingState::kLockdown)
      fail(Rule::kSafeStates,
           "a decision moved " + std::string(to_string(before)) + " to " + std::string(to_string(after)));
    if (before == TradingState::kActive && !safe_mode) return;
    ++coverage_.safe_decisions;
    if (!out.decision.approved()) {
      ++coverage_.safe_rejections;
      return;
    }
    ++coverage_.safe_approvals;
    const InstrumentExposure& e = account.instrument;
    const std::int64_t reducible = intent.side == Side::kSell
                                       ? std::max<std::int64_t>(0, e.position.raw - e.open_sell.raw)
                                       : std::max<std::int64_t>(0, -e.position.raw - e.open_buy.raw);
    if (out.decision.approved_qty.raw > reducible)
      fail(Rule::kSafeStates, "approved " + std::to_string(out.decision.approved_qty.raw) + " in " +
                                  std::string(to_string(before)) + (safe_mode ? "+safe_mode" : "") + " where only " +
                                  std::to_string(reducible) + " reduces the position");
  }

  // Idempotency: the first decision again, and nothing that could reach a venue.
  void check_duplicate(const GatewayOutcome& out, const GatewayDecision& first, bool first_was_sent) {
    ++duplicates_;
    ++coverage_.duplicates;
    if (first_was_sent) ++coverage_.duplicates_of_sent;
    const GatewayDecision& d = out.decision;
    if (!out.duplicate) fail(Rule::kIdempotency, "a re-submitted id was not answered as a duplicate");
    if (out.order) fail(Rule::kIdempotency, "a re-submitted id got a second ApprovedOrder");
    if (d.decision_id != first.decision_id || d.verdict != first.verdict || d.reason != first.reason ||
        d.reasons_mask != first.reasons_mask || d.requested_qty != first.requested_qty ||
        d.approved_qty != first.approved_qty || d.approved_price != first.approved_price)
      fail(Rule::kIdempotency, "answered decision " + std::to_string(d.decision_id) + " (" + to_string(d.verdict) +
                                   " " + std::to_string(d.approved_qty.raw) + "), not the first, " +
                                   std::to_string(first.decision_id) + " (" + to_string(first.verdict) + " " +
                                   std::to_string(first.approved_qty.raw) + ")");
  }

  // Reads the reports the venue sent since the last step into the books, checking each.
  void process_reports() {
    for (; seen_ < listener_.reports.size(); ++seen_) {
      const ExecutionReport& r = listener_.reports[seen_];
      const std::string id(r.client_order_id.view());
      const auto it = orders_.find(id);
      if (it == orders_.end()) {
        fail(Rule::kLimits, "the venue reported on '" + id + "', which the gateway never approved");
        continue;
      }
      ModelOrder& o = it->second;
      switch (r.kind) {
        case ExecKind::kAccepted:
          ++accepted_;
          if (++o.accepted > 1) fail(Rule::kIdempotency, "the venue accepted '" + id + "' twice");
          break;
        case ExecKind::kFilled: apply_fill(id, o, r); break;
        case ExecKind::kCancelled:
        case ExecKind::kRejected:
          if (o.done) fail(Rule::kLimits, "'" + id + "' ended twice");
          o.done = true;
          break;
      }
    }
  }

  void apply_fill(const std::string& id, ModelOrder& o, const ExecutionReport& r) {
    if (o.accepted == 0 || o.done) fail(Rule::kLimits, "a fill for '" + id + "', which is not working");
    if (r.side != o.side || r.qty.raw <= 0)
      fail(Rule::kLimits, "a fill of '" + id + "' on the other side or of no quantity");
    if (o.filled.raw > 0) o.partly = true;
    o.filled += r.qty;
    if (o.filled > o.approved)
      fail(Rule::kLimits, "the venue filled " + std::to_string(o.filled.raw) + " of '" + id + "', approved " +
                              std::to_string(o.approved.raw));
    const bool buy = r.side == Side::kBuy;
    if (o.type == OrderType::kLimit && (buy ? r.price > o.price : r.price < o.price))
      fail(Rule::kLimits, "'" + id + "' filled at " + std::to_string(r.price.raw) + ", through its approved limit " +
                              std::to_string(o.price.raw));
    if (o.filled == o.approved) o.done = true;

    const int128 notional = test::test_notional(r.qty.raw, r.price);
    const int128 rate = r.maker ? inst_.maker_fee.ppm : inst_.taker_fee.ppm;
    const int128 fee = (notional * rate + 999'999) / 1'000'000;  // rounded up: a venue never charges less
    if (r.fee.raw != fee)
      fail(Rule::kAccounting, "fee " + std::to_string(r.fee.raw) + " on notional " +
                                  std::to_string(static_cast<std::int64_t>(notional)) + ", expected " +
                                  std::to_string(static_cast<std::int64_t>(fee)));
    pos_ += buy ? r.qty.raw : -r.qty.raw;
    cash_ += buy ? -notional : notional;
    cash_ -= r.fee.raw;
    fees_ += r.fee.raw;
    ++coverage_.fills;
    if (r.maker) ++coverage_.maker_fills;
    if (o.partly) ++coverage_.partial_fills;
  }

  void check_after_step() {
    std::size_t working = 0;
    for (const auto& [id, o] : orders_) working += o.done ? 0 : 1;
    if (venue_.working_orders() != working)
      fail(Rule::kLimits, "the venue works " + std::to_string(venue_.working_orders()) +
                              " orders; approved and not ended: " + std::to_string(working));
    check_accounts();
    if (pos_ < 0) ++coverage_.short_steps;
    if (gateway_.stats().duplicates != duplicates_)
      fail(Rule::kIdempotency, "the gateway counted " + std::to_string(gateway_.stats().duplicates) +
                                   " duplicates, the test sent " + std::to_string(duplicates_));
    if (accepted_ != orders_.size())
      fail(Rule::kIdempotency,
           std::to_string(orders_.size()) + " approvals sent, the venue accepted " + std::to_string(accepted_));
    if (rule_ == Rule::kJournal && ++steps_ % kJournalCheckEvery == 0) {
      ++coverage_.journal_checks;
      const std::string broken = journal_.check_so_far();
      if (!broken.empty()) fail(Rule::kJournal, broken);
    }
  }

  // Position per instrument == signed sum of fills; cash == initial - buys + sells - fees, exactly.
  void check_accounts() {
    const auto text = [](int128 v) { return std::to_string(static_cast<std::int64_t>(v)); };
    if (portfolio_.position(inst_.id).qty.raw != pos_)
      fail(Rule::kAccounting,
           "position " + std::to_string(portfolio_.position(inst_.id).qty.raw) + ", fills sum to " + text(pos_));
    if (portfolio_.cash().raw != cash_)
      fail(Rule::kAccounting,
           "cash " + std::to_string(portfolio_.cash().raw) + ", initial - buys + sells - fees = " + text(cash_));
    if (portfolio_.fees().raw != fees_)
      fail(Rule::kAccounting, "fees " + std::to_string(portfolio_.fees().raw) + ", fills' fees sum to " + text(fees_));
    if (portfolio_.equity().raw != equity())
      fail(Rule::kAccounting,
           "equity " + std::to_string(portfolio_.equity().raw) + ", cash + position at mark = " + text(equity()));
    if (cash_ < 0) fail(Rule::kAccounting, "a spot account spent more cash than it had: " + text(cash_));
    if (!setup_.venue.allow_short && pos_ < 0) fail(Rule::kAccounting, "a spot account went short: " + text(pos_));
  }

  Rule rule_;
  ActionMix mix_;
  Coverage& coverage_;
  Rng rng_;
  CaseSetup setup_;
  SharedJournal& journal_;
  Instrument inst_ = test::test_instrument();
  RiskGuard risk_;
  ExecutionPolicy policy_;
  ExecutionGateway gateway_;
  Portfolio portfolio_;
  testing_support::RecordingListener listener_;
  SimVenue venue_;
  bool ready_ = false;

  Bar bar_{};
  bool in_bar_ = false;
  std::int64_t bar_index_ = 0;
  Price mark_;
  int128 pos_ = 0;   // signed sum of fills
  int128 cash_ = 0;  // initial - buys + sells - fees
  int128 fees_ = 0;
  Timestamp now_;
  int next_id_ = 0;
  std::map<std::string, GatewayDecision> first_decision_;
  std::vector<std::string> decided_;          // ids with a first decision, in order
  std::map<std::string, ModelOrder> orders_;  // approved and sent
  std::size_t seen_ = 0;                      // reports read into the books
  std::size_t accepted_ = 0;
  std::uint64_t duplicates_ = 0;
  std::uint64_t decisions_ = 0;
  int steps_ = 0;
  std::string action_;
  std::string problem_;
};

struct PropertyRun {
  Rule rule;
  std::uint64_t seed;
  int cases;
  int steps;
  ActionMix mix;
};

// Runs the cases; the first broken step fails the test with what reproduces it.
Coverage run_sequences(const PropertyRun& run) {
  Coverage coverage;
  test::TempDir dir;
  if (!dir.ok()) return coverage;
  std::unique_ptr<SharedJournal> journal;
  for (int c = 0; c < run.cases; ++c) {
    const std::uint64_t seed = run.seed + static_cast<std::uint64_t>(c);
    const std::string where =
        "base seed " + hex(run.seed) + ", case " + std::to_string(c) + " (seed " + hex(seed) + ")";
    if (c % kCasesPerJournal == 0) {
      journal = std::make_unique<SharedJournal>(dir.file("cases-" + std::to_string(c) + ".journal"));
      if (!journal->ready()) return coverage;
    }
    {
      Sequence s(run.rule, run.mix, seed, *journal, coverage);
      if (!s.ready()) {
        ADD_FAILURE() << where << ": the portfolio did not start";
        return coverage;
      }
      for (int i = 0; i < run.steps; ++i) {
        const std::string problem = s.step();
        if (!problem.empty()) {
          ADD_FAILURE() << where << ", step " << i << ": " << problem;
          return coverage;
        }
      }
      const std::string problem = s.finish();
      if (!problem.empty()) {
        ADD_FAILURE() << where << ", after its last step: " << problem;
        return coverage;
      }
    }
    if (c % kCasesPerJournal == kCasesPerJournal - 1 || c == run.cases - 1) {
      if (run.rule == Rule::kJournal) {
        const std::string problem = journal->close_and_check();
        if (!problem.empty()) {
          ADD_FAILURE() << "base seed " << hex(run.seed) << ", journal of cases "
                        << c / kCasesPerJournal * kCasesPerJournal << " to " << c << ": " << problem;
          return coverage;
        }
      }
      const std::string path = journal->path();
      journal.reset();
      std::error_code ec;
      for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ec);
    }
  }
  return coverage;
}

constexpr int kCases = 300;
constexpr int kSteps = 40;

TEST(GatewaySimVenueProperty, ApprovedOrdersStayWithinTheLimitsAndTheVenueTradesExactlyThem) {
  const Coverage c = run_sequences({Rule::kLimits, 0x11'5eed'0001ULL, kCases, kSteps, ActionMix{}});
  if (HasFailure()) return;
  EXPECT_GT(c.approved, 400);
  EXPECT_GT(c.reduced, 500);
  EXPECT_GT(c.rejected, 1'500);
  EXPECT_GT(c.fills, 500);
  EXPECT_GT(c.partial_fills, 20);
  EXPECT_GT(c.lockdowns_by_decision, 40);  // ceiling attempts
}

TEST(GatewaySimVenueProperty, KillAndLockdownBlockRiskIncreasingOrdersAndCancelsAlwaysPass) {
  ActionMix mix;
  mix.state = 15;
  mix.resume_percent = 35;
  mix.cancel = 20;
  const Coverage c = run_sequences({Rule::kSafeStates, 0x5a'fe'5eed'0002ULL, kCases, kSteps, mix});
  if (HasFailure()) return;
  EXPECT_GT(c.safe_decisions, 1'300);
  EXPECT_GT(c.safe_rejections, 1'200);
  EXPECT_GT(c.safe_approvals, 60);  // orders that reduce the position still pass
  EXPECT_GT(c.safe_cancels, 80);    // of working orders, which then end
}

TEST(GatewaySimVenueProperty, PositionEqualsSumOfFillsAndCashIsConserved) {
  const Coverage c = run_sequences({Rule::kAccounting, 0xca'5eed'0003ULL, kCases, kSteps, ActionMix{}});
  if (HasFailure()) return;
  EXPECT_GT(c.fills, 600);
  EXPECT_GT(c.maker_fills, 50);
  EXPECT_GT(c.partial_fills, 20);
  EXPECT_GT(c.short_steps, 1'000);
}

TEST(GatewaySimVenueProperty, ResubmittedClientOrderIdGetsTheFirstDecisionAndIsNeverSentTwice) {
  ActionMix mix;
  mix.resubmit = 25;
  const Coverage c = run_sequences({Rule::kIdempotency, 0x1d'5eed'0004ULL, kCases, kSteps, mix});
  if (HasFailure()) return;
  EXPECT_GT(c.duplicates, 1'200);
  EXPECT_GT(c.duplicates_of_sent, 500);  // ids whose first decision reached the venue
}

TEST(GatewaySimVenueProperty, JournalChainVerifiesThroughoutAndHoldsEveryDecisionOnce) {
  const Coverage c = run_sequences({Rule::kJournal, 0x10'5eed'0005ULL, kCases, kSteps, ActionMix{}});
  if (HasFailure()) return;
  EXPECT_GE(c.journal_checks, kCases * (kSteps / kJournalCheckEvery));
  EXPECT_GT(c.approved + c.reduced + c.rejected, 3'000);
}

}  // namespace
}  // namespace cst
