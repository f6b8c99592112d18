#include "cst/audit/record_batch.hpp"

#include "cst/audit/record_format.hpp"

namespace cst::audit {

Status RecordChainer::add(const JournalEntry& entry, RecordBatch* batch) {
  TextBuffer& text = batch->text_;
  const std::size_t text_start = text.size();
  BatchRow row;
  row.seq = head_.count + 1;
  row.prev_hash = head_.hash;
  row.payload_offset = text_start;
  std::string_view kind;
  if (const auto* d = std::get_if<DecisionRecord>(&entry)) {
    row.time_ns = d->time.ns;
    kind = kKindDecision;
    append_decision_payload(*d, &text);
  } else if (const auto* e = std::get_if<OrderEventRecord>(&entry)) {
    row.time_ns = e->time.ns;
    kind = kKindOrderEvent;
    append_order_event_payload(*e, &text);
  } else if (const auto* n = std::get_if<NoteRecord>(&entry)) {
    row.time_ns = n->time.ns;
    kind = append_note_payload(*n, &text);  // a note's kind depends on its payload being valid
  } else {
    row.time_ns = last_time_ns_;  // the seal has no time of its own
    kind = kKindJournalClose;
    append_seal_payload(row.seq, &text);
  }
  row.payload_size = text.size() - row.payload_offset;
  row.kind_offset = text.size();
  row.kind_size = kind.size();
  text.append(kind);

  auto hash = hasher_.hash(row.prev_hash, row.seq, row.time_ns, batch->kind(row), batch->payload(row));
  if (!hash.ok()) {
    text.commit(text.data() + text_start);  // drop the text of the row that is not added
    return hash.error();
  }
  row.hash = *hash;
  batch->rows_.push_back(row);
  head_.count = row.seq;
  head_.hash = row.hash;
  last_time_ns_ = row.time_ns;
  return Status::Ok();
}

}  // namespace cst::audit
