// The parser behind read_ohlcv_csv / parse_ohlcv_csv: one object per call, holding the
// layout, the running decimal scales and the bars read so far. Internal to the market module;
// split over ohlcv_csv_reader.cpp (scanning, scales, validation) and ohlcv_csv_errors.cpp
// (error messages, built only on the failure path).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cst/market/decimal_field.hpp"
#include "cst/market/ohlcv_csv_reader.hpp"
#include "cst/market/time_field.hpp"
#include "csv_message.hpp"
#include "ohlcv_csv_layout.hpp"

namespace cst::ohlcv_csv {

constexpr int kPriceFields = 4;  // open, high, low, close in this order

// The decimals of one kind of value (prices or volumes) as the file is read.
struct Scale {
  int decimals = 0;
  bool infer = true;
  int limit = 0;  // largest allowed: the cap when inferring, else the fixed decimals
  const char* option = "";
};

// One row as scanned, before it is placed on the file's scale.
struct RawRow {
  std::int64_t time = 0;
  DecimalText price[kPriceFields];
  DecimalText volume;
  const char* time_text = nullptr;
  const char* price_text[kPriceFields] = {};
  const char* volume_text = nullptr;
};

// Failures set error_ and return false, so the hot loop passes one bool up.
class Parser {
 public:
  Parser(std::string_view text, std::string_view source, const OhlcvCsvOptions& options)
      : text_(text), source_(source), options_(options) {}
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  Result<BarSeries> run();

 private:
  std::optional<Error> start(const char*& p);
  std::optional<Error> parse_rows(const char* p);
  bool parse_row(const char*& p, RawRow& row);
  bool commit_row(const RawRow& row);
  bool fit_prices(const RawRow& row, std::int64_t (&raw)[kPriceFields]);
  bool fit_volume(const RawRow& row, std::int64_t& raw);
  bool check_bar(const RawRow& row, const Bar& bar);
  bool raise_price_scale(int decimals);
  bool raise_qty_scale(int decimals);

  bool at_field_end(const char* p) const { return p == end_ || *p == ',' || *p == '\n' || *p == '\r'; }
  std::string_view field_text(const char* field) const;
  const std::string& column_name(ColumnRole role) const { return layout_.name_of(role); }
  std::string value_text(const char* field) const { return "'" + csv_message::printable(field_text(field)) + "'"; }
  bool fail(ErrorCode code, std::uint64_t line, std::string_view column, std::string_view what);
  bool fail_time(const char* field, TimeScan status);
  bool fail_number(const char* field, ColumnRole role, DecimalScan status);
  bool fail_fit(const char* field, ColumnRole role, const DecimalText& value, DecimalFit fit, const Scale& s);
  bool fail_line_shape(const char* line_start);

  std::string_view text_;
  std::string_view source_;
  const OhlcvCsvOptions& options_;
  const char* end_ = nullptr;
  ColumnLayout layout_;
  std::uint64_t first_data_line_ = 2;
  std::uint64_t line_ = 0;  // line being parsed
  Scale price_;
  Scale qty_;
  std::vector<Bar> bars_;
  std::optional<Error> error_;
};

}  // namespace cst::ohlcv_csv
