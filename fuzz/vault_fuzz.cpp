// Fuzzes the key vault file from arbitrary bytes (a damaged disk, a bad copy, an attacker's
// file). parse_vault must refuse with an error that names the file, or return a structure that
// encodes back to exactly the input (the format is canonical: one file per vault content).
// KeyVault::open on the same bytes must then refuse or open, never crash: with the parser's
// own refusal when the structure is bad, with an authentication failure when it is not (only a
// seed, made with kPassphrase, opens). Argon2id runs only for a cheap cost in the header (the
// seeds' {1, 8}); a header may ask for up to 16 passes over 1 GiB, far too slow per input.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cst/security/key_vault.hpp"
#include "cst/security/vault_format.hpp"
#include "private_file.hpp"

namespace {

constexpr std::string_view kPassphrase = "fuzz vault passphrase";  // the seeds' passphrase

bool cheap(const cst::security::KdfParams& kdf) { return kdf.opslimit <= 2 && kdf.memlimit_kib <= 64; }

bool contains(const std::string& text, std::string_view what) { return text.find(what) != std::string::npos; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cst::security;
  static const std::string path = "/tmp/cst_fuzz_vault_" + std::to_string(::getpid()) + ".vault";
  static const SecureBuffer passphrase = SecureBuffer::copy_of(kPassphrase);
  const std::span<const std::uint8_t> file(data, size);

  auto parsed = parse_vault(file, path);
  if (parsed.ok()) {
    if (parsed->records.size() != parsed->header.record_count) std::abort();
    std::vector<std::uint8_t> encoded = encode_vault_body(*parsed);
    encoded.insert(encoded.end(), parsed->file_tag.begin(), parsed->file_tag.end());
    if (encoded.size() != size || !std::equal(encoded.begin(), encoded.end(), data)) std::abort();
    for (const SealedRecord& rec : parsed->records) {
      if (rec.metadata != encode_metadata(rec.info)) std::abort();
    }
    if (!cheap(parsed->header.kdf)) return 0;
  } else if (!contains(parsed.error().message, path)) {
    std::abort();
  }

  write_private_file(path, data, size);
  auto opened = KeyVault::open(path, passphrase);
  if (!parsed.ok()) {
    // open() reads the same bytes and parses them first: the same refusal, nothing derived.
    if (opened.ok() || opened.error().message != parsed.error().message) std::abort();
    return 0;
  }
  if (opened.ok()) {
    // Only an unaltered seed gets here: what opened is what the records say.
    if (opened->keys().size() != parsed->records.size()) std::abort();
    for (std::size_t i = 0; i < parsed->records.size(); ++i) {
      const VaultKey& key = opened->keys()[i];
      if (!(key.info == parsed->records[i].info)) std::abort();
      // A key that has ended keeps its metadata, never its secret.
      if (key.info.status != KeyStatus::kActive && (!key.api_key.empty() || !key.api_secret.empty())) std::abort();
    }
    return 0;
  }
  const std::string& message = opened.error().message;
  const bool told = contains(message, "wrong passphrase") || contains(message, "fails authentication") ||
                    contains(message, "integrity tag does not match");
  if (!contains(message, path) || !told) std::abort();
  return 0;
}
