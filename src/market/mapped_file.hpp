// A read-only memory map of a whole file, unmapped on destruction. Move-only. Internal to the
// market module: readers parse the mapped bytes in place instead of copying them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "cst/core/result.hpp"

namespace cst {

class MappedFile {
 public:
  // Maps `path`; kIo naming the path and the system's reason on failure. An empty file maps
  // to an empty view.
  static Result<MappedFile> open(const std::string& path);

  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::string_view text() const { return {static_cast<const char*>(addr_), size_}; }

 private:
  MappedFile(void* addr, std::size_t size) : addr_(addr), size_(size) {}
  void* addr_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace cst
