// The OHLCV CSV reader. One pass over the bytes: each row is scanned field by field in place
// (no copies, no allocation), prices and volumes are kept as exact mantissas until the row is
// complete, then placed on the file's running decimal scale. When a row needs more decimals
// than every row before it, the bars read so far are rescaled once (at most 12 times per file),
// which is what lets the reader infer decimals without reading the file twice.
#include "cst/market/ohlcv_csv_reader.hpp"

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>

#include "cst/core/huge_pages.hpp"
#include "cst/core/timestamp.hpp"
#include "mapped_file.hpp"
#include "ohlcv_csv_parser.hpp"

namespace cst {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

}  // namespace

namespace ohlcv_csv {

Result<BarSeries> Parser::run() {
  for (const int d : {options_.price_decimals, options_.qty_decimals}) {
    if (d != kInferDecimals && (d < 0 || d > kMaxDecimals))
      return make_error(ErrorCode::kInvalidArgument, std::string(source_) + ": decimals must be " +
                                                         std::to_string(kInferDecimals) + " (infer) or 0.." +
                                                         std::to_string(kMaxDecimals) + ", got " + std::to_string(d));
  }
  price_ = Scale{0, options_.price_decimals == kInferDecimals, kMaxInferredPriceDecimals, "price_decimals"};
  qty_ = Scale{0, options_.qty_decimals == kInferDecimals, kMaxInferredQtyDecimals, "qty_decimals"};
  if (!price_.infer) price_.decimals = price_.limit = options_.price_decimals;
  if (!qty_.infer) qty_.decimals = qty_.limit = options_.qty_decimals;

  if (text_.substr(0, kBom.size()) == kBom) text_.remove_prefix(kBom.size());
  end_ = text_.data() + text_.size();
  const char* p = text_.data();
  if (auto err = start(p)) return *err;
  if (auto err = parse_rows(p)) return *err;

  BarSeries series;
  series.symbol = options_.symbol;
  series.price_decimals = price_.decimals;
  series.qty_decimals = qty_.decimals;
  series.bars = std::move(bars_);
  return series;
}

// Reads the header (or recognises its absence) and leaves p at the first data row.
std::optional<Error> Parser::start(const char*& p) {
  if (text_.empty()) return make_error(ErrorCode::kParse, std::string(source_) + ": file is empty");
  const std::size_t nl = text_.find('\n');
  std::string_view first_line = text_.substr(0, nl);
  if (!first_line.empty() && first_line.back() == '\r') first_line.remove_suffix(1);
  const char* after_first = nl == std::string_view::npos ? end_ : text_.data() + nl + 1;
  if (options_.format == OhlcvCsvFormat::kHeader) {
    auto layout = layout_from_header(first_line, source_);
    if (!layout.ok()) return layout.error();
    layout_ = std::move(layout).value();
    p = after_first;
    first_data_line_ = 2;
  } else {
    layout_ = binance_kline_layout();
    const bool header = is_binance_kline_header(first_line);
    p = header ? after_first : text_.data();
    first_data_line_ = header ? 2 : 1;
  }
  if (std::all_of(p, end_, [](char c) { return c == '\n' || c == '\r'; }))
    return make_error(ErrorCode::kParse,
                      std::string(source_) + ": no data rows" + (first_data_line_ == 2 ? " (header only)" : ""));
  // One reservation from the first row's length; shorter rows later cost one regrowth at most.
  const char* first_end = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end_ - p)));
  const auto row_len = static_cast<std::size_t>((first_end == nullptr ? end_ : first_end + 1) - p);
  const std::size_t estimate = static_cast<std::size_t>(end_ - p) / std::max<std::size_t>(row_len, 10);
  bars_.reserve(estimate + estimate / 16 + 16);
  advise_huge_pages(bars_.data(), bars_.capacity() * sizeof(Bar));
  return std::nullopt;
}

std::optional<Error> Parser::parse_rows(const char* p) {
  RawRow row;
  line_ = first_data_line_;
  while (p != end_) {
    if (*p == '\n' || *p == '\r') {
      // Blank lines may only close the file.
      if (std::all_of(p, end_, [](char c) { return c == '\n' || c == '\r'; })) break;
      return make_error(ErrorCode::kParse, csv_message::at(source_, line_, {}, "empty line"));
    }
    if (!parse_row(p, row) || !commit_row(row)) return error_;
    ++line_;
  }
  return std::nullopt;
}

// Scans one row into `row` and moves p to the start of the next line; false after an error.
bool Parser::parse_row(const char*& p, RawRow& row) {
  const char* const line_start = p;
  const std::size_t n = layout_.field_count();
  const ColumnRole* roles = layout_.roles.data();
  for (std::size_t col = 0; col < n; ++col) {
    const char* const field = p;
    switch (roles[col]) {
      case ColumnRole::kTime: {
        TimeScan ts;
        p = scan_utc_time(p, end_, row.time, ts);
        row.time_text = field;
        if (ts != TimeScan::kOk || !at_field_end(p)) return fail_time(field, ts);
        break;
      }
      case ColumnRole::kOpen:
      case ColumnRole::kHigh:
      case ColumnRole::kLow:
      case ColumnRole::kClose: {
        const auto k = static_cast<std::size_t>(roles[col]) - static_cast<std::size_t>(ColumnRole::kOpen);
        DecimalScan ds;
        p = scan_decimal(p, end_, row.price[k], ds);
        row.price_text[k] = field;
        if (ds != DecimalScan::kOk || !at_field_end(p)) return fail_number(field, roles[col], ds);
        break;
      }
      case ColumnRole::kVolume: {
        DecimalScan ds;
        p = scan_decimal(p, end_, row.volume, ds);
        row.volume_text = field;
        if (ds != DecimalScan::kOk || !at_field_end(p)) return fail_number(field, ColumnRole::kVolume, ds);
        break;
      }
      case ColumnRole::kIgnore:
        while (!at_field_end(p)) ++p;
        break;
    }
    if (col + 1 < n) {
      if (p == end_ || *p != ',') return fail_line_shape(line_start);
      ++p;
    }
  }
  if (p == end_) return true;
  if (*p == '\n') {
    ++p;
    return true;
  }
  if (*p == '\r' && (p + 1 == end_ || p[1] == '\n')) {
    p += p + 1 == end_ ? 1 : 2;
    return true;
  }
  return fail_line_shape(line_start);
}

// Places the row on the file's scales, validates it and appends the bar.
bool Parser::commit_row(const RawRow& row) {
  std::int64_t price_raw[kPriceFields];
  if (!fit_prices(row, price_raw)) return false;
  std::int64_t volume_raw = 0;
  if (layout_.has(ColumnRole::kVolume) && !fit_volume(row, volume_raw)) return false;
  const Bar bar{Timestamp{row.time},           Price::from_raw(price_raw[0]), Price::from_raw(price_raw[1]),
                Price::from_raw(price_raw[2]), Price::from_raw(price_raw[3]), Qty::from_raw(volume_raw)};
  if (!check_bar(row, bar)) return false;
  bars_.push_back(bar);
  return true;
}

bool Parser::fit_prices(const RawRow& row, std::int64_t (&raw)[kPriceFields]) {
  int needed = 0;
  for (const auto& v : row.price) needed = std::max(needed, decimals_needed(v));
  if (needed > price_.decimals && price_.infer && price_.decimals < price_.limit) {
    if (needed > price_.limit && !options_.round_excess) {
      for (int k = 0; k < kPriceFields; ++k) {
        if (decimals_needed(row.price[k]) > price_.limit)
          return fail_fit(row.price_text[k], static_cast<ColumnRole>(static_cast<int>(ColumnRole::kOpen) + k),
                          row.price[k], DecimalFit::kTooPrecise, price_);
      }
    }
    if (!raise_price_scale(std::min(needed, price_.limit))) return false;
  }
  for (int k = 0; k < kPriceFields; ++k) {
    const DecimalFit fit = decimal_to_raw(row.price[k], price_.decimals, options_.round_excess, raw[k]);
    const auto role = static_cast<ColumnRole>(static_cast<int>(ColumnRole::kOpen) + k);
    if (fit != DecimalFit::kOk) return fail_fit(row.price_text[k], role, row.price[k], fit, price_);
    if (raw[k] <= 0 || row.price[k].negative)
      return fail(ErrorCode::kCorruption, line_, column_name(role),
                  "price must be positive, got " + value_text(row.price_text[k]));
  }
  return true;
}

bool Parser::fit_volume(const RawRow& row, std::int64_t& raw) {
  const int needed = decimals_needed(row.volume);
  if (needed > qty_.decimals && qty_.infer && qty_.decimals < qty_.limit) {
    if (needed > qty_.limit && !options_.round_excess)
      return fail_fit(row.volume_text, ColumnRole::kVolume, row.volume, DecimalFit::kTooPrecise, qty_);
    if (!raise_qty_scale(std::min(needed, qty_.limit))) return false;
  }
  const DecimalFit fit = decimal_to_raw(row.volume, qty_.decimals, options_.round_excess, raw);
  if (fit != DecimalFit::kOk) return fail_fit(row.volume_text, ColumnRole::kVolume, row.volume, fit, qty_);
  if (raw < 0)
    return fail(ErrorCode::kCorruption, line_, column_name(ColumnRole::kVolume),
                "volume must not be negative, got " + value_text(row.volume_text));
  return true;
}

bool Parser::check_bar(const RawRow& row, const Bar& bar) {
  const auto fmt = [this](Price p) { return format_decimal(p.raw, price_.decimals); };
  if (bar.high < bar.low)
    return fail(ErrorCode::kCorruption, line_, column_name(ColumnRole::kHigh),
                "high " + fmt(bar.high) + " is below low " + fmt(bar.low));
  if (bar.open < bar.low || bar.open > bar.high)
    return fail(ErrorCode::kCorruption, line_, column_name(ColumnRole::kOpen),
                "open " + fmt(bar.open) + " is outside [low " + fmt(bar.low) + ", high " + fmt(bar.high) + "]");
  if (bar.close < bar.low || bar.close > bar.high)
    return fail(ErrorCode::kCorruption, line_, column_name(ColumnRole::kClose),
                "close " + fmt(bar.close) + " is outside [low " + fmt(bar.low) + ", high " + fmt(bar.high) + "]");
  if (!bars_.empty() && bar.time <= bars_.back().time) {
    const std::string prev = format_iso8601(bars_.back().time);
    const std::string what = bar.time == bars_.back().time
                                 ? "duplicate timestamp " + value_text(row.time_text) + " (" + prev + ", as on line " +
                                       std::to_string(line_ - 1) + ")"
                                 : "timestamp goes backwards: " + value_text(row.time_text) + " (" +
                                       format_iso8601(bar.time) + ") is before " + prev + " on line " +
                                       std::to_string(line_ - 1);
    return fail(ErrorCode::kCorruption, line_, column_name(ColumnRole::kTime), what);
  }
  return true;
}

// Multiplies every price read so far by 10^(decimals - current); kOverflow names the bar.
bool Parser::raise_price_scale(int decimals) {
  const auto factor =
      static_cast<std::int64_t>(decimal_detail::kPow10[static_cast<unsigned>(decimals - price_.decimals)]);
  for (std::size_t i = 0; i < bars_.size(); ++i) {
    Bar& b = bars_[i];
    Price* fields[kPriceFields] = {&b.open, &b.high, &b.low, &b.close};
    for (int k = 0; k < kPriceFields; ++k) {
      if (__builtin_mul_overflow(fields[k]->raw, factor, &fields[k]->raw)) {
        const auto role = static_cast<ColumnRole>(static_cast<int>(ColumnRole::kOpen) + k);
        return fail(ErrorCode::kOverflow, first_data_line_ + i, column_name(role),
                    "price does not fit int64 at " + std::to_string(decimals) + " decimals (needed from line " +
                        std::to_string(line_) + ")");
      }
    }
  }
  price_.decimals = decimals;
  return true;
}

bool Parser::raise_qty_scale(int decimals) {
  const auto factor =
      static_cast<std::int64_t>(decimal_detail::kPow10[static_cast<unsigned>(decimals - qty_.decimals)]);
  for (std::size_t i = 0; i < bars_.size(); ++i) {
    if (__builtin_mul_overflow(bars_[i].volume.raw, factor, &bars_[i].volume.raw))
      return fail(ErrorCode::kOverflow, first_data_line_ + i, column_name(ColumnRole::kVolume),
                  "volume does not fit int64 at " + std::to_string(decimals) + " decimals (needed from line " +
                      std::to_string(line_) + ")");
  }
  qty_.decimals = decimals;
  return true;
}

}  // namespace ohlcv_csv

Result<BarSeries> parse_ohlcv_csv(std::string_view text, std::string_view source_name, const OhlcvCsvOptions& options) {
  return ohlcv_csv::Parser(text, source_name, options).run();
}

Result<BarSeries> read_ohlcv_csv(const std::string& path, const OhlcvCsvOptions& options) {
  auto file = MappedFile::open(path);
  if (!file.ok()) return file.error();
  return parse_ohlcv_csv(file->text(), path, options);
}

}  // namespace cst
