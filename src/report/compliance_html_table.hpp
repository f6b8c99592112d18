// A small builder for the tables of the compliance page (private to the report module).
// Cells given as text are HTML-escaped; cells given as html() are trusted fragments built here.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "cst/report/compliance_report.hpp"

namespace cst::report::compliance_html {

class Table {
 public:
  // `first_bad_seq`: rows of records from that seq on are marked unverified (0: none are).
  Table(std::initializer_list<std::string_view> headers, std::uint64_t first_bad_seq);

  // Starts a row for a journal record: its seq and time are the first two cells.
  Table& row(const JournalRef& at);
  // Starts a row without a record.
  Table& row();
  Table& text(std::string_view s);
  Table& code(std::string_view s);
  Table& number(std::uint64_t v);
  Table& html(std::string_view fragment);

  bool empty() const { return rows_ == 0; }
  // The table, or `when_empty` as a note if it has no rows.
  std::string finish(std::string_view when_empty = "None in the window.");

 private:
  void end_row();
  std::string head_;
  std::string body_;
  std::uint64_t first_bad_seq_;
  std::size_t rows_ = 0;
  bool in_row_ = false;
};

// The seq from which rows are unverified: the journal's first bad record, or 0 if it is intact.
inline std::uint64_t first_unverified(const ComplianceReport& r) {
  return r.integrity.ok ? 0 : r.integrity.first_bad_seq;
}

// <section><h2>title</h2>body</section>; `body` is HTML.
std::string section(std::string_view title, const std::string& body);

// "2024-05-01T12:00:00.000000000Z", escaped for HTML (it needs none, but it is text).
std::string time_text(Timestamp t);

}  // namespace cst::report::compliance_html
