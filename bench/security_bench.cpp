// What the security controls cost per event: the key manager's accounting of one signed
// request, the security monitor's threat level, and opening a vault at each Argon2id cost.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "cst/security/key_manager.hpp"
#include "cst/security/key_vault.hpp"
#include "cst/security/security_monitor.hpp"

namespace {

using namespace cst;
using namespace cst::security;

// One request a millisecond, four endpoints, as a busy trader's session would sign them.
void BM_KeyManagerRecord(benchmark::State& state) {
  KeyPolicy p;
  p.allowed_endpoints = {"order.new", "order.cancel", "order.query", "account.balances"};
  p.rate_factor = 1e9;  // measure the accounting, not an anomaly report
  KeyManager m(p);
  const std::string key = "1f2e3d4c5b6a7988";
  Timestamp t = Timestamp::from_seconds(1'700'000'000);
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = m.record(key, p.allowed_endpoints[i++ & 3], true, t);
    benchmark::DoNotOptimize(r);
    t = t + Duration::from_ms(1);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_KeyManagerRecord);

// The threat level with 100 events in the window (evaluated once per bar in paper trading).
void BM_ThreatLevel(benchmark::State& state) {
  SecurityPreset p = preset_for(SecurityLevel::kModerate);
  p.violations_to_lockdown = 1'000'000;
  SecurityMonitor m(p);
  const Timestamp t0 = Timestamp::from_seconds(1'700'000'000);
  for (int i = 0; i < 100; ++i)
    (void)m.record(SecurityEvent{t0 + Duration::from_seconds(i), SecurityEventKind::kAuthFailure, "x"});
  for (auto _ : state) benchmark::DoNotOptimize(m.threat(t0 + Duration::from_seconds(200)));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ThreatLevel);

// Opening (deriving the key, authenticating every record, decrypting) a vault of 10 keys.
void BM_VaultOpen(benchmark::State& state) {
  const KdfParams kdf = state.range(0) == 0 ? kKdfInteractive : state.range(0) == 1 ? kKdfModerate : kKdfSensitive;
  const std::string path = "/tmp/cst_bench_vault_" + std::to_string(::getpid()) + "_" + std::to_string(state.range(0));
  std::remove(path.c_str());
  const SecureBuffer pass = SecureBuffer::copy_of(std::string_view("correct horse battery"));
  {
    auto v = KeyVault::create(path, pass, kdf);
    if (!v.ok()) return state.SkipWithError(v.error().message.c_str());
    for (int i = 0; i < 10; ++i)
      (void)v->add("binance", 3, SecureBuffer::copy_of(std::string_view("key")),
                   SecureBuffer::copy_of(std::string_view("secret")), Timestamp::from_seconds(1'700'000'000),
                   kDefaultKeyLifetime);
    (void)v->save();
  }
  for (auto _ : state) {
    auto v = KeyVault::open(path, pass);
    if (!v.ok()) return state.SkipWithError(v.error().message.c_str());
    benchmark::DoNotOptimize(v->keys().size());
  }
  std::remove(path.c_str());
  state.SetLabel(state.range(0) == 0   ? "interactive (64 MiB, 2 passes)"
                 : state.range(0) == 1 ? "moderate (256 MiB, 3 passes)"
                                       : "sensitive (1 GiB, 4 passes)");
}
BENCHMARK(BM_VaultOpen)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
