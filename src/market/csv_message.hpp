// Pieces of reader error messages. Internal to the market module. Input text is quoted as
// printable ASCII and cut short, so that a message about a binary or huge field stays readable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cst::csv_message {

// text with non-printable bytes as \xNN, cut to max_chars with "..." appended.
std::string printable(std::string_view text, std::size_t max_chars = 64);

// "source:line: column Name: what" (without the column part when column is empty).
std::string at(std::string_view source, std::uint64_t line, std::string_view column, std::string_view what);

}  // namespace cst::csv_message
