// Fuzzes the compliance report's reading of a journal (src/report/compliance_*.cpp): journal
// text is untrusted (a tampered file, an older or newer writer), and the report promises that
// no content makes it fail: bad notes are counted as malformed, unknown kinds as other notes.
//
// Input: byte 0 = flags (bits 7 and 6 both set: also write the notes to a real journal file,
// which costs ~50 ms, so only for a quarter of the inputs), byte 1 = window
// start, byte 2 = window end (0: open, else minute b - 1); then one record per line,
// "kind<TAB>payload" (no tab: an empty payload), optionally prefixed "@<minute> " for its time
// (else its line index in minutes). Kinds are taken as they are, reserved ones included
// ("decision", "journal_close", "invalid_note"...), as a tampered file could hold them.
//
// Properties, on the records read directly (compliance::collect_records, the collector
// build_compliance_report streams a journal through):
//   1. no crash, no sanitizer report, whatever the payloads (deep JSON, huge numbers, escapes);
//   2. counts add up: records_in_window is the number of records in the window; the malformed
//      list holds the first min(malformed, 100); decisions by verdict add up to the total and
//      each reason's reduced + rejected to its total; counts are sorted highest first; every
//      lockdown episode has a trigger, and all but the last were ended by a resume;
//   3. compliance.json is one valid JSON object whose counts are the report's; compliance.html
//      carries no markup out of the journal (no "<script", "<img", "<b x=" or '" onclick=');
// and with flag bits 7 and 6, through the real writer and reader: the notes appended to an
// AuditJournal and read back by build_compliance_report give a sealed, intact journal and the
// very same compliance.json as the records read directly (as the journal stores them: a bad
// kind or payload as invalid_note, plus the seal).
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../src/report/compliance_collect.hpp"
#include "cst/audit/audit_journal.hpp"
#include "cst/audit/record_format.hpp"
#include "cst/report/compliance_report.hpp"

namespace {

using cst::report::ComplianceReport;

constexpr std::int64_t kMinuteNs = 60'000'000'000LL;
const cst::Timestamp kStart = cst::Timestamp::from_seconds(1'714'521'600);  // 2024-05-01T00:00:00Z

[[noreturn]] void fail(const std::string& why) {
  std::fprintf(stderr, "compliance_fuzz: %s\n", why.c_str());
  std::abort();
}

struct Note {
  cst::Timestamp time;
  std::string kind;
  std::string payload;
};

std::optional<cst::Timestamp> bound(std::uint8_t b) {
  if (b == 0) return std::nullopt;
  return kStart + cst::Duration{(b - 1) * kMinuteNs};
}

std::vector<Note> parse_notes(std::string_view in) {
  std::vector<Note> notes;
  std::int64_t index = 0;
  while (!in.empty()) {
    const std::size_t nl = in.find('\n');
    std::string_view line = in.substr(0, nl);
    in = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
    std::int64_t minute = index++;
    if (line.size() > 1 && line[0] == '@') {
      std::int64_t m = 0;
      std::size_t i = 1;
      for (; i < line.size() && i < 8 && line[i] >= '0' && line[i] <= '9'; ++i) m = m * 10 + (line[i] - '0');
      if (i < line.size() && line[i] == ' ') {
        minute = m;
        line.remove_prefix(i + 1);
      }
    }
    const std::size_t tab = line.find('\t');
    notes.push_back(Note{kStart + cst::Duration{minute * kMinuteNs}, std::string(line.substr(0, tab)),
                         tab == std::string_view::npos ? std::string() : std::string(line.substr(tab + 1))});
  }
  return notes;
}

ComplianceReport collect(const std::vector<Note>& notes, std::optional<cst::Timestamp> from,
                         std::optional<cst::Timestamp> to) {
  std::vector<cst::JournalRecordView> views;
  views.reserve(notes.size());
  std::uint64_t seq = 0;
  for (const Note& n : notes) views.push_back(cst::JournalRecordView{++seq, n.time.ns, n.kind, n.payload});
  ComplianceReport r = cst::report::compliance::collect_records(views, from, to);
  r.from = from;
  r.to = to;
  return r;
}

template <class T>
void check_sorted(const std::vector<T>& counts, const char* what) {
  for (std::size_t i = 1; i < counts.size(); ++i) {
    if (counts[i - 1].count < counts[i].count) fail(std::string(what) + " not sorted by count");
  }
}

void check_report(const ComplianceReport& r, const std::vector<Note>& notes) {
  std::uint64_t in_window = 0;
  for (const Note& n : notes) {
    if ((!r.from || n.time >= *r.from) && (!r.to || n.time <= *r.to)) ++in_window;
  }
  if (r.records_in_window != in_window) fail("records_in_window is not the number of records in the window");
  if (r.malformed_listed.size() != std::min<std::uint64_t>(r.malformed, cst::report::kMaxMalformedListed))
    fail("malformed list is not the first min(malformed, 100)");
  std::uint64_t verdicts = 0;
  for (const auto& v : r.decisions.by_verdict) verdicts += v.count;
  if (verdicts != r.decisions.total) fail("decisions by verdict do not add up to the total");
  check_sorted(r.decisions.by_verdict, "verdicts");
  check_sorted(r.other_notes, "other notes");
  for (std::size_t i = 0; i < r.decisions.by_reason.size(); ++i) {
    if (i > 0 && r.decisions.by_reason[i - 1].total() < r.decisions.by_reason[i].total()) fail("reasons not sorted");
  }
  for (std::size_t i = 0; i < r.lockdowns.size(); ++i) {
    if (r.lockdowns[i].triggers.empty()) fail("a lockdown episode without a trigger");
    if (i + 1 < r.lockdowns.size() && !r.lockdowns[i].resumed_by) fail("an episode before the last was never ended");
  }
}

void check_rendering(const ComplianceReport& r) {
  const std::string json = cst::report::render_compliance_json(r);
  const nlohmann::json j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) fail("compliance.json is not one JSON object");
  const std::string html = cst::report::render_compliance_html(r);
  for (const char* markup : {"<script", "<img", "<b x=", "\" onclick="}) {
    if (html.find(markup) != std::string::npos) fail(std::string("journal text as markup in the HTML: ") + markup);
  }
  (void)j;
}

// Writes the notes with the real journal writer and compares what the report reads back with
// the records read directly, as the journal stores them.
void check_through_journal(const std::vector<Note>& notes, std::optional<cst::Timestamp> from,
                           std::optional<cst::Timestamp> to) {
  static const std::string path = "/tmp/cst_fuzz_compliance_" + std::to_string(::getpid()) + ".db";
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ec);
  cst::JournalOptions options;
  options.durability = cst::JournalDurability::kNone;
  options.queue_capacity = 64;  // at most 64 notes: a small ring and batches keep each run cheap
  options.linger = std::chrono::microseconds(0);
  {
    auto journal = cst::AuditJournal::open(path, options);
    if (!journal.ok()) fail("cannot create a journal: " + journal.error().message);
    for (const Note& n : notes) (*journal)->append(cst::NoteRecord{n.time, n.kind, n.payload});
    const cst::Status closed = (*journal)->close();
    if (!closed.ok()) fail("cannot close the journal: " + closed.error().message);
  }
  auto built = cst::report::build_compliance_report(path, from, to);
  if (!built.ok()) fail("the report refused an intact journal: " + built.error().message);
  if (!built->integrity.ok || !built->integrity.sealed || built->integrity.records != notes.size() + 1)
    fail("a journal just written and closed does not verify");

  std::vector<Note> stored;
  for (const Note& n : notes) {
    Note s{n.time, {}, {}};
    cst::audit::format_note(cst::NoteRecord{n.time, n.kind, n.payload}, &s.kind, &s.payload);
    stored.push_back(std::move(s));
  }
  // The seal is stamped with the last record's time by the writer; take it from the file.
  cst::Timestamp seal_time{};
  const cst::Status read = cst::for_each_record(path, [&](const cst::JournalRecordView& v) {
    seal_time = cst::Timestamp{v.time_ns};
    return true;
  });
  if (!read.ok()) fail("cannot read the journal back: " + read.error().message);
  Note seal{seal_time, std::string(cst::audit::kKindJournalClose), {}};
  cst::audit::format_seal_payload(notes.size() + 1, &seal.payload);
  stored.push_back(std::move(seal));

  ComplianceReport direct = collect(stored, from, to);
  direct.journal_name = built->journal_name;
  direct.integrity = built->integrity;
  if (cst::report::render_compliance_json(direct) != cst::report::render_compliance_json(*built))
    fail("the report of the journal file differs from the report of the records written to it");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  const bool through_journal = (data[0] & 0xC0) == 0xC0;
  std::optional<cst::Timestamp> from = bound(data[1]);
  std::optional<cst::Timestamp> to = bound(data[2]);
  if (from && to && *from > *to) std::swap(from, to);
  const std::vector<Note> notes = parse_notes(std::string_view(reinterpret_cast<const char*>(data + 3), size - 3));

  const ComplianceReport r = collect(notes, from, to);
  check_report(r, notes);
  check_rendering(r);
  if (through_journal && notes.size() <= 64) check_through_journal(notes, from, to);
  return 0;
}
