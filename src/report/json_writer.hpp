// A small streaming JSON writer for summary.json (private to the report module).
//
// Why not nlohmann::json: money must appear as exact decimal text (100123.45678901), and a
// double-backed number cannot hold that. Why not audit::JsonWriter: it writes the journal's
// canonical compact form with decimals as strings; summary.json wants numbers and indentation.
// This writer takes numbers as ready-made text, so the caller decides the exact digits, and
// pretty-prints with two-space indents in call order, so the output is byte-for-byte
// deterministic. Callers must nest begin/end calls correctly and call key() before each value
// inside an object; misuse is a programming error, not checked.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cst::report {

class JsonWriter {
 public:
  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  void key(std::string_view name);

  void string(std::string_view value);
  // `text` must already be a valid JSON number (e.g. from format_decimal).
  void number_text(std::string_view text);
  void integer(std::int64_t value);
  void unsigned_integer(std::uint64_t value);
  // Fixed decimals via format_fixed; non-finite values become null (JSON has no inf/nan).
  void real(double value, int decimals);
  void null();

  // The document, ending with a newline.
  std::string finish();

 private:
  struct Frame {
    bool empty = true;
  };
  void before_value();
  void end_container(char close);
  void newline();

  std::string out_;
  std::vector<Frame> stack_;
  bool after_key_ = false;
};

}  // namespace cst::report
