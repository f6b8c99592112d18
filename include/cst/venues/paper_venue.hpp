// PaperVenue: the trader's session with a PaperExchange, as a TradingVenue.
//
// It is the wire between the two: send() turns an ApprovedOrder into the NewOrder the exchange
// receives (exactly approved_qty() at approved_price(), DESIGN.md invariant 2), and the
// exchange's reports reach the ExecutionListener on the caller's thread when poll() is called
// and at the end of send() and cancel(). Faults a real connection has can be switched on for
// tests and drills: refused sends, lost replies, a dropped session. All are off by default.
//
// The time an order or cancel reaches the exchange is its intent's time (the engine's clock
// when it decided), so the venue needs no clock of its own and stays deterministic.
//
// Thread rules: the engine's thread only. The exchange must outlive the venue.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cst/venues/paper_exchange.hpp"
#include "cst/venues/venue_session.hpp"

namespace cst {

// Signs each request for the venue with an API key (the key manager behind it) and learns
// whether the exchange accepted the signature. authorize() failing means no usable key: the
// request is not made.
class RequestGate {
 public:
  virtual ~RequestGate() = default;
  virtual Status authorize(std::string_view endpoint) = 0;
  virtual void accepted(std::string_view endpoint, bool ok) = 0;
};

struct PaperFaults {
  int fail_next_sends = 0;           // transient refusals (kUnavailable) before the order reaches the exchange
  int lose_next_acks = 0;            // the exchange takes the order but the reply is lost: send() returns
                                     // kTimeout and the ack report is dropped too
  bool cancel_on_disconnect = true;  // the exchange cancels our open orders when the session drops
  int reject_next_signatures = 0;    // the exchange refuses the signature of the next requests
};

class PaperVenue final : public TradingVenue {
 public:
  PaperVenue(PaperExchange& exchange, ExecutionListener& listener, PaperFaults faults = {});
  PaperVenue(const PaperVenue&) = delete;
  PaperVenue& operator=(const PaperVenue&) = delete;

  // kUnavailable while disconnected or for a fail_next_sends fault, and kTimeout when the reply
  // is lost (the order may exist: query before retrying), both with the approval handed back;
  // kDuplicate if the exchange has seen the client order id; kInvalidArgument for another
  // instrument. A refusal of the order itself (bad grid, post-only crossing) arrives as a
  // kRejected report.
  SendResult send(ApprovedOrder order) override;
  // kNotFound unless the order is open at the exchange.
  Status cancel(ApprovedCancel cancel) override;

  Result<std::optional<VenueOrder>> query_order(const ClientOrderId& id) override;
  Result<std::vector<VenueOrder>> open_orders() override;
  Result<std::vector<VenueFill>> fills_after(std::uint64_t trade_id) override;
  Result<VenueBalances> balances() override;
  bool connected() const override { return connected_; }
  bool cancels_on_disconnect() const override { return faults_.cancel_on_disconnect; }

  // Hands the exchange's queued reports to the listener, in order. A listener may send or
  // cancel from inside a report; those reports follow in the same poll. No-op while
  // disconnected.
  void poll();
  // The session drops: undelivered reports are lost (a dead WebSocket) and, with
  // cancel_on_disconnect, the exchange cancels all our open orders at `now`; those cancel
  // reports are lost too, so the trader learns of them by querying after reconnect().
  void disconnect(Timestamp now);
  // A new session: reports the exchange queued while the old one was down are lost too.
  void reconnect();

  PaperFaults& faults() { return faults_; }
  // Every request is signed through `gate` (nullptr: unsigned, as in tests of other things).
  void set_gate(RequestGate* gate) { gate_ = gate; }
  std::uint64_t sends() const { return sends_; }                            // every send() call
  std::uint64_t transient_failures() const { return transient_failures_; }  // kUnavailable answers, any call

 private:
  Error unavailable(const std::string& what);
  // Signs one request; an error if there is no usable key or the exchange refused it.
  std::optional<Error> sign(std::string_view endpoint);
  void pull();  // moves the exchange's queued reports into inbox_

  PaperExchange& exchange_;
  ExecutionListener& listener_;
  PaperFaults faults_;
  RequestGate* gate_ = nullptr;
  bool connected_ = true;
  bool delivering_ = false;
  std::vector<ExecutionReport> inbox_;  // received from the exchange, [next_..] not yet delivered
  std::size_t next_ = 0;
  std::uint64_t sends_ = 0;
  std::uint64_t transient_failures_ = 0;
};

}  // namespace cst
