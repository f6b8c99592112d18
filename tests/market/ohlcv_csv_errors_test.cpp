// Every validation rule of the OHLCV CSV reader, each with the exact message a person reads:
// source, line (header = line 1) and column.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cst/market/ohlcv_csv_reader.hpp"

namespace cst {
namespace {

constexpr std::string_view kHeader = "timestamp,Open,High,Low,Close,Volume\n";
constexpr std::string_view kRow1 = "2022-01-01 00:00:00,100,110,90,105,5\n";

Error parse_error(std::string_view text, const OhlcvCsvOptions& options = {}) {
  auto r = parse_ohlcv_csv(text, "data.csv", options);
  EXPECT_FALSE(r.ok()) << "parsed: " << text;
  return r.ok() ? Error{ErrorCode::kInvalidArgument, "(no error)"} : r.error();
}

// Header and first row, then `row` as line 3.
Error row_error(std::string_view row, const OhlcvCsvOptions& options = {}) {
  return parse_error(std::string(kHeader) + std::string(kRow1) + std::string(row), options);
}

TEST(OhlcvCsvErrors, EmptyFile) {
  EXPECT_EQ(parse_error("").message, "data.csv: file is empty");
  EXPECT_EQ(parse_error("\xEF\xBB\xBF").message, "data.csv: file is empty");
}

TEST(OhlcvCsvErrors, HeaderOnly) {
  EXPECT_EQ(parse_error(kHeader).message, "data.csv: no data rows (header only)");
  EXPECT_EQ(parse_error(std::string(kHeader) + "\r\n\n").message, "data.csv: no data rows (header only)");
  EXPECT_EQ(parse_error("timestamp,Open,High,Low,Close,Volume").code, ErrorCode::kParse);
}

TEST(OhlcvCsvErrors, MissingRequiredColumnIsNamed) {
  const Error e = parse_error("timestamp,Open,High,Low,Volume\n2022-01-01,1,1,1,1\n");
  EXPECT_EQ(e.code, ErrorCode::kParse);
  EXPECT_EQ(e.message, "data.csv:1: missing required column Close (header has: timestamp, Open, High, Low, Volume)");
  EXPECT_NE(parse_error("Open,High,Low,Close\n1,1,1,1\n").message.find("missing required column time"),
            std::string::npos);
}

TEST(OhlcvCsvErrors, DuplicateAndAmbiguousColumns) {
  EXPECT_EQ(parse_error("Date,Open,High,Low,Close,close\n").message,
            "data.csv:1: column close appears twice ('Close' in column 5 and 'close' in column 6)");
  EXPECT_EQ(parse_error("Date,Time,Open,High,Low,Close\n").message,
            "data.csv:1: more than one time column ('Date' in column 1 and 'Time' in column 2)");
}

TEST(OhlcvCsvErrors, NonNumeric) {
  const Error e = row_error("2022-01-01 00:01:00,100,110,90,abc,5\n");
  EXPECT_EQ(e.code, ErrorCode::kParse);
  EXPECT_EQ(e.message, "data.csv:3: column Close: 'abc' is not a number");
  EXPECT_EQ(row_error("2022-01-01 00:01:00,100,110,90,1e2,5\n").message,
            "data.csv:3: column Close: '1e2' is not a number");
  EXPECT_EQ(row_error("2022-01-01 00:01:00,100,110,90, 105,5\n").message,
            "data.csv:3: column Close: ' 105' is not a number");
  EXPECT_EQ(row_error("2022-01-01 00:01:00,100,110,90,\"105\",5\n").message,
            "data.csv:3: column Close: '\"105\"' is not a number");
  EXPECT_EQ(row_error("2022-01-01 00:01:00,100,110,90,105,5x\n").message,
            "data.csv:3: column Volume: '5x' is not a number");
}

// Rules checked on line 3, after the header and one good row: each rule with the rows that
// break it and the exact message each one gets.
struct RowRule {
  std::string name;
  std::vector<std::pair<std::string, std::string>> examples;  // row, message
};
void PrintTo(const RowRule& r, std::ostream* os) { *os << r.name; }

class OhlcvCsvRowRule : public ::testing::TestWithParam<RowRule> {};

TEST_P(OhlcvCsvRowRule, NamesLineColumnAndValue) {
  for (const auto& [row, message] : GetParam().examples) {
    SCOPED_TRACE(row);
    EXPECT_EQ(row_error(row).message, message);
  }
}

INSTANTIATE_TEST_SUITE_P(
    OhlcvCsvErrors, OhlcvCsvRowRule,
    ::testing::Values(
        RowRule{"TooFewAndTooManyFields",
                {{"2022-01-01 00:01:00,100,110,90,105\n", "data.csv:3: expected 6 fields, found 5"},
                 {"2022-01-01 00:01:00,100,110,90,105,5,7\n", "data.csv:3: expected 6 fields, found 7"},
                 {"2022-01-01 00:01:00\n", "data.csv:3: expected 6 fields, found 1"}}},
        RowRule{"EmptyField",
                {{"2022-01-01 00:01:00,100,,90,105,5\n", "data.csv:3: column High: empty field"},
                 {",100,110,90,105,5\n", "data.csv:3: column timestamp: empty field"},
                 {"2022-01-01 00:01:00,100,110,90,105,\n", "data.csv:3: column Volume: empty field"}}},
        RowRule{"HighBelowLow",
                {{"2022-01-01 00:01:00,100,89,90,95,5\n", "data.csv:3: column High: high 89 is below low 90"}}},
        RowRule{"OpenOrCloseOutsideTheRange",
                {{"2022-01-01 00:01:00,111,110,90,105,5\n",
                  "data.csv:3: column Open: open 111 is outside [low 90, high 110]"},
                 {"2022-01-01 00:01:00,100,110,90,89.5,5\n",
                  "data.csv:3: column Close: close 89.5 is outside [low 90, high 110]"}}},
        RowRule{"TimestampGoesBackwards",
                {{"2021-12-31 23:59:00,100,110,90,105,5\n",
                  "data.csv:3: column timestamp: timestamp goes backwards: '2021-12-31 23:59:00' "
                  "(2021-12-31T23:59:00.000000000Z) is before 2022-01-01T00:00:00.000000000Z on line 2"}}},
        RowRule{"EmptyLineBetweenRows",
                {{"\n2022-01-01 00:02:00,100,110,90,105,5\n", "data.csv:3: empty line"},
                 {"\r\n2022-01-01 00:02:00,100,110,90,105,5\n", "data.csv:3: empty line"}}},
        RowRule{"StrayCarriageReturn",
                {{"2022-01-01 00:01:00,100\r,110,90,105,5\n", "data.csv:3: carriage return inside a line"}}},
        RowRule{"TooManyDecimalsToInfer",
                {{"2022-01-01 00:01:00,100,110,90,105.0000000000001,5\n",
                  "data.csv:3: column Close: '105.0000000000001' needs 13 decimals, more than the maximum of 12 (set "
                  "round_excess to round half-to-even)"},
                 {"2022-01-01 00:01:00,100,110,90,105,0.0000000000001\n",
                  "data.csv:3: column Volume: '0.0000000000001' needs 13 decimals, more than the maximum of 12 (set "
                  "round_excess to round half-to-even)"}}}),
    [](const ::testing::TestParamInfo<RowRule>& row) { return row.param.name; });

TEST(OhlcvCsvErrors, BadTimestamps) {
  EXPECT_EQ(row_error("yesterday,100,110,90,105,5\n").message,
            "data.csv:3: column timestamp: 'yesterday' is not a timestamp (expected YYYY-MM-DD[ HH:MM:SS[.fraction]] "
            "or epoch seconds/ms/us/ns)");
  EXPECT_EQ(row_error("2022-02-30,100,110,90,105,5\n").message,
            "data.csv:3: column timestamp: '2022-02-30' is not a valid date/time");
  EXPECT_EQ(row_error("2022-01-01 00:01:00+02:00,100,110,90,105,5\n").code, ErrorCode::kParse);
}

TEST(OhlcvCsvErrors, PricesMustBePositive) {
  const Error zero = row_error("2022-01-01 00:01:00,0,110,0,105,5\n");
  EXPECT_EQ(zero.code, ErrorCode::kCorruption);
  EXPECT_EQ(zero.message, "data.csv:3: column Open: price must be positive, got '0'");
  EXPECT_EQ(row_error("2022-01-01 00:01:00,100,110,-90,105,5\n").message,
            "data.csv:3: column Low: price must be positive, got '-90'");
}

TEST(OhlcvCsvErrors, VolumeMustNotBeNegative) {
  const Error e = row_error("2022-01-01 00:01:00,100,110,90,105,-5\n");
  EXPECT_EQ(e.code, ErrorCode::kCorruption);
  EXPECT_EQ(e.message, "data.csv:3: column Volume: volume must not be negative, got '-5'");
}

TEST(OhlcvCsvErrors, PriceRoundedToZeroIsRejected) {
  OhlcvCsvOptions options;
  options.round_excess = true;
  EXPECT_EQ(row_error("2022-01-01 00:01:00,100,110,0.000000000000000000000000000001,105,5\n", options).message,
            "data.csv:3: column Low: price must be positive, got '0.000000000000000000000000000001'");
}

TEST(OhlcvCsvErrors, DuplicateTimestamp) {
  const Error e = row_error("2022-01-01 00:00:00,100,110,90,105,5\n");
  EXPECT_EQ(e.code, ErrorCode::kCorruption);
  EXPECT_EQ(e.message,
            "data.csv:3: column timestamp: duplicate timestamp '2022-01-01 00:00:00' (2022-01-01T00:00:00.000000000Z, "
            "as on line 2)");
}

TEST(OhlcvCsvErrors, TooManyDecimalsForTheFixedScale) {
  OhlcvCsvOptions options;
  options.price_decimals = 2;
  const Error e = row_error("2022-01-01 00:01:00,100,110,90,105.125,5\n", options);
  EXPECT_EQ(e.code, ErrorCode::kParse);
  EXPECT_EQ(e.message,
            "data.csv:3: column Close: '105.125' needs 3 decimals, more than price_decimals=2 (set round_excess to "
            "round half-to-even)");
}

TEST(OhlcvCsvErrors, ValueTooLargeForItsScale) {
  // 10^7 at 12 decimals is 10^19: past int64.
  const Error e = row_error("2022-01-01 00:01:00,100,10000000.000000000001,90,105,5\n");
  EXPECT_EQ(e.code, ErrorCode::kOverflow);
  EXPECT_EQ(e.message, "data.csv:3: column High: '10000000.000000000001' does not fit int64 at 12 decimals");
  EXPECT_EQ(row_error("2022-01-01 00:01:00,100,99999999999999999999,90,105,5\n").code, ErrorCode::kOverflow);
}

TEST(OhlcvCsvErrors, RescalingEarlierBarsPastInt64IsNamed) {
  // Line 2's high fits at 0 decimals but not at the 12 that line 3 asks for.
  const Error e = parse_error(std::string(kHeader) + "2022-01-01,100,10000000,90,105,5\n" +
                              "2022-01-02,100.000000000001,110,90,105,5\n");
  EXPECT_EQ(e.code, ErrorCode::kOverflow);
  EXPECT_EQ(e.message, "data.csv:2: column High: price does not fit int64 at 12 decimals (needed from line 3)");
}

TEST(OhlcvCsvErrors, BinanceKlineFieldCount) {
  OhlcvCsvOptions options;
  options.format = OhlcvCsvFormat::kBinanceKline;
  EXPECT_EQ(parse_error("1637971200000,1,1,1,1,1\n", options).message, "data.csv:1: expected 12 fields, found 6");
  EXPECT_EQ(parse_error("", options).message, "data.csv: file is empty");
  EXPECT_EQ(parse_error("\n\n", options).message, "data.csv: no data rows");
}

TEST(OhlcvCsvErrors, BadOptions) {
  OhlcvCsvOptions options;
  options.price_decimals = 19;
  EXPECT_EQ(parse_error(std::string(kHeader) + std::string(kRow1), options).code, ErrorCode::kInvalidArgument);
}

TEST(OhlcvCsvErrors, MissingFileIsAnIoError) {
  auto r = read_ohlcv_csv("/nonexistent/bars.csv", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kIo);
  EXPECT_EQ(r.error().message, "/nonexistent/bars.csv: cannot open: No such file or directory");
}

TEST(OhlcvCsvErrors, EmptyFileOnDiskAndDirectories) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("cst_market_empty_" + std::to_string(::getpid()) + ".csv")).string();
  std::ofstream(path).close();
  auto empty = read_ohlcv_csv(path, {});
  std::filesystem::remove(path);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().message, path + ": file is empty");

  auto dir = read_ohlcv_csv(std::filesystem::temp_directory_path().string(), {});
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.error().code, ErrorCode::kIo);
  EXPECT_NE(dir.error().message.find("not a regular file"), std::string::npos);
}

TEST(OhlcvCsvErrors, MessagesQuoteBinaryBytesSafely) {
  EXPECT_EQ(row_error(std::string("2022-01-01 00:01:00,100,110,90,\x01\xff,5\n")).message,
            "data.csv:3: column Close: '\\x01\\xff' is not a number");
}

}  // namespace
}  // namespace cst
