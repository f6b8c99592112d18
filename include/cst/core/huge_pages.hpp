// A memory hint for large output buffers (bar series, equity curves).
#pragma once

#include <cstddef>

namespace cst {

// Hints the kernel to back [addr, addr + size) with transparent huge pages where it can (the
// part aligned to 2 MiB); a no-op where unsupported. For large buffers written once front to
// back (a reserved std::vector<Bar>): one fault per 4 KiB page costs more than the parsing or
// simulation that fills it, most of all on virtual machines.
void advise_huge_pages(void* addr, std::size_t size);

}  // namespace cst
