#include "cst/audit/record_format.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <string>

#include "cst/audit/json_writer.hpp"

namespace cst::audit {
namespace {

std::uint64_t bit(ReasonCode r) { return std::uint64_t{1} << static_cast<int>(r); }

DecisionRecord sample_decision() {
  DecisionRecord d;
  d.decision_id = 7;
  d.time = Timestamp{1700000000123456789};
  d.intent.client_order_id = *ClientOrderId::parse("bt-42");
  d.intent.account = AccountId{1};
  d.intent.instrument = InstrumentId{3};
  d.intent.source = *SourceId::parse("sma_cross");
  d.intent.side = Side::kSell;
  d.intent.type = OrderType::kLimit;
  d.intent.qty = Qty::from_raw(12'500'000);           // 0.125 at 8 decimals
  d.intent.limit_price = Price::from_raw(5'000'025);  // 50000.25 at 2 decimals
  d.intent.post_only = true;
  d.intent.time = Timestamp{1700000000000000000};
  d.verdict = Verdict::kReduced;
  d.reason = ReasonCode::kPositionLimit;
  d.reasons_mask = bit(ReasonCode::kPositionLimit) | bit(ReasonCode::kExposureLimit);
  d.approved_qty = Qty::from_raw(10'000'000);
  d.approved_price = Price::from_raw(5'000'025);
  d.price_decimals = 2;
  d.qty_decimals = 8;
  d.market_time = Timestamp{1699999999000000000};
  d.bid = Price::from_raw(5'000'000);
  d.ask = Price::from_raw(5'000'050);
  d.last = Price::from_raw(5'000'020);
  d.equity = Money::from_raw(1'234'567'890'123);
  d.cash = Money::from_raw(-5);
  d.limits = LimitsInForce{1, 500, 1500, 2000, 5000, 300};
  return d;
}

// The whole payload, so that a change of key order or number format (which would change every
// hash) cannot slip through.
TEST(RecordFormat, DecisionPayloadIsCanonicalWithExactDecimals) {
  std::string out = "left over";
  format_decision_payload(sample_decision(), &out);
  EXPECT_EQ(out,
            R"({"decision_id":7,"time":1700000000123456789,"intent":{"client_order_id":"bt-42","account":1,)"
            R"("instrument":3,"source":"sma_cross","side":"sell","type":"limit","qty":"0.12500000",)"
            R"("limit_price":"50000.25","post_only":true,"reduce_only":false,"time":1700000000000000000},)"
            R"("verdict":"reduced","reason":"position_limit","reasons":["position_limit","exposure_limit"],)"
            R"("approved_qty":"0.10000000","approved_price":"50000.25","price_decimals":2,"qty_decimals":8,)"
            R"("market":{"time":1699999999000000000,"bid":"50000.00","ask":"50000.50","last":"50000.20"},)"
            R"("equity":"12345.67890123","cash":"-0.00000005","limits":{"profile":1,"daily_loss_bp":500,)"
            R"("max_drawdown_bp":1500,"position_bp":2000,"exposure_bp":5000,"leverage_x100":300},"decision_ns":0})");
}

TEST(RecordFormat, ReasonsListNamesEveryBitIncludingUnknownOnes) {
  DecisionRecord d = sample_decision();
  d.reasons_mask = bit(ReasonCode::kLockdown) | bit(ReasonCode::kDuplicateClientOrderId) | (std::uint64_t{1} << 63);
  std::string out;
  format_decision_payload(d, &out);
  EXPECT_NE(out.find(R"("reasons":["lockdown","duplicate_client_order_id","unknown_bit_63"])"), std::string::npos);
}

TEST(RecordFormat, DecimalsOutsideTheValidRangeWriteTheRawInteger) {
  DecisionRecord d = sample_decision();
  d.price_decimals = 40;
  std::string out;
  format_decision_payload(d, &out);
  EXPECT_NE(out.find(R"("limit_price":"5000025")"), std::string::npos);
  EXPECT_NE(out.find(R"("price_decimals":40)"), std::string::npos);
}

// The journal's own decimal writer must agree with cst::format_decimal (the definition in
// record_format.hpp) everywhere, the int64 extremes and out-of-range decimals included.
TEST(RecordFormat, DecimalsMatchFormatDecimalAtTheExtremes) {
  const std::int64_t raws[] = {std::numeric_limits<std::int64_t>::min(),
                               std::numeric_limits<std::int64_t>::min() + 1,
                               -1'000'000'000'000'000'000,
                               -123'456'789,
                               -5,
                               -1,
                               0,
                               1,
                               9,
                               10,
                               999'999'999,
                               1'000'000'000'000'000'000,
                               std::numeric_limits<std::int64_t>::max()};
  const int decimals[] = {-128, -1, 0, 1, 2, 8, 17, 18, 19, 40, 127};
  for (std::int64_t raw : raws) {
    for (int d : decimals) {
      OrderEventRecord e;
      e.qty = Qty::from_raw(raw);
      e.qty_decimals = static_cast<std::int8_t>(d);
      std::string out;
      format_order_event_payload(e, &out);
      const int used = d < 0 || d > kMaxDecimals ? 0 : d;
      const std::string expected = R"("qty":")" + format_decimal(raw, used, false) + R"(",)";
      EXPECT_NE(out.find(expected), std::string::npos) << "raw " << raw << " decimals " << d << ": " << out;
    }
  }
}

// The writer's path (append_* into one shared buffer) gives the bytes of format_*().
TEST(RecordFormat, AppendingToABufferGivesTheSameBytesAsFormat) {
  DecisionRecord d = sample_decision();
  d.reasons_mask = ~std::uint64_t{0};  // every name and every unknown bit: a long payload
  OrderEventRecord e;
  e.client_order_id = *ClientOrderId::parse("x-1");
  e.reason.fill('\x01');  // every byte escaped: 48 * 6 bytes
  const NoteRecord bad_note{Timestamp{1}, "Bad Kind", std::string(100'000, '\n')};
  std::string decision_text, event_text, note_kind, note_text, seal_text;
  format_decision_payload(d, &decision_text);
  format_order_event_payload(e, &event_text);
  format_note(bad_note, &note_kind, &note_text);
  format_seal_payload(7, &seal_text);

  TextBuffer buf;
  buf.append("prefix");
  append_decision_payload(d, &buf);
  append_order_event_payload(e, &buf);
  EXPECT_EQ(append_note_payload(bad_note, &buf), note_kind);
  append_seal_payload(7, &buf);
  EXPECT_EQ(std::string(buf.data(), buf.size()), "prefix" + decision_text + event_text + note_text + seal_text);
  EXPECT_EQ(note_kind, "invalid_note");
  EXPECT_EQ(note_text.size(), std::string(R"({"kind":"Bad Kind","json":""})").size() + 200'000);
  EXPECT_TRUE(is_json_object(decision_text) && is_json_object(event_text) && is_json_object(note_text));
}

TEST(RecordFormat, OrderEventPayloadIsCanonical) {
  OrderEventRecord e;
  e.time = Timestamp{42};
  e.client_order_id = *ClientOrderId::parse("bt-42");
  e.instrument = InstrumentId{3};
  e.status = OrderStatus::kPartiallyFilled;
  e.qty = Qty::from_raw(5);
  e.price = Price::from_raw(5'000'025);
  e.fee = Money::from_raw(123);
  e.price_decimals = 2;
  e.qty_decimals = 8;
  std::memcpy(e.reason.data(), "maker \"fill\"", 12);
  std::string out;
  format_order_event_payload(e, &out);
  EXPECT_EQ(out, R"({"time":42,"client_order_id":"bt-42","instrument":3,"status":"PARTIALLY_FILLED",)"
                 R"("qty":"0.00000005","price":"50000.25","fee":"0.00000123","price_decimals":2,"qty_decimals":8,)"
                 R"("reason":"maker \"fill\""})");
}

TEST(RecordFormat, ReasonFillingAll48CharactersIsKeptWhole) {
  OrderEventRecord e;
  e.reason.fill('x');
  std::string out;
  format_order_event_payload(e, &out);
  EXPECT_NE(out.find("\"reason\":\"" + std::string(48, 'x') + "\"}"), std::string::npos);
}

TEST(RecordFormat, SealCountsItself) {
  std::string out;
  format_seal_payload(12, &out);
  EXPECT_EQ(out, R"({"records":12})");
}

TEST(RecordFormat, ValidNoteIsStoredVerbatim) {
  std::string kind, payload;
  format_note(NoteRecord{Timestamp{1}, "run_start", R"({"config_sha256":"ab","n":[1,2.5e3,null]})"}, &kind, &payload);
  EXPECT_EQ(kind, "run_start");
  EXPECT_EQ(payload, R"({"config_sha256":"ab","n":[1,2.5e3,null]})");
}

// A note must never pass for a decision or a seal, and a bad note is kept, not dropped.
TEST(RecordFormat, NoteWithReservedKindOrBadJsonBecomesInvalidNote) {
  const NoteRecord bad[] = {
      {Timestamp{1}, "decision", "{}"},
      {Timestamp{1}, "journal_close", R"({"records":1})"},
      {Timestamp{1}, "", "{}"},
      {Timestamp{1}, "Run Start", "{}"},
      {Timestamp{1}, "run_start", "[1]"},
      {Timestamp{1}, "run_start", R"({"a":1)"},
      {Timestamp{1}, "run_start", "{} {}"},
      {Timestamp{1}, "run_start", "{\"a\":\"\x01\"}"},
  };
  for (const NoteRecord& note : bad) {
    std::string kind, payload;
    format_note(note, &kind, &payload);
    EXPECT_EQ(kind, "invalid_note") << note.kind << " " << note.json;
    EXPECT_TRUE(is_json_object(payload)) << payload;
  }
  std::string kind, payload;
  format_note(NoteRecord{Timestamp{1}, "decision", R"({"x":"y"})"}, &kind, &payload);
  EXPECT_EQ(payload, R"({"kind":"decision","json":"{\"x\":\"y\"}"})");
}

TEST(JsonWriter, EscapesQuotesBackslashesAndControlCharacters) {
  std::string out;
  append_json_string(&out, std::string_view("a\"b\\c\n\t\r\b\f\x01\x1f\0", 13));  // with a NUL
  EXPECT_EQ(out, R"("a\"b\\c\n\t\r\b\f\u0001\u001f\u0000")");
}

TEST(JsonWriter, KeepsValidUtf8AndReplacesInvalidBytes) {
  std::string out;
  append_json_string(&out, "\xE2\x82\xAC");  // euro sign
  EXPECT_EQ(out, "\"\xE2\x82\xAC\"");
  out.clear();
  append_json_string(&out,
                     "a\xFF"
                     "b\xE2\x82");  // stray byte, truncated sequence
  EXPECT_EQ(out, R"("a\ufffdb\ufffd\ufffd")");
  out.clear();
  append_json_string(&out, "\xED\xA0\x80");  // a UTF-16 surrogate encoded in UTF-8 is invalid
  EXPECT_EQ(out, R"("\ufffd\ufffd\ufffd")");
}

TEST(JsonWriter, SeparatesMembersAndNestedContainers) {
  std::string out;
  JsonWriter w(&out);
  w.begin_object()
      .key("a")
      .integer(-1)
      .key("b")
      .begin_array()
      .unsigned_integer(2)
      .boolean(false)
      .begin_object()
      .end_object()
      .end_array()
      .key("c")
      .string("x")
      .end_object();
  EXPECT_EQ(out, R"({"a":-1,"b":[2,false,{}],"c":"x"})");
  EXPECT_TRUE(is_json_object(out));
}

TEST(IsJsonObject, AcceptsOnlyOneWellFormedObject) {
  struct Case {
    const char* text;
    bool ok;
  };
  const Case cases[] = {
      {"{}", true},
      {" {\"a\" : [ true , false , null ] } ", true},
      {R"({"a":-0.5E+2})", true},
      {R"({"\u00e9":"\/"})", true},
      {"", false},
      {"[]", false},
      {"{", false},
      {R"({"a"})", false},
      {R"({"a":01})", false},
      {R"({"a":1,})", false},
      {R"({'a':1})", false},
      {R"({"a":"\x"})", false},
      {R"({"a":.5})", false},
      {"{}x", false},
      {R"({"a":tru})", false},
  };
  for (const Case& c : cases) EXPECT_EQ(is_json_object(c.text), c.ok) << c.text;
  EXPECT_FALSE(is_json_object(std::string(100, '[') + std::string(100, ']')));
  std::string deep;
  for (int i = 0; i < 1000; ++i) deep += "{\"a\":";
  EXPECT_FALSE(is_json_object(deep));  // nesting limit, not a stack overflow
}

}  // namespace
}  // namespace cst::audit
