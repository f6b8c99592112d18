// cst keys: the encrypted API key vault (init, add, list, rotate, revoke, verify).
// Secrets are read from a file descriptor, stdin or the terminal, never from arguments, and
// are never printed: list and verify show ids, venues, scopes, states and times only.
#include <iostream>
#include <map>
#include <memory>

#include "commands.hpp"
#include "cst/audit/json_writer.hpp"
#include "cst/security/env_credentials.hpp"
#include "cst/security/key_scopes.hpp"
#include "cst/state/state_store.hpp"
#include "text_table.hpp"
#include "vault_access.hpp"
#include "wall_clock.hpp"

namespace cst::cli {
namespace {

using security::KeyState;
using security::KeyVault;

struct KeysArgs {
  VaultArgs vault;
  std::string kdf = "moderate";
  std::string venue;
  std::string scopes;
  std::string key_id;
  std::string reason;
  int secret_fd = -1;
  std::int64_t lifetime_hours = 24;
  bool json = false;
  std::string state;  // list: usage from this account's state file
};

Duration lifetime(const KeysArgs& a) { return Duration::from_seconds(a.lifetime_hours * 3600); }

int init(const KeysArgs& a) {
  security::KdfParams kdf = security::kKdfModerate;
  if (a.kdf == "interactive") kdf = security::kKdfInteractive;
  if (a.kdf == "sensitive") kdf = security::kKdfSensitive;
  auto passphrase = obtain_passphrase(a.vault, true);
  if (!passphrase) return fail(passphrase.error(), 2);
  auto v = KeyVault::create(a.vault.vault, *passphrase, kdf);
  if (!v) return fail(v.error(), 2);
  std::cout << "created key vault " << a.vault.vault << " (Argon2id " << kdf.opslimit << " passes, "
            << kdf.memlimit_kib / 1024 << " MiB)\n";
  return 0;
}

int add(const KeysArgs& a) {
  auto scopes = security::parse_scopes(a.scopes);
  if (!scopes) return fail(scopes.error(), 2);
  if (Status s = security::check_venue_name(a.venue); !s) return fail(s.error(), 2);
  auto v = open_vault(a.vault);
  if (!v) return fail(v.error(), 1);
  auto secret = obtain_api_secret(a.secret_fd, a.venue);
  if (!secret) return fail(secret.error(), 2);
  auto id =
      v->add(a.venue, *scopes, std::move(secret->api_key), std::move(secret->api_secret), wall_now(), lifetime(a));
  if (!id) return fail(id.error(), 2);
  if (Status s = v->save(); !s) return fail(s.error(), 1);
  std::cout << "added key " << *id << " for " << a.venue << " (" << security::format_scopes(*scopes)
            << "), rotation due " << format_seconds(v->find(*id)->info.expires) << "\n";
  return 0;
}

int rotate(const KeysArgs& a) {
  auto v = open_vault(a.vault);
  if (!v) return fail(v.error(), 1);
  const security::VaultKey* old = v->find(a.key_id);
  if (old == nullptr) return fail(make_error(ErrorCode::kNotFound, "no key with id " + a.key_id), 2);
  auto secret = obtain_api_secret(a.secret_fd, old->info.venue);
  if (!secret) return fail(secret.error(), 2);
  auto id = v->rotate(a.key_id, std::move(secret->api_key), std::move(secret->api_secret), wall_now(), lifetime(a));
  if (!id) return fail(id.error(), 2);
  if (Status s = v->save(); !s) return fail(s.error(), 1);
  std::cout << "rotated key " << a.key_id << " -> " << *id << "; the old secret is erased\n";
  return 0;
}

int revoke(const KeysArgs& a) {
  auto v = open_vault(a.vault);
  if (!v) return fail(v.error(), 1);
  if (Status s = v->revoke(a.key_id, security::KeyStatus::kRevoked, a.reason, wall_now()); !s)
    return fail(s.error(), 2);
  if (Status s = v->save(); !s) return fail(s.error(), 1);
  std::cout << "revoked key " << a.key_id << "; its secret is erased. Revoke it at the exchange too.\n";
  return 0;
}

std::string time_or_dash(Timestamp t) { return t.ns == 0 ? "-" : format_seconds(t); }

// Usage totals a trader stored for each key (cst paper with [keys]), by key id.
Result<std::map<std::string, KeyUsageRow>> usage_from(const std::string& state) {
  std::map<std::string, KeyUsageRow> out;
  if (state.empty()) return out;
  auto store = StateStore::open(state, StateOpenOptions{false, true});
  if (!store.ok()) return store.error();
  auto rows = (*store)->key_usage();
  if (!rows.ok()) return rows.error();
  for (auto& r : *rows) out[r.key_id] = std::move(r);
  return out;
}

int list(const KeysArgs& a) {
  auto v = open_vault(a.vault);
  if (!v) return fail(v.error(), 1);
  auto usage = usage_from(a.state);
  if (!usage) return fail(usage.error(), 2);
  const auto last_use = [&](const security::KeyInfo& k) {
    const auto it = usage->find(k.id_hex());
    return it == usage->end() ? std::string("-") : format_seconds(it->second.last_use);
  };
  const auto counts = [&](const security::KeyInfo& k) {
    const auto it = usage->find(k.id_hex());
    return it == usage->end() ? std::string("-")
                              : std::to_string(it->second.requests) + "/" + std::to_string(it->second.auth_failures);
  };
  const Timestamp now = wall_now();
  const std::vector<std::string> env_venues = security::venues_in_environment();
  if (a.json) {
    std::string out;
    audit::JsonWriter w(&out);
    w.begin_array();
    for (const auto& k : v->keys()) {
      if (!a.venue.empty() && k.info.venue != a.venue) continue;
      w.begin_object();
      w.key("id").string(k.info.id_hex());
      w.key("venue").string(k.info.venue);
      w.key("scopes").string(security::format_scopes(k.info.scopes));
      w.key("state").string(to_string(security::key_state(k.info, now)));
      w.key("created").string(format_seconds(k.info.created));
      w.key("expires").string(format_seconds(k.info.expires));
      w.key("ended").string(time_or_dash(k.info.ended));
      w.key("reason").string(k.info.reason);
      if (const auto it = usage->find(k.info.id_hex()); it != usage->end()) {
        w.key("last_use").string(format_seconds(it->second.last_use));
        w.key("requests").integer(it->second.requests);
        w.key("auth_failures").integer(it->second.auth_failures);
        w.key("endpoints").string(it->second.endpoints);
      }
      w.key("source").string("vault");
      w.end_object();
    }
    for (const auto& venue : env_venues) {
      if (!a.venue.empty() && venue != a.venue) continue;
      w.begin_object();
      w.key("venue").string(venue);
      w.key("source").string("environment");
      w.end_object();
    }
    w.end_array();
    std::cout << out << "\n";
    return 0;
  }
  std::vector<std::vector<std::string>> rows{
      {"ID", "VENUE", "SCOPES", "STATE", "CREATED", "EXPIRES", "LAST USE", "REQ/FAIL", "ENDED", "REASON"}};
  for (const auto& k : v->keys()) {
    if (!a.venue.empty() && k.info.venue != a.venue) continue;
    rows.push_back({k.info.id_hex(), k.info.venue, security::format_scopes(k.info.scopes),
                    std::string(to_string(security::key_state(k.info, now))), format_seconds(k.info.created),
                    format_seconds(k.info.expires), last_use(k.info), counts(k.info), time_or_dash(k.info.ended),
                    k.info.reason});
  }
  for (const auto& venue : env_venues) {
    if (a.venue.empty() || venue == a.venue) rows.push_back({"(environment)", venue, "", "", "", "", "", "", "", ""});
  }
  std::cout << format_columns(rows);
  return 0;
}

int verify(const KeysArgs& a) {
  auto v = open_vault(a.vault);
  if (!v) return fail(v.error(), 1);
  const Timestamp now = wall_now();
  int usable = 0, overdue = 0, ended = 0;
  for (const auto& k : v->keys()) {
    const KeyState st = security::key_state(k.info, now);
    if (st == KeyState::kUsable) ++usable;
    if (st == KeyState::kExpired) {
      ++overdue;
      std::cout << "rotation overdue: key " << k.info.id_hex() << " (" << k.info.venue << ") expired "
                << format_seconds(k.info.expires) << "\n";
    }
    if (st != KeyState::kUsable && st != KeyState::kExpired) ++ended;
  }
  std::cout << "key vault " << a.vault.vault << ": authenticated (revision " << v->revision() << "), "
            << v->keys().size() << " keys: " << usable << " usable, " << overdue << " expired, " << ended << " ended\n";
  if (!a.venue.empty() && v->usable_key(a.venue, now) == nullptr) {
    std::cout << "no usable key for " << a.venue << "\n";
    return 1;
  }
  return overdue > 0 ? 1 : 0;
}

}  // namespace

Runner add_keys_command(CLI::App& app) {
  auto args = std::make_shared<KeysArgs>();
  auto* keys = app.add_subcommand("keys",
                                  "Encrypted vault of exchange API keys.\n"
                                  "Example: cst keys init && cst keys add binance --scopes read,trade");
  keys->require_subcommand(1);

  auto* init_cmd = keys->add_subcommand("init",
                                        "Create an empty vault (asks for a passphrase twice).\n"
                                        "Example: cst keys init --vault cst.vault --kdf moderate");
  add_vault_options(init_cmd, args->vault);
  init_cmd->add_option("--kdf", args->kdf, "Argon2id cost: interactive (64 MiB), moderate (256 MiB), sensitive (1 GiB)")
      ->check(CLI::IsMember({"interactive", "moderate", "sensitive"}));

  auto* add_cmd = keys->add_subcommand("add",
                                       "Add a key; reads the API key and secret (two lines) from --secret-fd,\n"
                                       "the terminal, or stdin. Keys that can withdraw are refused.\n"
                                       "Example: cst keys add binance --scopes read,trade 3< creds.txt --secret-fd 3");
  add_vault_options(add_cmd, args->vault);
  add_cmd->add_option("venue", args->venue, "venue name (binance, kraken, ...)")->required();
  add_cmd->add_option("--scopes", args->scopes, "what the key may do: read,trade")->required();
  add_cmd->add_option("--secret-fd", args->secret_fd, "read the API key and secret from this file descriptor");
  add_cmd->add_option("--lifetime-hours", args->lifetime_hours, "rotation due after (default 24)")
      ->check(CLI::Range(1, 24 * 365));

  auto* list_cmd = keys->add_subcommand("list",
                                        "List keys (ids, venues, scopes, states, times; never secrets).\n"
                                        "Example: cst keys list --json");
  add_vault_options(list_cmd, args->vault);
  list_cmd->add_option("--venue", args->venue, "only this venue");
  list_cmd->add_flag("--json", args->json, "JSON array");
  list_cmd->add_option("--state", args->state, "account state file: adds each key's last use and request counts");

  auto* rotate_cmd = keys->add_subcommand("rotate",
                                          "Replace a key with a new one (same venue and scopes); the old\n"
                                          "secret is erased. Example: cst keys rotate 1f2e3d4c5b6a7988");
  add_vault_options(rotate_cmd, args->vault);
  rotate_cmd->add_option("key_id", args->key_id, "id of the key to replace")->required();
  rotate_cmd->add_option("--secret-fd", args->secret_fd, "read the new API key and secret from this descriptor");
  rotate_cmd->add_option("--lifetime-hours", args->lifetime_hours, "rotation due after (default 24)")
      ->check(CLI::Range(1, 24 * 365));

  auto* revoke_cmd = keys->add_subcommand("revoke",
                                          "Revoke a key and erase its secret.\n"
                                          "Example: cst keys revoke 1f2e3d4c5b6a7988 --reason \"left the team\"");
  add_vault_options(revoke_cmd, args->vault);
  revoke_cmd->add_option("key_id", args->key_id, "id of the key")->required();
  revoke_cmd->add_option("--reason", args->reason, "why (kept in the vault)")->required();

  auto* verify_cmd = keys->add_subcommand("verify",
                                          "Authenticate the whole vault; exit 1 if damaged, a key's rotation\n"
                                          "is overdue, or --venue has no usable key.\n"
                                          "Example: cst keys verify --venue binance");
  add_vault_options(verify_cmd, args->vault);
  verify_cmd->add_option("--venue", args->venue, "require a usable key for this venue");

  return [=]() -> int {
    if (init_cmd->parsed()) return init(*args);
    if (add_cmd->parsed()) return add(*args);
    if (list_cmd->parsed()) return list(*args);
    if (rotate_cmd->parsed()) return rotate(*args);
    if (revoke_cmd->parsed()) return revoke(*args);
    if (verify_cmd->parsed()) return verify(*args);
    return -1;
  };
}

}  // namespace cst::cli
