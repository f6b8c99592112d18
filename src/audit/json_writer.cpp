#include "cst/audit/json_writer.hpp"

#include <cctype>
#include <charconv>
#include <cstring>

namespace cst::audit {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not valid (overlong forms,
// surrogates and code points above U+10FFFF are invalid, as RFC 3629 says).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  std::size_t len = 0;
  std::uint32_t cp = 0;
  if (b0 < 0x80) return 1;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    cp = b0 & 0x1FU;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    cp = b0 & 0x0FU;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    cp = b0 & 0x07U;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0U) != 0x80U) return 0;
    cp = (cp << 6) | (b & 0x3FU);
  }
  if (len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) return 0;
  if (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) return 0;
  return len;
}

// Recursive-descent syntax check; depth-limited so hostile input cannot exhaust the stack.
class JsonChecker {
 public:
  explicit JsonChecker(std::string_view t) : t_(t) {}

  bool object_document() {
    skip_ws();
    if (peek() != '{' || !value(0)) return false;
    skip_ws();
    return i_ == t_.size();
  }

 private:
  static constexpr int kMaxDepth = 64;

  char peek() const { return i_ < t_.size() ? t_[i_] : '\0'; }
  void skip_ws() {
    while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\t' || t_[i_] == '\n' || t_[i_] == '\r')) ++i_;
  }
  bool literal(std::string_view word) {
    if (t_.substr(i_, word.size()) != word) return false;
    i_ += word.size();
    return true;
  }
  bool digits() {
    const std::size_t start = i_;
    while (i_ < t_.size() && t_[i_] >= '0' && t_[i_] <= '9') ++i_;
    return i_ > start;
  }

  bool value(int depth) {
    if (depth > kMaxDepth) return false;
    skip_ws();
    switch (peek()) {
      case '{': return container(depth, '}', true);
      case '[': return container(depth, ']', false);
      case '"': return string();
      case 't': return literal("true");
      case 'f': return literal("false");
      case 'n': return literal("null");
      default: return number();
    }
  }

  bool container(int depth, char close, bool is_object) {
    ++i_;  // the opening bracket
    skip_ws();
    if (peek() == close) {
      ++i_;
      return true;
    }
    for (;;) {
      if (is_object) {
        skip_ws();
        if (peek() != '"' || !string()) return false;
        skip_ws();
        if (peek() != ':') return false;
        ++i_;
      }
      if (!value(depth + 1)) return false;
      skip_ws();
      if (peek() == ',') {
        ++i_;
        continue;
      }
      if (peek() != close) return false;
      ++i_;
      return true;
    }
  }

  bool string() {
    ++i_;  // the opening quote
    while (i_ < t_.size()) {
      const auto c = static_cast<unsigned char>(t_[i_]);
      if (c == '"') {
        ++i_;
        return true;
      }
      if (c < 0x20) return false;
      if (c == '\\') {
        if (++i_ >= t_.size()) return false;
        const char e = t_[i_++];
        if (e == 'u') {
          for (int k = 0; k < 4; ++k, ++i_) {
            if (i_ >= t_.size() || !std::isxdigit(static_cast<unsigned char>(t_[i_]))) return false;
          }
        } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
          return false;
        }
        continue;
      }
      const std::size_t len = utf8_sequence_length(t_, i_);
      if (len == 0) return false;
      i_ += len;
    }
    return false;
  }

  bool number() {
    if (peek() == '-') ++i_;
    if (peek() == '0') {
      ++i_;
    } else if (!digits()) {
      return false;
    }
    if (peek() == '.') {
      ++i_;
      if (!digits()) return false;
    }
    if (peek() == 'e' || peek() == 'E') {
      ++i_;
      if (peek() == '+' || peek() == '-') ++i_;
      if (!digits()) return false;
    }
    return true;
  }

  std::string_view t_;
  std::size_t i_ = 0;
};

}  // namespace

char* write_json_string(std::string_view s, char* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  *out++ = '"';
  std::size_t i = 0;
  while (i < s.size()) {
    // Most text needs no escaping: copy runs of plain ASCII in one go.
    std::size_t run = i;
    while (run < s.size()) {
      const auto r = static_cast<unsigned char>(s[run]);
      if (r < 0x20 || r >= 0x80 || r == '"' || r == '\\') break;
      ++run;
    }
    if (run > i) {
      std::memcpy(out, s.data() + i, run - i);
      out += run - i;
      i = run;
      continue;
    }
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const std::size_t len = utf8_sequence_length(s, i);
      if (len == 0) {
        std::memcpy(out, "\\ufffd", 6);  // NOLINT(bugprone-not-null-terminated-result): JSON text, not a C string
        out += 6;
        ++i;
      } else {
        std::memcpy(out, s.data() + i, len);
        out += len;
        i += len;
      }
      continue;
    }
    *out++ = '\\';
    switch (c) {
      case '"': *out++ = '"'; break;
      case '\\': *out++ = '\\'; break;
      case '\b': *out++ = 'b'; break;
      case '\f': *out++ = 'f'; break;
      case '\n': *out++ = 'n'; break;
      case '\r': *out++ = 'r'; break;
      case '\t': *out++ = 't'; break;
      default:                       // another control character
        std::memcpy(out, "u00", 3);  // NOLINT(bugprone-not-null-terminated-result): JSON text, not a C string
        out[3] = kHex[c >> 4];
        out[4] = kHex[c & 0x0fU];
        out += 5;
    }
    ++i;
  }
  *out++ = '"';
  return out;
}

void append_json_string(std::string* out, std::string_view s) {
  const std::size_t old_size = out->size();
  out->resize(old_size + json_string_bound(s.size()));
  char* end = write_json_string(s, out->data() + old_size);
  out->resize(static_cast<std::size_t>(end - out->data()));
}

void JsonWriter::separator() {
  if (need_comma_) out_->push_back(',');
  need_comma_ = true;
}

JsonWriter& JsonWriter::begin_object() {
  separator();
  out_->push_back('{');
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  out_->push_back('}');
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  separator();
  out_->push_back('[');
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  out_->push_back(']');
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view k) {
  separator();
  append_json_string(out_, k);
  out_->push_back(':');
  need_comma_ = false;  // the value that follows must not add a comma
  return *this;
}

JsonWriter& JsonWriter::string(std::string_view s) {
  separator();
  append_json_string(out_, s);
  return *this;
}

JsonWriter& JsonWriter::integer(std::int64_t v) {
  separator();
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out_->append(buf, static_cast<std::size_t>(r.ptr - buf));
  return *this;
}

JsonWriter& JsonWriter::unsigned_integer(std::uint64_t v) {
  separator();
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out_->append(buf, static_cast<std::size_t>(r.ptr - buf));
  return *this;
}

JsonWriter& JsonWriter::boolean(bool b) {
  separator();
  out_->append(b ? "true" : "false");
  return *this;
}

bool is_json_object(std::string_view text) { return JsonChecker(text).object_document(); }

}  // namespace cst::audit
