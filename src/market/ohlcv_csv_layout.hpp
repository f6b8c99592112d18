// Which column of an OHLCV CSV file holds what: built from the header row, or fixed for the
// Binance kline export. Internal to the market module (used by ohlcv_csv_reader.cpp).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cst/core/result.hpp"

namespace cst::ohlcv_csv {

enum class ColumnRole : std::uint8_t { kIgnore, kTime, kOpen, kHigh, kLow, kClose, kVolume };
inline constexpr std::size_t kRoleCount = 7;
inline constexpr std::size_t kNoColumn = static_cast<std::size_t>(-1);

struct ColumnLayout {
  std::vector<ColumnRole> roles;                    // one per field of a row
  std::vector<std::string> names;                   // as written, for error messages
  std::array<std::size_t, kRoleCount> column_of{};  // column index per role, kNoColumn if absent

  std::size_t field_count() const { return roles.size(); }
  bool has(ColumnRole r) const { return column_of[static_cast<std::size_t>(r)] != kNoColumn; }
  const std::string& name_of(ColumnRole r) const { return names[column_of[static_cast<std::size_t>(r)]]; }
};

// Maps the header row (without its line end) to roles; errors name source line 1 and the
// missing, duplicated or ambiguous column.
Result<ColumnLayout> layout_from_header(std::string_view header, std::string_view source_name);

// open time, open, high, low, close, volume, then six ignored fields.
ColumnLayout binance_kline_layout();

// True if the line's first field is "open_time" (any case): the header some Binance exports carry.
bool is_binance_kline_header(std::string_view line);

}  // namespace cst::ohlcv_csv
