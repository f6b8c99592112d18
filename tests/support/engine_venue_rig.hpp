// A SimVenue wired for tests: a Portfolio as its account, a listener that records every report
// (and applies fills to the portfolio, as the engine does), and a GatewayHarness to mint the
// ApprovedOrders the venue accepts.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <functional>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "cst/portfolio/portfolio.hpp"
#include "cst/venues/sim_venue.hpp"
#include "engine_fixtures.hpp"
#include "engine_gateway_harness.hpp"

namespace cst {
inline void PrintTo(ExecKind k, std::ostream* os) {
  switch (k) {
    case ExecKind::kAccepted: *os << "accepted"; return;
    case ExecKind::kFilled: *os << "filled"; return;
    case ExecKind::kCancelled: *os << "cancelled"; return;
    case ExecKind::kRejected: *os << "rejected"; return;
  }
  *os << "exec kind " << static_cast<int>(k);
}
}  // namespace cst

namespace cst::testing_support {

class RecordingListener final : public ExecutionListener {
 public:
  explicit RecordingListener(Portfolio& account) : account_(account) {}

  void on_execution(const ExecutionReport& r) override {
    ++depth_;
    if (depth_ > max_depth_) max_depth_ = depth_;
    reports.push_back(r);
    if (r.kind == ExecKind::kFilled) {
      const Fill f{r.time, r.client_order_id, r.instrument, r.side, r.qty, r.price, r.fee, r.maker};
      auto effect = account_.apply_fill(f);
      EXPECT_TRUE(effect.ok()) << effect.error().message;
    }
    if (hook) hook(r);
    --depth_;
  }

  std::vector<ExecutionReport> fills() const {
    std::vector<ExecutionReport> out;
    for (const auto& r : reports)
      if (r.kind == ExecKind::kFilled) out.push_back(r);
    return out;
  }
  // Deepest nesting of on_execution seen: 1 means never re-entered.
  int max_depth() const { return max_depth_; }

  std::vector<ExecutionReport> reports;
  std::function<void(const ExecutionReport&)> hook;

 private:
  Portfolio& account_;
  int depth_ = 0;
  int max_depth_ = 0;
};

// Expects reports[from], reports[from + 1], ... to be, in order, the (order, kind) pairs listed.
inline void expect_reports(const std::vector<ExecutionReport>& reports, std::size_t from,
                           std::initializer_list<std::pair<ClientOrderId, ExecKind>> expected) {
  ASSERT_GE(reports.size(), from + expected.size());
  std::size_t i = from;
  for (const auto& [id, kind] : expected) {
    SCOPED_TRACE("report " + std::to_string(i));
    EXPECT_EQ(reports[i].client_order_id, id);
    EXPECT_EQ(reports[i].kind, kind);
    ++i;
  }
}

class VenueRig {
 public:
  explicit VenueRig(SimVenueConfig config = {}, Instrument inst = test_instrument(),
                    Money cash = Money::from_raw(1'000'000 * kMoneyUnit))
      : inst_(std::move(inst)), portfolio_(cash), listener_(portfolio_), venue_(inst_, config, portfolio_, listener_) {
    Status added = portfolio_.add_instrument(inst_);
    EXPECT_TRUE(added.ok());
  }
  VenueRig(const VenueRig&) = delete;
  VenueRig& operator=(const VenueRig&) = delete;

  // One whole bar as the engine drives it: match at the open, then complete at the close.
  void bar(const Bar& b) {
    venue_.on_bar_open(b);
    venue_.on_bar_close(b, b.time + kMinute);
  }
  void open(const Bar& b) { venue_.on_bar_open(b); }
  void close(const Bar& b) { venue_.on_bar_close(b, b.time + kMinute); }

  // Sends an approved order and expects the venue to take it.
  ClientOrderId send(ApprovedOrder order) {
    const ClientOrderId id = order.client_order_id();
    SendResult s = venue_.send(std::move(order));
    EXPECT_TRUE(s.ok()) << s.error().message;
    return id;
  }
  ClientOrderId market(Side side, Qty q) { return send(gateway_.market(inst_, side, q)); }
  ClientOrderId limit(Side side, Qty q, Price p) { return send(gateway_.limit(inst_, side, q, p)); }

  SimVenue& venue() { return venue_; }
  GatewayHarness& gateway() { return gateway_; }
  RecordingListener& listener() { return listener_; }
  Portfolio& portfolio() { return portfolio_; }
  const Instrument& instrument() const { return inst_; }
  std::vector<ExecutionReport> fills() const { return listener_.fills(); }
  const std::vector<ExecutionReport>& reports() const { return listener_.reports; }

 private:
  Instrument inst_;
  GatewayHarness gateway_;
  Portfolio portfolio_;
  RecordingListener listener_;
  SimVenue venue_;
};

}  // namespace cst::testing_support
