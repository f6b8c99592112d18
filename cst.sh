#!/usr/bin/env bash
# The README's entry point: installs what is missing, builds, and runs a job.
#   ./cst.sh demo    backtest on built-in synthetic data, report, journal verification
#   ./cst.sh test    the whole test suite (ctest)
#   CST_PRESET=asan ./cst.sh test   the same under AddressSanitizer + UBSan (clang)
#   ./cst.sh check   the quality gates CI runs (docs/QUALITY.md): sanitizers, coverage, fuzzing,
#                    static analysis, red-flag scan, formatting
#   ./cst.sh bench   the benchmarks (results go to BENCHMARKS.md by hand)
#   ./cst.sh build   only install and build
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(cmake ninja-build g++ pkg-config libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev
  nlohmann-json3-dev libtomlplusplus-dev libsqlite3-dev sqlite3 libssl-dev libsodium-dev python3)
# Real components some tests drive: a headless browser loading our report.
TEST_PACKAGES=(chromium)
# What the quality gates use: clang's sanitizers and libFuzzer, llvm-cov for coverage, the analysers.
CHECK_PACKAGES=(clang libclang-rt-14-dev llvm gcovr clang-tidy clang-format cppcheck python3 git)
PRESET=${CST_PRESET:-release}
case "$PRESET" in
  asan|tsan) TOOLCHAIN_PACKAGES=(clang libclang-rt-14-dev llvm) ;;
  *) TOOLCHAIN_PACKAGES=() ;;
esac

install_missing() {
  local missing=()
  for p in "${PACKAGES[@]}" "${TOOLCHAIN_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "cst.sh: installing ${missing[*]}" >&2
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build() {
  install_missing "$@"
  local launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake --preset "$PRESET" "${launcher[@]}" >/dev/null
  cmake --build --preset "$PRESET"
}

# A background job's result: its log, and its exit status as ours.
wait_for() {
  local status=0
  wait "$1" || status=$?
  cat "$2" >&2
  return "$status"
}

# One gate: its name, its wall time, and the whole run stops at the first failure.
gate() {
  local name=$1 start=$SECONDS
  shift
  echo "== check: $name" >&2
  "$@"
  echo "== check: $name passed in $((SECONDS - start)) s" >&2
}

BIN="build/$PRESET/cst"

case "${1:-}" in
  build) build ;;
  demo)
    build
    rm -rf out/demo
    "$BIN" backtest --synthetic 42 --bars 200000 --strategy sma_cross --param fast=10 --param slow=30 \
      --cash 100000 --size 10% --commission-bps 10 --fill next-open --risk-profile moderate --out out/demo
    "$BIN" audit verify out/demo/journal.db
    echo "Report: out/demo/report.html  Summary: out/demo/summary.json  Journal: out/demo/journal.db"
    ;;
  test)
    build "${TEST_PACKAGES[@]}"
    ctest --preset "$PRESET" -j "$(nproc)"
    ;;
  check)
    install_missing "${CHECK_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
    gate "red-flag scan" python3 tools/redflag_scan.py .
    gate "formatting (clang-format)" tools/check_format.sh
    # Static analysis needs only the release compile database, no build: it runs at the lowest
    # priority beside the other gates, on the CPU they leave idle (I/O-bound tests, the one core
    # a fuzzer uses), and is waited for at the end.
    cmake --preset release >/dev/null
    mkdir -p build/release
    nice -n 19 tools/static_analysis.sh build/release > build/release/static-analysis.log 2>&1 &
    analysis=$!
    trap 'kill "$analysis" 2>/dev/null || true' EXIT
    gate "ASan + UBSan test suite" env CST_PRESET=asan ./cst.sh test
    gate "line coverage" tools/coverage.py build/asan
    gate "fuzzing" fuzz/run_all.sh build/asan "${CST_FUZZ_SECONDS:-15}"
    gate "ThreadSanitizer" env CST_PRESET=tsan ./cst.sh tsan
    gate "static analysis (clang-tidy, cppcheck)" wait_for "$analysis" build/release/static-analysis.log
    ;;
  tsan)
    # Only the threaded components and their users: a whole-suite TSan build would double CI time.
    build
    for t in build/"$PRESET"/tests/cst_{audit,state,gateway,event_bus}_tests; do
      TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" "$t" --gtest_brief=1
    done
    ;;
  bench)
    build
    for b in build/"$PRESET"/bench/cst_bench_*; do "$b"; done
    ;;
  *)
    echo "usage: ./cst.sh demo|test|check|bench|build" >&2
    exit 2
    ;;
esac
