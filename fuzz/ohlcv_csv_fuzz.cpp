// libFuzzer target for the OHLCV CSV reader: any bytes, both formats, inferred and fixed
// decimals. A crash, a sanitizer report or a broken invariant of an accepted series is a bug.
// Build and run: see fuzz/README.md.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cst/market/ohlcv_csv_reader.hpp"

namespace {

// What every successfully parsed series promises (ohlcv_csv_reader.hpp, bar_series.hpp).
void check_series(const cst::BarSeries& s) {
  if (s.bars.empty()) std::abort();
  if (s.price_decimals < 0 || s.price_decimals > 18 || s.qty_decimals < 0 || s.qty_decimals > 18) std::abort();
  for (std::size_t i = 0; i < s.bars.size(); ++i) {
    const cst::Bar& b = s.bars[i];
    if (b.low.raw <= 0 || b.high < b.low) std::abort();
    if (b.open < b.low || b.open > b.high || b.close < b.low || b.close > b.high) std::abort();
    if (b.volume.raw < 0) std::abort();
    if (i > 0 && b.time <= s.bars[i - 1].time) std::abort();
  }
}

void run(std::string_view text, const cst::OhlcvCsvOptions& options) {
  auto r = cst::parse_ohlcv_csv(text, "fuzz.csv", options);
  if (r.ok()) {
    check_series(*r);
  } else if (r.error().message.rfind("fuzz.csv", 0) != 0) {
    std::abort();  // every message names its source first
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const auto format : {cst::OhlcvCsvFormat::kHeader, cst::OhlcvCsvFormat::kBinanceKline}) {
    cst::OhlcvCsvOptions options;
    options.format = format;
    run(text, options);
    options.price_decimals = 2;
    options.qty_decimals = 4;
    options.round_excess = true;
    run(text, options);
    options.price_decimals = cst::kInferDecimals;
    options.qty_decimals = cst::kInferDecimals;
    run(text, options);
  }
  return 0;
}
