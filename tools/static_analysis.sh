#!/usr/bin/env bash
# clang-tidy (checks in .clang-tidy) and cppcheck over our own code, using the compile database
# of a configured build: tools/static_analysis.sh build/release
# Both must be clean; a finding that is wrong is silenced at its line with NOLINT(check) or
# cppcheck-suppress, with the reason beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: tools/static_analysis.sh BUILD_DIR}
db="$build/compile_commands.json"
[ -f "$db" ] || { echo "static_analysis: $db not found: configure the build first" >&2; exit 2; }
jobs=$(nproc)

mapfile -t sources < <(git ls-files 'src/*.cpp' 'apps/*.cpp')
echo "clang-tidy: ${#sources[@]} files" >&2
# The compile database may come from GCC; clang-tidy is clang and does not know GCC-only flags.
run-clang-tidy -quiet -p "$build" -j "$jobs" -extra-arg=-Wno-unknown-warning-option "${sources[@]}" > "$build/clang-tidy.log" 2>&1 || {
  grep -E "(warning|error):" "$build/clang-tidy.log" | sort -u >&2 || cat "$build/clang-tidy.log" >&2
  echo "clang-tidy: findings above (full log: $build/clang-tidy.log)" >&2
  exit 1
}
echo "clang-tidy: clean after $SECONDS s" >&2

mkdir -p "$build/cppcheck"
for dir in src apps; do
  # One directory per run: cppcheck 2.10 keeps only the last --file-filter.
  echo "cppcheck: $dir/" >&2
  cppcheck --project="$db" --file-filter="$dir/*" -j "$jobs" --quiet \
    --enable=warning,performance,portability --inline-suppr --error-exitcode=1 \
    --suppress=missingIncludeSystem --cppcheck-build-dir="$build/cppcheck" \
    --template='{file}:{line}: {severity}: {message} [{id}]'
done
echo "cppcheck: clean; static analysis done after $SECONDS s" >&2
