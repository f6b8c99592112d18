#!/usr/bin/env bash
# Runs every libFuzzer target of a fuzz build, one after the other (the machine may be shared).
#
#   fuzz/run_all.sh BUILD_DIR SECONDS_PER_TARGET [TARGET...]
#
#   BUILD_DIR           a build configured with -DCST_BUILD_FUZZ=ON (see fuzz/README.md); every
#                       executable BUILD_DIR/fuzz/cst_fuzz_* is a target
#   SECONDS_PER_TARGET  fuzzing time per target (0: only replay the checked-in seeds)
#   TARGET...           only these targets (names with or without cst_fuzz_), default all
#
# Environment:
#   CST_FUZZ_SCRATCH    scratch directory (default: a new mktemp -d); per target it holds
#                       corpus/ (a copy of fuzz/corpus/<name>, which the fuzzer grows),
#                       artifacts/ (crash-*, leak-*, timeout-*, oom-*), replay.log and fuzz.log
#   CST_FUZZ_MAX_LEN    -max_len for every target (default: 4096, or 1.25 x the largest seed)
#   CST_FUZZ_TIMEOUT    -timeout in seconds for one input (default 25)
#   CST_FUZZ_ARGS       further libFuzzer flags for every run (e.g. "-jobs=1 -seed=1")
#
# First every target replays its checked-in seeds (the binary on the seed files, -runs=0): a
# seed that crashes is a regression and stops the script before any fuzzing. Then each target
# fuzzes for SECONDS_PER_TARGET with its dictionary fuzz/<name>.dict if there is one. Nothing is
# written into the repository. Prints one line per target and a total; exits 1 if a seed or a
# fuzzer crashed, leaked, timed out or ran out of memory (printing the input and the command
# that reproduces it), 2 on bad usage.
set -u

usage() {
  echo "usage: $0 BUILD_DIR SECONDS_PER_TARGET [TARGET...]" >&2
  exit 2
}
[ $# -ge 2 ] || usage
build_dir=$1
seconds=$2
shift 2
[[ $seconds =~ ^[0-9]+$ ]] || usage

script_dir=$(cd "$(dirname "$0")" && pwd)
fuzz_bin_dir=$build_dir/fuzz
if [ ! -d "$fuzz_bin_dir" ]; then
  echo "run_all: no $fuzz_bin_dir: configure with -DCST_BUILD_FUZZ=ON and build the cst_fuzz_* targets" >&2
  exit 2
fi
fuzz_bin_dir=$(cd "$fuzz_bin_dir" && pwd)

scratch=${CST_FUZZ_SCRATCH:-}
if [ -z "$scratch" ]; then
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/cst_fuzz.XXXXXX") || exit 2
fi
mkdir -p "$scratch" || exit 2
scratch=$(cd "$scratch" && pwd)
case "$scratch/" in
  "$script_dir"/*) echo "run_all: the scratch directory must be outside the repository's fuzz/" >&2; exit 2 ;;
esac
timeout_s=${CST_FUZZ_TIMEOUT:-25}
read -r -a extra_args <<< "${CST_FUZZ_ARGS:-}"

# The targets: executables cst_fuzz_* in BUILD_DIR/fuzz, or the ones named.
targets=()
for bin in "$fuzz_bin_dir"/cst_fuzz_*; do
  [ -f "$bin" ] && [ -x "$bin" ] || continue
  name=${bin##*/cst_fuzz_}
  if [ $# -gt 0 ]; then
    wanted=0
    for t in "$@"; do [ "${t#cst_fuzz_}" = "$name" ] && wanted=1; done
    [ $wanted = 1 ] || continue
  fi
  targets+=("$name")
done
if [ ${#targets[@]} -eq 0 ]; then
  echo "run_all: no cst_fuzz_* executable in $fuzz_bin_dir${1:+ matching $*}" >&2
  exit 2
fi
for t in "$@"; do
  [ -x "$fuzz_bin_dir/cst_fuzz_${t#cst_fuzz_}" ] || { echo "run_all: no target cst_fuzz_${t#cst_fuzz_} in $fuzz_bin_dir" >&2; exit 2; }
done

echo "run_all: ${#targets[@]} targets, ${seconds} s each; scratch $scratch"

# Value of "key: value" at the start of a line of libFuzzer's final stats (pure bash).
stat_of() {  # file key
  local line
  while IFS= read -r line; do
    if [[ $line =~ ^stat::$2:[[:space:]]*([0-9]+) ]]; then echo "${BASH_REMATCH[1]}"; return; fi
  done < "$1"
  echo "-"
}

# "cov: N ft: M" of the first (INITED) and the last status line.
coverage_of() {  # file -> "initial final features corpus"
  local line first="-" last="-" ft="-" corp="-"
  while IFS= read -r line; do
    if [[ $line =~ ^#[0-9]+[[:space:]]+[A-Z]+[[:space:]]+cov:[[:space:]]([0-9]+)[[:space:]]ft:[[:space:]]([0-9]+)[[:space:]]corp:[[:space:]]([0-9]+) ]]; then
      [ "$first" = "-" ] && first=${BASH_REMATCH[1]}
      last=${BASH_REMATCH[1]}
      ft=${BASH_REMATCH[2]}
      corp=${BASH_REMATCH[3]}
    fi
  done < "$1"
  echo "$first $last $ft $corp"
}

# The last "Running: <file>" libFuzzer printed: the seed being replayed when it failed.
last_running() {  # file
  local line found=""
  while IFS= read -r line; do
    [[ $line == "Running: "* ]] && found=${line#Running: }
  done < "$1"
  echo "$found"
}

# Why the target failed, for the summary: the target's own message ("<name>_fuzz: ..."), else
# the sanitizer's report, else the frame of the fuzz source that aborted, else libFuzzer's line.
first_error() {  # file
  local line own="" san="" frame="" other=""
  while IFS= read -r line; do
    case "$line" in
      *_fuzz:\ *) [ -z "$own" ] && own=$line ;;
      *"runtime error:"* | *"ERROR: AddressSanitizer"* | *"ERROR: LeakSanitizer"*) [ -z "$san" ] && san=$line ;;
      *" in "*"_fuzz.cpp:"*) [ -z "$frame" ] && frame="aborted at ${line##* in }" ;;
      *"ERROR: libFuzzer"* | *"==ERROR"* | *"deadly signal"*) [ -z "$other" ] && other=$line ;;
    esac
  done < "$1"
  for line in "$own" "$san" "$frame" "$other"; do
    [ -n "$line" ] && { echo "${line:0:240}"; return; }
  done
}

# Shell-quoted command line, to print a reproduction that can be pasted.
quoted() {
  local out="" a
  for a in "$@"; do out+="$(printf '%q' "$a") "; done
  echo "${out% }"
}

failures=0
failure_report=()

# ---- 1. Replay every checked-in seed --------------------------------------------------------
echo "== replaying checked-in seeds"
for name in "${targets[@]}"; do
  bin=$fuzz_bin_dir/cst_fuzz_$name
  seeds=$script_dir/corpus/$name
  dir=$scratch/$name
  mkdir -p "$dir/artifacts" "$dir/replay_artifacts"
  files=()
  if [ -d "$seeds" ]; then
    for f in "$seeds"/* "$seeds"/.[!.]*; do [ -f "$f" ] && files+=("$f"); done
  fi
  if [ ${#files[@]} -eq 0 ]; then
    printf '  %-18s no seeds in fuzz/corpus/%s\n' "$name" "$name"
    continue
  fi
  (cd "$dir" && "$bin" -runs=0 -timeout="$timeout_s" -artifact_prefix="$dir/replay_artifacts/" "${files[@]}") \
    > "$dir/replay.log" 2>&1
  rc=$?
  if [ $rc -eq 0 ]; then
    printf '  %-18s %3d seeds ok\n' "$name" "${#files[@]}"
  else
    seed=$(last_running "$dir/replay.log")
    printf '  %-18s SEED FAILED (exit %d): %s\n' "$name" "$rc" "${seed:-?}"
    failures=$((failures + 1))
    failure_report+=("cst_fuzz_$name: checked-in seed ${seed:-?} fails: $(first_error "$dir/replay.log")"
      "  log:       $dir/replay.log"
      "  reproduce: $(quoted "$bin" "${seed:-$seeds}")")
  fi
done
if [ $failures -gt 0 ]; then
  echo
  echo "run_all: $failures target(s) fail on their own seeds; not fuzzing"
  printf '%s\n' "${failure_report[@]}"
  exit 1
fi
[ "$seconds" -gt 0 ] || { echo "run_all: seeds replayed, no fuzzing asked"; exit 0; }

# ---- 2. Fuzz each target in turn --------------------------------------------------------------
echo "== fuzzing, ${seconds} s per target (logs: $scratch/<target>/fuzz.log)"
total_runs=0
total_secs=0
summary=()
for name in "${targets[@]}"; do
  bin=$fuzz_bin_dir/cst_fuzz_$name
  seeds=$script_dir/corpus/$name
  dir=$scratch/$name
  mkdir -p "$dir/corpus" "$dir/artifacts"
  largest=0
  if [ -d "$seeds" ]; then
    cp -R "$seeds"/. "$dir/corpus/" 2> /dev/null
    for f in "$seeds"/*; do
      [ -f "$f" ] || continue
      size=$(wc -c < "$f")
      [ "$size" -gt "$largest" ] && largest=$size
    done
  fi
  # Big enough that no seed is cut short (libFuzzer truncates inputs longer than -max_len).
  max_len=${CST_FUZZ_MAX_LEN:-$(( largest + largest / 4 > 4096 ? largest + largest / 4 : 4096 ))}
  args=("$dir/corpus" -max_total_time="$seconds" -max_len="$max_len" -timeout="$timeout_s"
    -artifact_prefix="$dir/artifacts/" -print_final_stats=1)
  [ -f "$script_dir/$name.dict" ] && args+=(-dict="$script_dir/$name.dict")
  args+=("${extra_args[@]}")
  before=()
  for f in "$dir/artifacts"/*; do [ -f "$f" ] && before+=("$f"); done
  start=$(date +%s)
  (cd "$dir" && "$bin" "${args[@]}") > "$dir/fuzz.log" 2>&1
  rc=$?
  elapsed=$(( $(date +%s) - start ))
  total_secs=$((total_secs + elapsed))

  runs=$(stat_of "$dir/fuzz.log" number_of_executed_units)
  eps=$(stat_of "$dir/fuzz.log" average_exec_per_sec)
  new_units=$(stat_of "$dir/fuzz.log" new_units_added)
  rss=$(stat_of "$dir/fuzz.log" peak_rss_mb)
  read -r cov0 cov ft corp <<< "$(coverage_of "$dir/fuzz.log")"
  [[ $runs =~ ^[0-9]+$ ]] && total_runs=$((total_runs + runs))

  new_artifacts=()
  for f in "$dir/artifacts"/*; do
    [ -f "$f" ] || continue
    case "${f##*/}" in crash-* | leak-* | timeout-* | oom-* | death-*) ;; *) continue ;; esac
    seen=0
    for b in "${before[@]}"; do [ "$b" = "$f" ] && seen=1; done
    [ $seen = 0 ] && new_artifacts+=("$f")
  done
  result=ok
  if [ $rc -ne 0 ] || [ ${#new_artifacts[@]} -gt 0 ]; then
    result="FAILED (exit $rc, ${#new_artifacts[@]} new crash file(s))"
    failures=$((failures + 1))
    failure_report+=("cst_fuzz_$name: $(first_error "$dir/fuzz.log")" "  log:       $dir/fuzz.log")
    for f in "${new_artifacts[@]}"; do
      failure_report+=("  input:     $f" "  reproduce: $(quoted "$bin" "$f")")
    done
    [ ${#new_artifacts[@]} -eq 0 ] && failure_report+=("  reproduce: (no crash file) $(quoted "$bin" "${args[@]}")")
  fi
  line=$(printf '%-18s runs %9s  exec/s %6s  cov %5s -> %-5s ft %6s  corpus %5s (+%s)  rss %4s MB  %3d s  %s' \
    "$name" "$runs" "$eps" "$cov0" "$cov" "$ft" "$corp" "$new_units" "$rss" "$elapsed" "$result")
  echo "  $line"
  summary+=("$line")
done

echo
echo "== summary"
printf '  %s\n' "${summary[@]}"
printf '  %-18s runs %9s  in %d s, %d target(s), %d failed\n' "total" "$total_runs" "$total_secs" \
  "${#targets[@]}" "$failures"
if [ $failures -gt 0 ]; then
  echo
  printf '%s\n' "${failure_report[@]}"
  exit 1
fi
exit 0
