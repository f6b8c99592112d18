#include "cst/report/text_format.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>

namespace cst::report {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool is_continuation(unsigned char c) { return (c & 0xC0U) == 0x80U; }

// Calls emit(piece, is_text) for each run: valid UTF-8 bytes are passed through one sequence at
// a time; anything invalid arrives as the replacement character, so escapers never see it.
template <class Emit>
void for_each_sequence(std::string_view text, Emit&& emit) {
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t n = utf8_sequence_length(text, i);
    if (n == 0) {
      emit(kReplacement);
      ++i;
    } else {
      emit(text.substr(i, n));
      i += n;
    }
  }
}

// Appends `text` to `out` with each single-byte sequence passed through escape_byte(out, c);
// multi-byte sequences (and replacement characters) are appended as they are.
template <class EscapeByte>
void escape_into(std::string& out, std::string_view text, EscapeByte&& escape_byte) {
  for_each_sequence(text, [&out, &escape_byte](std::string_view seq) {
    if (seq.size() != 1) {
      out += seq;
      return;
    }
    escape_byte(out, seq[0]);
  });
}

// Control characters other than tab, LF and CR are not allowed in HTML text.
bool is_disallowed_control(unsigned char c) { return (c < 0x20U && c != '\t' && c != '\n' && c != '\r') || c == 0x7FU; }

}  // namespace

std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto c0 = static_cast<unsigned char>(text[i]);
  if (c0 < 0x80U) return 1;
  std::size_t len = 0;
  std::uint32_t cp = 0;
  if ((c0 & 0xE0U) == 0xC0U) {
    len = 2;
    cp = c0 & 0x1FU;
  } else if ((c0 & 0xF0U) == 0xE0U) {
    len = 3;
    cp = c0 & 0x0FU;
  } else if ((c0 & 0xF8U) == 0xF0U) {
    len = 4;
    cp = c0 & 0x07U;
  } else {
    return 0;
  }
  if (i + len > text.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto c = static_cast<unsigned char>(text[i + k]);
    if (!is_continuation(c)) return 0;
    cp = (cp << 6U) | (c & 0x3FU);
  }
  static constexpr std::uint32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMinForLength[len] || cp > 0x10FFFFU || (cp >= 0xD800U && cp <= 0xDFFFU)) return 0;
  return len;
}

std::string format_fixed(double v, int decimals) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  const auto fmt = std::fabs(v) >= 1e15 ? std::chars_format::scientific : std::chars_format::fixed;
  const auto res = std::to_chars(buf, buf + sizeof buf, v, fmt, decimals);
  std::string out(buf, res.ptr);
  // A tiny negative value rounds to "-0.00"; a sign on zero only confuses readers and diffs.
  if (!out.empty() && out[0] == '-' && out.find_first_of("123456789") == std::string::npos) {
    out.erase(0, 1);
  }
  return out;
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  escape_into(out, text, [](std::string& dst, char c) {
    switch (c) {
      case '&': dst += "&amp;"; break;
      case '<': dst += "&lt;"; break;
      case '>': dst += "&gt;"; break;
      case '"': dst += "&quot;"; break;
      case '\'': dst += "&#39;"; break;
      default:
        if (is_disallowed_control(static_cast<unsigned char>(c))) {
          dst += kReplacement;
        } else {
          dst += c;
        }
    }
  });
  return out;
}

std::string json_quote(std::string_view text) {
  std::string out = "\"";
  out.reserve(text.size() + 2);
  escape_into(out, text, [](std::string& dst, char c) {
    switch (c) {
      case '"': dst += "\\\""; break;
      case '\\': dst += "\\\\"; break;
      case '\n': dst += "\\n"; break;
      case '\r': dst += "\\r"; break;
      case '\t': dst += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20U) {
          char buf[8];
          (void)std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          dst += buf;
        } else {
          dst += c;
        }
    }
  });
  out += '"';
  return out;
}

std::string format_utc(Timestamp t) {
  // format_iso8601 gives "2024-01-31T12:00:00.000000000Z".
  std::string iso = format_iso8601(t);
  const std::size_t dot = iso.find('.');
  std::string out = iso.substr(0, dot);
  const std::size_t t_pos = out.find('T');
  if (t_pos != std::string::npos) out[t_pos] = ' ';
  if (dot != std::string::npos) {
    std::string frac = iso.substr(dot + 1, iso.size() - dot - 2);
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    if (!frac.empty()) out += "." + frac;
  }
  return out + " UTC";
}

}  // namespace cst::report
