// The smallest paper-trading configuration the CLI tests start from (synthetic bars, sma_cross,
// files beside the config, unpaced); tests append the sections they are about.
#pragma once

#include <string>

namespace cst::test {

inline std::string paper_config_text(int bars) {
  return R"([account]
cash = "100000"
state = "state.db"
journal = "journal.db"

[data]
synthetic = 3
bars = )" +
         std::to_string(bars) + R"(

[strategy]
name = "sma_cross"
size = "10%"
params = { fast = 3, slow = 8 }

[venue]
file = "venue.db"

[paper]
speed = 0
)";
}

}  // namespace cst::test
