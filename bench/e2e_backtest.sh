#!/usr/bin/env bash
# End-to-end backtest speed: `cst backtest` on a 2-million-row one-minute CSV, including
# parsing, the engine, the gateway, the journal and the report. Prints the best of N runs.
#   bench/e2e_backtest.sh [build dir] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
RUNS=${2:-3}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$BUILD/cst" data synth --seed 7 --bars 2000000 --out "$WORK/bars.csv" >/dev/null
bytes=$(stat -c %s "$WORK/bars.csv")
best=""
for i in $(seq "$RUNS"); do
  rm -rf "$WORK/out"
  start=$(date +%s%N)
  "$BUILD/cst" backtest --data "$WORK/bars.csv" --strategy sma_cross --param fast=10 --param slow=30 \
    --cash 100000 --size 1 --commission-bps 10 --risk-profile research --out "$WORK/out" --timings \
    >/dev/null 2>"$WORK/timings.txt"
  end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 ))
  if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; cp "$WORK/timings.txt" "$WORK/best.txt"; fi
done
echo "file: 2000000 rows, $((bytes / 1000000)) MB"
cat "$WORK/best.txt"
echo "best wall time: ${best} ms  ->  $(( 2000000 * 1000 / best )) bars/s"
