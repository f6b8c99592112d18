#include "cst/core/huge_pages.hpp"

#include <sys/mman.h>

#include <cstdint>

namespace cst {

void advise_huge_pages(void* addr, std::size_t size) {
  constexpr std::uintptr_t kHuge = 2u << 20;
  const auto begin = reinterpret_cast<std::uintptr_t>(addr);
  const std::uintptr_t first = (begin + kHuge - 1) & ~(kHuge - 1);
  const std::uintptr_t last = (begin + size) & ~(kHuge - 1);
  // Back from the aligned integer to an address inside the same mapping.
  if (last > first)
    ::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);  // NOLINT(performance-no-int-to-ptr)
}

}  // namespace cst
