// Text helpers shared by the report writers (summary.json, HTML, SVG).
//
// Contract: every function here is pure, deterministic and independent of the C locale, so the
// same input gives the same bytes on every machine (DESIGN.md invariant 8). Text taken from a
// run (symbol, params, data path, strategy errors) is untrusted: the escapers replace invalid
// UTF-8 and control characters with U+FFFD, so the output is always valid UTF-8 that parses.
#pragma once

#include <string>
#include <string_view>

#include "cst/core/timestamp.hpp"

namespace cst::report {

// `v` with exactly `decimals` digits after the point ("12.500000"); magnitudes from 1e15 up are
// written in scientific notation ("1.234500e+20") to stay short. "-0.00" is normalized to
// "0.00". Non-finite values give "nan", "inf" or "-inf"; callers decide how to present them.
std::string format_fixed(double v, int decimals);

// Text safe inside HTML element content and double- or single-quoted attribute values.
std::string html_escape(std::string_view text);

// A complete JSON string literal, quotes included.
std::string json_quote(std::string_view text);

// "2024-01-31 12:00:00 UTC" for people; sub-second digits only when they are non-zero.
std::string format_utc(Timestamp t);

// Length of the valid UTF-8 sequence starting at text[i], or 0 if the bytes there are not one
// (overlong forms, surrogates and code points past U+10FFFF are invalid).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i);

}  // namespace cst::report
