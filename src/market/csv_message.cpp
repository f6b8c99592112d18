#include "csv_message.hpp"

namespace cst::csv_message {

std::string printable(std::string_view text, std::size_t max_chars) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size() < max_chars ? text.size() : max_chars);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i == max_chars) {
      out += "...";
      break;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

std::string at(std::string_view source, std::uint64_t line, std::string_view column, std::string_view what) {
  std::string out(source);
  out += ':';
  out += std::to_string(line);
  out += ": ";
  if (!column.empty()) {
    out += "column ";
    out += printable(column);
    out += ": ";
  }
  out += what;
  return out;
}

}  // namespace cst::csv_message
