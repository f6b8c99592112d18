// Error messages of the OHLCV CSV parser: "source:line: column Name: what".
#include <algorithm>
#include <cstring>
#include <string>

#include "ohlcv_csv_parser.hpp"

namespace cst::ohlcv_csv {

std::string_view Parser::field_text(const char* field) const {
  const char* e = field;
  while (!at_field_end(e)) ++e;
  return {field, static_cast<std::size_t>(e - field)};
}

bool Parser::fail(ErrorCode code, std::uint64_t line, std::string_view column, std::string_view what) {
  error_ = make_error(code, csv_message::at(source_, line, column, what));
  return false;
}

bool Parser::fail_time(const char* field, TimeScan status) {
  const std::string& column = column_name(ColumnRole::kTime);
  if (field_text(field).empty()) return fail(ErrorCode::kParse, line_, column, "empty field");
  switch (status) {
    case TimeScan::kBadDate:
      return fail(ErrorCode::kParse, line_, column, value_text(field) + " is not a valid date/time");
    case TimeScan::kOutOfRange:
      return fail(ErrorCode::kParse, line_, column,
                  value_text(field) + " is outside the representable time range (years 1677 to 2262)");
    default:
      return fail(ErrorCode::kParse, line_, column,
                  value_text(field) +
                      " is not a timestamp (expected YYYY-MM-DD[ HH:MM:SS[.fraction]] or epoch "
                      "seconds/ms/us/ns)");
  }
}

bool Parser::fail_number(const char* field, ColumnRole role, DecimalScan status) {
  const std::string& column = column_name(role);
  if (field_text(field).empty()) return fail(ErrorCode::kParse, line_, column, "empty field");
  if (status == DecimalScan::kTooLarge)
    return fail(ErrorCode::kOverflow, line_, column, value_text(field) + " is too large");
  return fail(ErrorCode::kParse, line_, column, value_text(field) + " is not a number");
}

bool Parser::fail_fit(const char* field, ColumnRole role, const DecimalText& value, DecimalFit fit, const Scale& s) {
  const std::string& column = column_name(role);
  if (fit == DecimalFit::kOverflow)
    return fail(ErrorCode::kOverflow, line_, column,
                value_text(field) + " does not fit int64 at " + std::to_string(s.decimals) + " decimals");
  const std::string needs = std::to_string(decimals_needed(value));
  const std::string allowed =
      s.infer ? "the maximum of " + std::to_string(s.limit) : std::string(s.option) + "=" + std::to_string(s.limit);
  return fail(ErrorCode::kParse, line_, column,
              value_text(field) + " needs " + needs + " decimals, more than " + allowed +
                  " (set round_excess to round half-to-even)");
}

// The row ended early, went on too long, or has a stray carriage return.
bool Parser::fail_line_shape(const char* line_start) {
  const char* e = static_cast<const char*>(std::memchr(line_start, '\n', static_cast<std::size_t>(end_ - line_start)));
  std::string_view line(line_start, static_cast<std::size_t>((e == nullptr ? end_ : e) - line_start));
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.find('\r') != std::string_view::npos)
    return fail(ErrorCode::kParse, line_, {}, "carriage return inside a line");
  const auto found = static_cast<std::size_t>(std::count(line.begin(), line.end(), ',')) + 1;
  return fail(ErrorCode::kParse, line_, {},
              "expected " + std::to_string(layout_.field_count()) + " fields, found " + std::to_string(found));
}

}  // namespace cst::ohlcv_csv
