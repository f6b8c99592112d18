// Fuzzes the paper-trading configuration reader (TOML → run setup): any bytes must give either a
// configuration or an error that names the file, never a crash, a hang or an exception.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "paper_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto parsed = cst::cli::parse_paper_config(text, "fuzz/paper.toml");
  if (!parsed.ok() && parsed.error().message.find("fuzz/paper.toml") == std::string::npos) std::abort();
  return 0;
}
