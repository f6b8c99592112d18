#include "json_writer.hpp"

#include <cmath>

#include "cst/report/text_format.hpp"

namespace cst::report {

void JsonWriter::newline() {
  out_ += '\n';
  out_.append(2 * stack_.size(), ' ');
}

// Separates this value from the previous one in the container; a value after a key stays on
// the key's line.
void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (stack_.empty()) return;
  if (!stack_.back().empty) out_ += ',';
  stack_.back().empty = false;
  newline();
}

void JsonWriter::begin_object() {
  before_value();
  out_ += '{';
  stack_.push_back(Frame{});
}

void JsonWriter::end_container(char close) {
  const bool empty = stack_.back().empty;
  stack_.pop_back();
  if (!empty) newline();  // "{}" and "[]" stay on one line
  out_ += close;
}

void JsonWriter::end_object() { end_container('}'); }

void JsonWriter::begin_array() {
  before_value();
  out_ += '[';
  stack_.push_back(Frame{});
}

void JsonWriter::end_array() { end_container(']'); }

void JsonWriter::key(std::string_view name) {
  before_value();
  out_ += json_quote(name);
  out_ += ": ";
  after_key_ = true;
}

void JsonWriter::string(std::string_view value) {
  before_value();
  out_ += json_quote(value);
}

void JsonWriter::number_text(std::string_view text) {
  before_value();
  out_ += text;
}

void JsonWriter::integer(std::int64_t value) { number_text(std::to_string(value)); }

void JsonWriter::unsigned_integer(std::uint64_t value) { number_text(std::to_string(value)); }

void JsonWriter::real(double value, int decimals) {
  if (!std::isfinite(value)) {
    null();
    return;
  }
  number_text(format_fixed(value, decimals));
}

void JsonWriter::null() { number_text("null"); }

std::string JsonWriter::finish() {
  out_ += '\n';
  return std::move(out_);
}

}  // namespace cst::report
