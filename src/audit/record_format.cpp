#include "cst/audit/record_format.hpp"

#include <array>
#include <bit>
#include <charconv>
#include <cstring>
#include <utility>

#include "cst/audit/json_writer.hpp"

namespace cst::audit {
namespace {

// Writes one payload through a raw pointer into a TextBuffer. Every call first makes room for
// the most it can write, so the formatters below read like the JSON they produce, with no
// per-field allocation, stream or virtual call. Keys are written as literals with their
// punctuation (R"(,"time":)"): the same bytes JsonWriter produced for them.
class PayloadWriter {
 public:
  explicit PayloadWriter(TextBuffer* out) : out_(out), p_(out->reserve(kChunk)), end_(p_ + kChunk) {}
  PayloadWriter(const PayloadWriter&) = delete;
  PayloadWriter& operator=(const PayloadWriter&) = delete;
  ~PayloadWriter() { out_->commit(p_); }

  template <std::size_t N>
  PayloadWriter& lit(const char (&text)[N]) {
    room(N - 1);
    std::memcpy(p_, text, N - 1);
    p_ += N - 1;
    return *this;
  }
  PayloadWriter& u64(std::uint64_t v) {
    room(20);
    p_ = std::to_chars(p_, p_ + 20, v).ptr;
    return *this;
  }
  PayloadWriter& i64(std::int64_t v) {
    room(20);
    p_ = std::to_chars(p_, p_ + 20, v).ptr;
    return *this;
  }
  PayloadWriter& boolean(bool b) { return b ? lit("true") : lit("false"); }
  PayloadWriter& str(std::string_view s) {
    room(json_string_bound(s.size()));
    p_ = write_json_string(s, p_);
    return *this;
  }
  // An exact decimal as a JSON string, as format_decimal(raw, decimals, false) writes it; with
  // decimals outside 0..kMaxDecimals (a bug upstream) the raw integer.
  PayloadWriter& decimal(std::int64_t raw, int decimals);

 private:
  static constexpr std::size_t kChunk = 1024;  // a typical decision payload is ~750 bytes

  void room(std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) < n) grow(n);
  }
  void grow(std::size_t n) {
    out_->commit(p_);
    p_ = out_->reserve(n + kChunk);
    end_ = p_ + n + kChunk;
  }

  TextBuffer* out_;
  char* p_;
  char* end_;
};

// "00".."99": fraction digits are written two at a time.
constexpr std::array<char, 200> kDigitPairs = [] {
  std::array<char, 200> t{};
  for (std::size_t i = 0; i < 100; ++i) {
    t[2 * i] = static_cast<char>('0' + i / 10);
    t[2 * i + 1] = static_cast<char>('0' + i % 10);
  }
  return t;
}();

constexpr std::uint64_t pow10(int n) { return n == 0 ? 1 : 10 * pow10(n - 1); }

// magnitude as "<integer>.<exactly D digits>" (no point for D = 0). One function per D, so
// every division is by a constant (a multiplication): a journal row has eight decimals, and
// a hardware divide costs tens of cycles each.
template <int D>
char* write_fixed(char* p, std::uint64_t magnitude) {
  constexpr std::uint64_t kScale = pow10(D);
  p = std::to_chars(p, p + 20, magnitude / kScale).ptr;
  if constexpr (D > 0) {
    *p++ = '.';
    std::uint64_t fraction = magnitude % kScale;
    char* q = p + D;  // the digits, right to left
    for (int left = D; left >= 2; left -= 2) {
      const auto pair = static_cast<std::size_t>(fraction % 100) * 2;
      fraction /= 100;
      q -= 2;
      q[0] = kDigitPairs[pair];
      q[1] = kDigitPairs[pair + 1];
    }
    if constexpr (D % 2 == 1) *--q = static_cast<char>('0' + fraction);
    p += D;
  }
  return p;
}

template <std::size_t... D>
constexpr auto fixed_writers(std::index_sequence<D...>) {
  return std::array<char* (*)(char*, std::uint64_t), sizeof...(D)>{&write_fixed<static_cast<int>(D)>...};
}
constexpr auto kFixedWriters = fixed_writers(std::make_index_sequence<kMaxDecimals + 1>{});

PayloadWriter& PayloadWriter::decimal(std::int64_t raw, int decimals) {
  if (decimals < 0 || decimals > kMaxDecimals) decimals = 0;
  room(41);  // quotes, sign, 19 integer digits, point, 18 fraction digits
  *p_++ = '"';
  // Unsigned negation is exact for every int64, INT64_MIN included.
  const std::uint64_t magnitude = raw < 0 ? 0 - static_cast<std::uint64_t>(raw) : static_cast<std::uint64_t>(raw);
  if (raw < 0) *p_++ = '-';
  p_ = kFixedWriters[static_cast<std::size_t>(decimals)](p_, magnitude);
  *p_++ = '"';
  return *this;
}

void write_reasons(PayloadWriter& w, std::uint64_t mask) {
  w.lit("[");
  bool first = true;
  for (std::uint64_t left = mask; left != 0; left &= left - 1) {  // set bits, lowest first
    const int bit = std::countr_zero(left);
    if (!first) w.lit(",");
    first = false;
    if (bit < kReasonCodeCount) {
      w.str(to_string(static_cast<ReasonCode>(bit)));
    } else {
      w.lit("\"unknown_bit_").u64(static_cast<std::uint64_t>(bit)).lit("\"");
    }
  }
  w.lit("]");
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

// The string API: the TextBuffer formatter into a per-thread scratch buffer, then one copy.
template <class Append>
void replace_with(std::string* payload, Append&& append) {
  thread_local TextBuffer scratch;
  scratch.clear();
  append(&scratch);
  payload->assign(scratch.data(), scratch.size());
}

}  // namespace

void append_decision_payload(const DecisionRecord& r, TextBuffer* out) {
  const int pd = r.price_decimals;
  const int qd = r.qty_decimals;
  const OrderIntent& in = r.intent;
  PayloadWriter w(out);
  w.lit(R"({"decision_id":)").u64(r.decision_id);
  w.lit(R"(,"time":)").i64(r.time.ns);
  w.lit(R"(,"intent":{"client_order_id":)").str(in.client_order_id.view());
  w.lit(R"(,"account":)").u64(in.account.value);
  w.lit(R"(,"instrument":)").u64(in.instrument.value);
  w.lit(R"(,"source":)").str(in.source.view());
  w.lit(R"(,"side":)").str(to_string(in.side));
  w.lit(R"(,"type":)").str(to_string(in.type));
  w.lit(R"(,"qty":)").decimal(in.qty.raw, qd);
  w.lit(R"(,"limit_price":)").decimal(in.limit_price.raw, pd);
  w.lit(R"(,"post_only":)").boolean(in.post_only);
  w.lit(R"(,"reduce_only":)").boolean(in.reduce_only);
  w.lit(R"(,"time":)").i64(in.time.ns);
  w.lit(R"(},"verdict":)").str(to_string(r.verdict));
  w.lit(R"(,"reason":)").str(to_string(r.reason));
  w.lit(R"(,"reasons":)");
  write_reasons(w, r.reasons_mask);
  w.lit(R"(,"approved_qty":)").decimal(r.approved_qty.raw, qd);
  w.lit(R"(,"approved_price":)").decimal(r.approved_price.raw, pd);
  w.lit(R"(,"price_decimals":)").i64(pd);
  w.lit(R"(,"qty_decimals":)").i64(qd);
  w.lit(R"(,"market":{"time":)").i64(r.market_time.ns);
  w.lit(R"(,"bid":)").decimal(r.bid.raw, pd);
  w.lit(R"(,"ask":)").decimal(r.ask.raw, pd);
  w.lit(R"(,"last":)").decimal(r.last.raw, pd);
  w.lit(R"(},"equity":)").decimal(r.equity.raw, kMoneyDecimals);
  w.lit(R"(,"cash":)").decimal(r.cash.raw, kMoneyDecimals);
  w.lit(R"(,"limits":{"profile":)").u64(r.limits.profile);
  w.lit(R"(,"daily_loss_bp":)").i64(r.limits.daily_loss_bp);
  w.lit(R"(,"max_drawdown_bp":)").i64(r.limits.max_drawdown_bp);
  w.lit(R"(,"position_bp":)").i64(r.limits.position_bp);
  w.lit(R"(,"exposure_bp":)").i64(r.limits.exposure_bp);
  w.lit(R"(,"leverage_x100":)").i64(r.limits.leverage_x100);
  w.lit(R"(},"decision_ns":)").i64(r.decision_ns);
  w.lit("}");
}

void append_order_event_payload(const OrderEventRecord& r, TextBuffer* out) {
  const int pd = r.price_decimals;
  const int qd = r.qty_decimals;
  PayloadWriter w(out);
  w.lit(R"({"time":)").i64(r.time.ns);
  w.lit(R"(,"client_order_id":)").str(r.client_order_id.view());
  w.lit(R"(,"instrument":)").u64(r.instrument.value);
  w.lit(R"(,"status":)").str(to_string(r.status));
  w.lit(R"(,"qty":)").decimal(r.qty.raw, qd);
  w.lit(R"(,"price":)").decimal(r.price.raw, pd);
  w.lit(R"(,"fee":)").decimal(r.fee.raw, kMoneyDecimals);
  w.lit(R"(,"price_decimals":)").i64(pd);
  w.lit(R"(,"qty_decimals":)").i64(qd);
  w.lit(R"(,"reason":)").str(reason_text(r.reason));
  w.lit("}");
}

void append_seal_payload(std::uint64_t records, TextBuffer* out) {
  PayloadWriter w(out);
  w.lit(R"({"records":)").u64(records).lit("}");
}

bool is_valid_note_kind(std::string_view kind) {
  if (kind.empty() || kind.size() > 64 || is_reserved_kind(kind)) return false;
  for (char c : kind) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string_view append_note_payload(const NoteRecord& note, TextBuffer* out) {
  if (is_valid_note_kind(note.kind) && is_json_object(note.json)) {
    out->append(note.json);
    return note.kind;
  }
  PayloadWriter w(out);
  w.lit(R"({"kind":)").str(note.kind).lit(R"(,"json":)").str(note.json).lit("}");
  return kKindInvalidNote;
}

void format_decision_payload(const DecisionRecord& r, std::string* payload) {
  replace_with(payload, [&](TextBuffer* out) { append_decision_payload(r, out); });
}

void format_order_event_payload(const OrderEventRecord& r, std::string* payload) {
  replace_with(payload, [&](TextBuffer* out) { append_order_event_payload(r, out); });
}

void format_seal_payload(std::uint64_t records, std::string* payload) {
  replace_with(payload, [&](TextBuffer* out) { append_seal_payload(records, out); });
}

void format_note(const NoteRecord& note, std::string* kind, std::string* payload) {
  std::string_view journaled_kind;
  replace_with(payload, [&](TextBuffer* out) { journaled_kind = append_note_payload(note, out); });
  kind->assign(journaled_kind);
}

}  // namespace cst::audit
