// How each record becomes its journal row: the `kind` column and the canonical JSON `payload`.
// Keys always come in the order written below; a change of order or spelling changes every
// hash and needs a new journal format version (journal_schema.hpp).
//
// Exact values are JSON strings formatted by cst::format_decimal with all of the record's
// decimals ("0.12500000"): prices with price_decimals, quantities with qty_decimals, money
// with kMoneyDecimals. If a record carries decimals outside 0..18 (a bug upstream) the raw
// integer is written instead, and the payload's price_decimals/qty_decimals show why.
// Times are integer nanoseconds since the epoch; ids are the raw integers or the id text.
//
//   decision:    {"decision_id","time","intent":{"client_order_id","account","instrument",
//                "source","side","type","qty","limit_price","post_only","reduce_only","time"},
//                "verdict","reason","reasons":[names of every bit in reasons_mask, low bit
//                first; bits past the last ReasonCode as "unknown_bit_N"],"approved_qty",
//                "approved_price","price_decimals","qty_decimals","market":{"time","bid","ask",
//                "last"},"equity","cash","limits":{"profile","daily_loss_bp","max_drawdown_bp",
//                "position_bp","exposure_bp","leverage_x100"},"decision_ns"}
//   order_event: {"time","client_order_id","instrument","status","qty","price","fee",
//                "price_decimals","qty_decimals","reason"}
//   journal_close (the seal written by AuditJournal::close): {"records":N}, N = its own seq.
//   note:        kind and json as given, when the kind is 1..64 characters of [a-z0-9_.:-] and
//                not one of the kinds above, and the json is one JSON object. Otherwise the
//                note is kept, not dropped, as kind "invalid_note" with payload
//                {"kind":"<kind>","json":"<json>"} (both as escaped strings), so that a bad note
//                can never pass for a decision or a seal.
//
// Thread rules: pure functions; the journal's writer thread calls them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "cst/audit/records.hpp"
#include "cst/audit/text_buffer.hpp"

namespace cst::audit {

inline constexpr std::string_view kKindDecision = "decision";
inline constexpr std::string_view kKindOrderEvent = "order_event";
inline constexpr std::string_view kKindJournalClose = "journal_close";
inline constexpr std::string_view kKindInvalidNote = "invalid_note";

// Each replaces the contents of *payload (keeping its capacity, so a reused string does not
// allocate once warm).
void format_decision_payload(const DecisionRecord& r, std::string* payload);
void format_order_event_payload(const OrderEventRecord& r, std::string* payload);
void format_seal_payload(std::uint64_t records, std::string* payload);
void format_note(const NoteRecord& note, std::string* kind, std::string* payload);

// The same payloads appended to a TextBuffer: what the journal's writer uses, with no
// allocation once the buffer is warm and no intermediate strings. The format_*() functions
// above are these applied to an emptied string, so both always give the same bytes.
void append_decision_payload(const DecisionRecord& r, TextBuffer* out);
void append_order_event_payload(const OrderEventRecord& r, TextBuffer* out);
void append_seal_payload(std::uint64_t records, TextBuffer* out);
// Appends the note's payload and returns the kind it is journaled under: note.kind (a view
// into the note) or kKindInvalidNote.
std::string_view append_note_payload(const NoteRecord& note, TextBuffer* out);

// Whether a note may be journaled under its own kind (rules above).
bool is_valid_note_kind(std::string_view kind);

}  // namespace cst::audit
