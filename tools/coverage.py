#!/usr/bin/env python3
"""Line coverage per module from a build instrumented with CST_COVERAGE (the `asan` preset).

Usage: tools/coverage.py BUILD_DIR [--html DIR]

Runs gcovr (with llvm-cov's gcov when the build used clang) over what the test suite left in
BUILD_DIR, prints lines covered per module (src/<module>/ together with include/cst/<module>/),
writes BUILD_DIR/coverage/summary.json, and exits 1 when a gated module is below its floor.
"""

import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys

# The modules whose every line decides whether money is safe: DESIGN.md's invariants live here.
GATED = {"core": 90.0, "orders": 90.0, "risk": 90.0, "gateway": 90.0, "audit": 90.0, "security": 90.0}


def gcov_executable(build_dir: pathlib.Path) -> str:
    cache = (build_dir / "CMakeCache.txt").read_text(errors="replace")
    for line in cache.splitlines():
        if line.startswith("CMAKE_CXX_COMPILER:") and "clang" in line.rsplit("/", 1)[-1]:
            return "llvm-cov gcov"
    return "gcov"


def module_of(path: str) -> str | None:
    parts = pathlib.PurePosixPath(path).parts
    if len(parts) >= 3 and parts[0] == "src":
        return parts[1]
    if len(parts) >= 4 and parts[0] == "include" and parts[1] == "cst":
        return parts[2]
    if len(parts) >= 2 and parts[0] == "apps":
        return "apps"
    return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("build_dir")
    ap.add_argument("--html", help="also write an HTML report with per-line detail to this directory")
    args = ap.parse_args()

    root = pathlib.Path(__file__).resolve().parent.parent
    build = pathlib.Path(args.build_dir).resolve()
    if not (build / "CMakeCache.txt").is_file():
        print(f"coverage: {build} is not a CMake build directory", file=sys.stderr)
        return 2
    if not any(build.rglob("*.gcda")):
        print(f"coverage: no .gcda files under {build}: build with CST_COVERAGE=ON and run the tests first",
              file=sys.stderr)
        return 2
    if shutil.which("gcovr") is None:
        print("coverage: gcovr is not installed (Debian package gcovr)", file=sys.stderr)
        return 2

    out = build / "coverage"
    out.mkdir(exist_ok=True)
    summary_path = out / "summary.json"
    cmd = ["gcovr", "--root", str(root), "--object-directory", str(build),
           "--gcov-executable", gcov_executable(build), "-j", str(os.cpu_count() or 1),
           "--filter", str(root / "src") + "/", "--filter", str(root / "include") + "/",
           "--filter", str(root / "apps") + "/",
           "--json-summary", str(summary_path)]
    if args.html:
        cmd += ["--html-details", str(pathlib.Path(args.html).resolve() / "index.html")]
        pathlib.Path(args.html).mkdir(parents=True, exist_ok=True)
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)

    totals: dict[str, list[int]] = {}
    for f in json.loads(summary_path.read_text())["files"]:
        module = module_of(f["filename"])
        if module is None:
            continue
        t = totals.setdefault(module, [0, 0])
        t[0] += f["line_covered"]
        t[1] += f["line_total"]

    failed = []
    print(f"{'module':<10} {'lines':>13} {'covered':>8}  floor")
    for module in sorted(totals):
        covered, total = totals[module]
        pct = 100.0 * covered / total if total else 100.0
        floor = GATED.get(module)
        verdict = "" if floor is None else (f"{floor:.0f}%  ok" if pct >= floor else f"{floor:.0f}%  BELOW")
        print(f"{module:<10} {covered:>6}/{total:<6} {pct:>7.1f}%  {verdict}")
        if floor is not None and pct < floor:
            failed.append(module)
    for module in GATED:
        if module not in totals:
            failed.append(module + " (no data)")
    if failed:
        print("coverage: below the floor: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
