#include "ohlcv_csv_layout.hpp"

#include <string>

#include "csv_message.hpp"

namespace cst::ohlcv_csv {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Header cells may be padded or quoted by spreadsheet exports; the name is what is inside.
std::string_view clean_name(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

ColumnRole role_of(const std::string& lower_name) {
  if (lower_name == "date" || lower_name == "datetime" || lower_name == "timestamp" || lower_name == "time" ||
      lower_name == "open time" || lower_name == "open_time")
    return ColumnRole::kTime;
  if (lower_name == "open") return ColumnRole::kOpen;
  if (lower_name == "high") return ColumnRole::kHigh;
  if (lower_name == "low") return ColumnRole::kLow;
  if (lower_name == "close") return ColumnRole::kClose;
  if (lower_name == "volume") return ColumnRole::kVolume;
  return ColumnRole::kIgnore;  // includes "adj close": we keep raw OHLC
}

std::string header_error(std::string_view source_name, const std::string& what) {
  return std::string(source_name) + ":1: " + what;
}

}  // namespace

Result<ColumnLayout> layout_from_header(std::string_view header, std::string_view source_name) {
  ColumnLayout layout;
  layout.column_of.fill(kNoColumn);
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = header.find(',', start);
    const std::string_view cell =
        header.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    const std::string_view name = clean_name(cell);
    const ColumnRole role = role_of(lower(name));
    const std::size_t col = layout.roles.size();
    if (role != ColumnRole::kIgnore) {
      std::size_t& slot = layout.column_of[static_cast<std::size_t>(role)];
      if (slot != kNoColumn) {
        const std::string what = role == ColumnRole::kTime
                                     ? "more than one time column"
                                     : "column " + csv_message::printable(name) + " appears twice";
        return make_error(
            ErrorCode::kParse,
            header_error(source_name, what + " ('" + csv_message::printable(layout.names[slot]) + "' in column " +
                                          std::to_string(slot + 1) + " and '" + csv_message::printable(name) +
                                          "' in column " + std::to_string(col + 1) + ")"));
      }
      slot = col;
    }
    layout.roles.push_back(role);
    layout.names.emplace_back(name);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  static constexpr std::pair<ColumnRole, const char*> kRequired[] = {
      {ColumnRole::kTime, "time (Date, Datetime, Timestamp, Time or Open time)"},
      {ColumnRole::kOpen, "Open"},
      {ColumnRole::kHigh, "High"},
      {ColumnRole::kLow, "Low"},
      {ColumnRole::kClose, "Close"}};
  for (const auto& [role, label] : kRequired) {
    if (!layout.has(role)) {
      std::string found;
      for (const auto& n : layout.names) found += (found.empty() ? "" : ", ") + n;
      found = csv_message::printable(found, 200);
      return make_error(ErrorCode::kParse, header_error(source_name, "missing required column " + std::string(label) +
                                                                         " (header has: " + found + ")"));
    }
  }
  return layout;
}

ColumnLayout binance_kline_layout() {
  ColumnLayout layout;
  layout.roles = {ColumnRole::kTime,   ColumnRole::kOpen,   ColumnRole::kHigh,   ColumnRole::kLow,
                  ColumnRole::kClose,  ColumnRole::kVolume, ColumnRole::kIgnore, ColumnRole::kIgnore,
                  ColumnRole::kIgnore, ColumnRole::kIgnore, ColumnRole::kIgnore, ColumnRole::kIgnore};
  layout.names = {"open_time",
                  "open",
                  "high",
                  "low",
                  "close",
                  "volume",
                  "close_time",
                  "quote_volume",
                  "count",
                  "taker_buy_volume",
                  "taker_buy_quote_volume",
                  "ignore"};
  layout.column_of.fill(kNoColumn);
  for (std::size_t i = 0; i < layout.roles.size(); ++i) {
    if (layout.roles[i] != ColumnRole::kIgnore) layout.column_of[static_cast<std::size_t>(layout.roles[i])] = i;
  }
  return layout;
}

bool is_binance_kline_header(std::string_view line) {
  const std::size_t comma = line.find(',');
  return lower(clean_name(line.substr(0, comma))) == "open_time";
}

}  // namespace cst::ohlcv_csv
