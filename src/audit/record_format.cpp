#include "cst/audit/record_format.hpp"

#include <cstring>

#include "cst/audit/json_writer.hpp"

namespace cst::audit {
namespace {

std::string decimal(std::int64_t raw, int decimals) {
  if (decimals < 0 || decimals > kMaxDecimals) return format_decimal(raw, 0, false);
  return format_decimal(raw, decimals, false);
}

void write_reasons(JsonWriter& w, std::uint64_t mask) {
  w.begin_array();
  for (int bit = 0; bit < 64; ++bit) {
    if ((mask & (std::uint64_t{1} << bit)) == 0) continue;
    if (bit < kReasonCodeCount) {
      w.string(to_string(static_cast<ReasonCode>(bit)));
    } else {
      w.string("unknown_bit_" + std::to_string(bit));
    }
  }
  w.end_array();
}

void write_intent(JsonWriter& w, const OrderIntent& in, int price_decimals, int qty_decimals) {
  w.begin_object();
  w.key("client_order_id").string(in.client_order_id.view());
  w.key("account").unsigned_integer(in.account.value);
  w.key("instrument").unsigned_integer(in.instrument.value);
  w.key("source").string(in.source.view());
  w.key("side").string(to_string(in.side));
  w.key("type").string(to_string(in.type));
  w.key("qty").string(decimal(in.qty.raw, qty_decimals));
  w.key("limit_price").string(decimal(in.limit_price.raw, price_decimals));
  w.key("post_only").boolean(in.post_only);
  w.key("reduce_only").boolean(in.reduce_only);
  w.key("time").integer(in.time.ns);
  w.end_object();
}

void write_limits(JsonWriter& w, const LimitsInForce& l) {
  w.begin_object();
  w.key("profile").unsigned_integer(l.profile);
  w.key("daily_loss_bp").integer(l.daily_loss_bp);
  w.key("max_drawdown_bp").integer(l.max_drawdown_bp);
  w.key("position_bp").integer(l.position_bp);
  w.key("exposure_bp").integer(l.exposure_bp);
  w.key("leverage_x100").integer(l.leverage_x100);
  w.end_object();
}

// The reason array is NUL-padded; a full array has no terminator.
std::string_view reason_text(const std::array<char, 48>& reason) {
  const void* nul = std::memchr(reason.data(), '\0', reason.size());
  const std::size_t len = nul ? static_cast<std::size_t>(static_cast<const char*>(nul) - reason.data()) : reason.size();
  return {reason.data(), len};
}

bool is_reserved_kind(std::string_view kind) {
  return kind == kKindDecision || kind == kKindOrderEvent || kind == kKindJournalClose || kind == kKindInvalidNote;
}

}  // namespace

void format_decision_payload(const DecisionRecord& r, std::string* payload) {
  payload->clear();
  const int pd = r.price_decimals;
  const int qd = r.qty_decimals;
  JsonWriter w(payload);
  w.begin_object();
  w.key("decision_id").unsigned_integer(r.decision_id);
  w.key("time").integer(r.time.ns);
  w.key("intent");
  write_intent(w, r.intent, pd, qd);
  w.key("verdict").string(to_string(r.verdict));
  w.key("reason").string(to_string(r.reason));
  w.key("reasons");
  write_reasons(w, r.reasons_mask);
  w.key("approved_qty").string(decimal(r.approved_qty.raw, qd));
  w.key("approved_price").string(decimal(r.approved_price.raw, pd));
  w.key("price_decimals").integer(pd);
  w.key("qty_decimals").integer(qd);
  w.key("market").begin_object();
  w.key("time").integer(r.market_time.ns);
  w.key("bid").string(decimal(r.bid.raw, pd));
  w.key("ask").string(decimal(r.ask.raw, pd));
  w.key("last").string(decimal(r.last.raw, pd));
  w.end_object();
  w.key("equity").string(decimal(r.equity.raw, kMoneyDecimals));
  w.key("cash").string(decimal(r.cash.raw, kMoneyDecimals));
  w.key("limits");
  write_limits(w, r.limits);
  w.key("decision_ns").integer(r.decision_ns);
  w.end_object();
}

void format_order_event_payload(const OrderEventRecord& r, std::string* payload) {
  payload->clear();
  const int pd = r.price_decimals;
  const int qd = r.qty_decimals;
  JsonWriter w(payload);
  w.begin_object();
  w.key("time").integer(r.time.ns);
  w.key("client_order_id").string(r.client_order_id.view());
  w.key("instrument").unsigned_integer(r.instrument.value);
  w.key("status").string(to_string(r.status));
  w.key("qty").string(decimal(r.qty.raw, qd));
  w.key("price").string(decimal(r.price.raw, pd));
  w.key("fee").string(decimal(r.fee.raw, kMoneyDecimals));
  w.key("price_decimals").integer(pd);
  w.key("qty_decimals").integer(qd);
  w.key("reason").string(reason_text(r.reason));
  w.end_object();
}

void format_seal_payload(std::uint64_t records, std::string* payload) {
  payload->clear();
  JsonWriter w(payload);
  w.begin_object().key("records").unsigned_integer(records).end_object();
}

bool is_valid_note_kind(std::string_view kind) {
  if (kind.empty() || kind.size() > 64 || is_reserved_kind(kind)) return false;
  for (char c : kind) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

void format_note(const NoteRecord& note, std::string* kind, std::string* payload) {
  if (is_valid_note_kind(note.kind) && is_json_object(note.json)) {
    kind->assign(note.kind);
    payload->assign(note.json);
    return;
  }
  kind->assign(kKindInvalidNote);
  payload->clear();
  JsonWriter w(payload);
  w.begin_object().key("kind").string(note.kind).key("json").string(note.json).end_object();
}

}  // namespace cst::audit
