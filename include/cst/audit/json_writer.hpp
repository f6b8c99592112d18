// The journal's canonical JSON: a tiny writer whose output depends only on the calls made (keys
// in call order, no spaces, integers in decimal, strings escaped one fixed way), so the same
// record always gives the same bytes and therefore the same hash. There are no floats: exact
// decimals are written as JSON strings ("50000.25") so that no reader parses them into a double.
//
// Escaping: '"' and '\' as \" and \\, the control characters \b \f \n \r \t by name and every
// other byte below 0x20 as \u00XX. Valid UTF-8 passes through unchanged; each byte of an invalid
// UTF-8 sequence becomes \ufffd, so the output is always valid JSON and valid UTF-8.
//
// Also here: a strict syntax check for caller-supplied JSON objects (NoteRecord::json), so the
// journal never stores a payload that a JSON reader would reject.
//
// Thread rules: a JsonWriter appends to a caller-owned string and is used by one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cst::audit {

class JsonWriter {
 public:
  // Appends to *out, which must outlive the writer.
  explicit JsonWriter(std::string* out) : out_(out) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  // The key of the next member; the value call follows.
  JsonWriter& key(std::string_view k);
  JsonWriter& string(std::string_view s);
  JsonWriter& integer(std::int64_t v);
  JsonWriter& unsigned_integer(std::uint64_t v);
  JsonWriter& boolean(bool b);

 private:
  void separator();

  std::string* out_;
  bool need_comma_ = false;
};

// Appends s to *out as a quoted, escaped JSON string (rules above).
void append_json_string(std::string* out, std::string_view s);

// The most bytes write_json_string() writes for a string of `size` bytes (each byte may
// become a 6-byte escape, plus the quotes).
constexpr std::size_t json_string_bound(std::size_t size) { return 6 * size + 2; }
// Writes s at out exactly as append_json_string() appends it and returns the end; out must
// have room for json_string_bound(s.size()) bytes. For formatters that write through a pointer.
char* write_json_string(std::string_view s, char* out);

// Whether text is exactly one JSON object (RFC 8259 syntax, UTF-8 checked, nesting at most 64
// levels), optionally surrounded by whitespace.
bool is_json_object(std::string_view text);

}  // namespace cst::audit
