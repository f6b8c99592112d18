#include "cst/audit/text_buffer.hpp"

#include <algorithm>
#include <cstring>

namespace cst::audit {

void TextBuffer::grow(std::size_t n) {
  // Doubling keeps appends amortized O(1); 4 KiB covers a few records without regrowing.
  const std::size_t wanted = std::max({size_ + n, 2 * capacity_, std::size_t{4096}});
  auto bigger = std::make_unique_for_overwrite<char[]>(wanted);
  if (size_ > 0) std::memcpy(bigger.get(), data_.get(), size_);
  data_ = std::move(bigger);
  capacity_ = wanted;
}

void TextBuffer::append(std::string_view s) {
  char* out = reserve(s.size());
  if (!s.empty()) std::memcpy(out, s.data(), s.size());
  commit(out + s.size());
}

}  // namespace cst::audit
