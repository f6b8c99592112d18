// Strict, fast reader of OHLCV bar files (CSV) into a BarSeries.
//
// Format kHeader: a header row, then one bar per line. Column names are matched without
// regard to case or surrounding spaces/quotes, in any order:
//   time   - exactly one of: Date, Datetime, Timestamp, Time, Open time (or open_time)
//   Open, High, Low, Close - required;  Volume - optional (0 when absent)
//   anything else (Adj Close, vwap, count, ...) is ignored, but every row must still have
//   exactly as many fields as the header.
// Format kBinanceKline: Binance's kline export without a header (a first line starting with
// "open_time" is skipped): open time, open, high, low, close, volume, close time, quote volume,
// trades, taker buy base, taker buy quote, ignore - exactly 12 fields.
// Time forms are those of time_field.hpp (ISO date/date-time or epoch s/ms/µs/ns by
// magnitude), all UTC; Bar::time is the bar's open time. Delimiter ','; a UTF-8 BOM, CRLF line
// ends and trailing empty lines are accepted; an empty line between rows is not.
//
// Prices and volumes are parsed exactly into fixed point, never through floating point. With
// price_decimals/qty_decimals left at kInferDecimals the reader uses the fewest decimals that
// represent every price (every volume) of the file exactly, found in the same single pass.
// A value needing more than the fixed (or the maximum inferable) decimals is an error unless
// round_excess, which rounds it half-to-even.
//
// Validation is strict and every error names the source, the 1-based line (header = line 1)
// and the column: "data.csv:17: column Close: 'abc' is not a number". Checked: header and
// required columns, field counts, empty and non-numeric fields, price > 0, volume >= 0,
// low <= open, close <= high, strictly increasing times, at least one bar. Error codes:
// kIo (cannot read the file), kInvalidArgument (bad options), kParse (the text is not a valid
// file of this format), kCorruption (well-formed but not a valid bar series: prices,
// OHLC order, time order), kOverflow (a value does not fit int64 at the chosen decimals).
// Errors are returned, never thrown; no input can crash the reader.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "cst/core/result.hpp"
#include "cst/market/bar_series.hpp"

namespace cst {

enum class OhlcvCsvFormat : std::uint8_t {
  kHeader,        // header row naming the columns
  kBinanceKline,  // Binance kline export, fixed columns, no header
};

inline constexpr int kInferDecimals = -1;
inline constexpr int kMaxInferredPriceDecimals = 12;
inline constexpr int kMaxInferredQtyDecimals = 12;

struct OhlcvCsvOptions {
  OhlcvCsvFormat format = OhlcvCsvFormat::kHeader;
  std::string symbol;                   // copied to BarSeries::symbol
  int price_decimals = kInferDecimals;  // 0..18 to fix the price unit, or infer
  int qty_decimals = kInferDecimals;    // 0..18 to fix the volume unit, or infer
  bool round_excess = false;            // round extra decimals half-to-even instead of failing
};

// Parses CSV text already in memory. source_name is used only in error messages.
Result<BarSeries> parse_ohlcv_csv(std::string_view text, std::string_view source_name, const OhlcvCsvOptions& options);

// Memory-maps the file at `path` and parses it; errors name the path.
Result<BarSeries> read_ohlcv_csv(const std::string& path, const OhlcvCsvOptions& options);

}  // namespace cst
