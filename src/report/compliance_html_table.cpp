#include "compliance_html_table.hpp"

#include "cst/report/text_format.hpp"

namespace cst::report::compliance_html {

Table::Table(std::initializer_list<std::string_view> headers, std::uint64_t first_bad_seq)
    : head_("<table><thead><tr>"), first_bad_seq_(first_bad_seq) {
  for (std::string_view h : headers) head_ += "<th>" + html_escape(h) + "</th>";
  head_ += "</tr></thead><tbody>";
}

void Table::end_row() {
  if (in_row_) body_ += "</tr>";
  in_row_ = false;
}

Table& Table::row(const JournalRef& at) {
  end_row();
  const bool unverified = first_bad_seq_ != 0 && at.seq >= first_bad_seq_;
  body_ += unverified ? "<tr class=\"unverified\" title=\"at or after the record where the journal breaks\">" : "<tr>";
  body_ += "<td class=\"num\">" + std::to_string(at.seq) + (unverified ? " &#9888;" : "") + "</td>";
  body_ += "<td class=\"time\">" + time_text(at.time) + "</td>";
  ++rows_;
  in_row_ = true;
  return *this;
}

Table& Table::row() {
  end_row();
  body_ += "<tr>";
  ++rows_;
  in_row_ = true;
  return *this;
}

Table& Table::text(std::string_view s) { return html(html_escape(s)); }

Table& Table::code(std::string_view s) { return html("<code>" + html_escape(s) + "</code>"); }

Table& Table::number(std::uint64_t v) {
  body_ += "<td class=\"num\">" + std::to_string(v) + "</td>";
  return *this;
}

Table& Table::html(std::string_view fragment) {
  body_ += "<td>";
  body_ += fragment;
  body_ += "</td>";
  return *this;
}

std::string Table::finish(std::string_view when_empty) {
  end_row();
  if (rows_ == 0) return "<p class=\"note\">" + html_escape(when_empty) + "</p>";
  return head_ + body_ + "</tbody></table>";
}

std::string section(std::string_view title, const std::string& body) {
  return "<section><h2>" + html_escape(title) + "</h2>" + body + "</section>\n";
}

std::string time_text(Timestamp t) { return html_escape(format_iso8601(t)); }

}  // namespace cst::report::compliance_html
