// The paper-trading configuration file (TOML), turned into the same run setup a backtest uses
// (DESIGN.md invariant 4: the same configuration for backtest and paper) plus the paper-only
// options. Unknown sections or keys, wrong types and bad values are refused with the key and
// its line. Relative paths are relative to the file's directory. Example: examples/paper.toml.
#pragma once

#include <string>

#include "backtest_setup.hpp"
#include "cst/config/config_review.hpp"
#include "cst/core/result.hpp"
#include "cst/engine/paper_session.hpp"
#include "cst/security/key_manager.hpp"

namespace cst::cli {

struct PaperConfig {
  BacktestArgs run;             // data, strategy, sizing, cash, fees, risk profile, venue knobs
  PaperOptions options;         // state/journal/venue files, speed, reconciliation, faults
  std::string hash;             // SHA-256 of the file's bytes, hex
  config::ConfigValues values;  // every key set, flattened, for the level review
  // [keys]: where the venue's API key comes from ("none", "vault", "env") and the vault file.
  std::string key_source = "none";
  std::string vault_path;
  std::string key_venue = "paper";
  security::KeyPolicy key_policy;
};

Result<PaperConfig> load_paper_config(const std::string& path);
// The same from the file's text; `path` names it in messages and anchors relative paths.
Result<PaperConfig> parse_paper_config(const std::string& text, const std::string& path);

}  // namespace cst::cli
