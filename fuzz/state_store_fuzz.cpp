// Fuzzes reading a state store from arbitrary file bytes (a damaged disk, a bad copy, an
// attacker's file): open + load must refuse with an error or return consistent state, never
// crash. Each input is written to a fresh file; the read-only open never modifies it.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "cst/state/state_store.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = "/tmp/cst_fuzz_state_" + std::to_string(::getpid()) + ".db";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  auto store = cst::StateStore::open(path, cst::StateOpenOptions{false, true});
  if (store.ok()) {
    auto loaded = (*store)->load();
    if (loaded.ok()) {
      for (const auto& o : loaded->open_orders) {
        auto restored = cst::Order::restore(o.order);  // load() promised these are consistent
        if (!restored.ok()) std::abort();
      }
    }
  } else if (store.error().message.find(path) == std::string::npos) {
    std::abort();
  }
  return 0;
}
