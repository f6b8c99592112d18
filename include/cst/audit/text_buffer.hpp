// TextBuffer: a growable byte buffer that the journal's writer formats records into. Unlike
// std::string it does not zero the room it hands out, so a formatter can ask for a generous
// bound, write through a raw pointer and keep only what it wrote; cleared buffers keep their
// capacity, so a warm writer does not allocate.
//
// Thread rules: one thread at a time.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

namespace cst::audit {

class TextBuffer {
 public:
  TextBuffer() = default;
  TextBuffer(const TextBuffer&) = delete;
  TextBuffer& operator=(const TextBuffer&) = delete;

  // Makes room for n more bytes after the current end and returns where they start. The
  // pointer stays valid until the next reserve(); commit() keeps what was written.
  char* reserve(std::size_t n) {
    if (capacity_ - size_ < n) grow(n);
    return data_.get() + size_;
  }
  // Sets the end to `end`, a pointer into the room the last reserve() returned.
  void commit(const char* end) { size_ = static_cast<std::size_t>(end - data_.get()); }
  void append(std::string_view s);

  void clear() { size_ = 0; }
  std::size_t size() const { return size_; }
  const char* data() const { return data_.get(); }
  std::string_view view(std::size_t offset, std::size_t length) const { return {data_.get() + offset, length}; }

 private:
  void grow(std::size_t n);

  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace cst::audit
