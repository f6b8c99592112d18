#!/usr/bin/env python3
"""Red-flag security scan over every tracked text file (standard library only).

Usage: tools/redflag_scan.py [ROOT] [--list-rules] [--near-misses N]

Prints one line per finding, `path:line: rule: the line`, and exits 1 if there is any, 0 if
there is none, 2 on a usage error. The rules and the allowance syntax are in tools/README.md;
the patterns are RULES below.

An allowance is a comment `redflag-ok(RULE[, RULE...]): REASON` at the end of the flagged line,
or alone on the line above it. The reason must be at least MIN_REASON_WORDS words. An allowance
without a reason, naming an unknown rule, outside a comment, or allowing nothing is a finding
itself.

Files: `git ls-files` under ROOT (a directory walk that skips build trees if ROOT is not a git
work tree). Fuzz corpora and dictionaries (EXPECTED_DATA) hold hex and random bytes on purpose:
only abs-path and private-key apply there. Binary files (a NUL byte or not UTF-8) are searched
for those two rules only; they cannot carry an allowance, the file has to be fixed.

The patterns below are written so that this file does not match them (e.g. `(?:NONE)`), so the
scanner needs no exemption for itself.
"""

from __future__ import annotations

import argparse
import bisect
import fnmatch
import math
import os
import re
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

# --- Rules -----------------------------------------------------------------------------------

# Calls: the name as a word, then the opening parenthesis. No space in between: clang-format and
# PEP 8 write none, and prose ("the trading system (cst)") often has one.
def _call(*names: str) -> str:
    return r"\b(?:" + "|".join(names) + r")\("


RULES: dict[str, tuple[str, list[re.Pattern[str]]]] = {
    "shell": (
        "a command line handed to a shell: system, popen, Python subprocess with shell set to True",
        [re.compile(_call("sys" "tem", "p" "open", "_p" "open")), re.compile(r"\bshell\s*=\s*(?:True)\b")],
    ),
    "exec": (
        "a process started by the exec family or posix_spawn (fixed argv, no shell? say so)",
        [re.compile(_call("exec(?:l|lp|le|v|ve|vp|vpe|veat)", "fexec" "ve", "posix_" "spawnp?"))],
    ),
    "unsafe-string": (
        # redflag-ok(unsafe-string): the description names the functions that the rule bans
        "unbounded string writes: strcpy, strcat, stpcpy, wcscpy, wcscat, sprintf, vsprintf, gets",
        [
            re.compile(r"\b(?:str(?:cpy|cat)|stp(?:cpy)|wcs(?:cpy|cat)|v?s(?:printf))\b"),
            re.compile(_call("ge" "ts")),
        ],
    ),
    "weak-random": (
        "a non-cryptographic random source: rand, srand, random, *rand48, Python's random module "
        "(security code uses libsodium randombytes)",
        [
            re.compile(r"\b(?:r" r"and|r" r"andom)\(\s*\)"),
            re.compile(_call("sr" "and", "r" "and_r", "[delmnj]r" "and48", "sr" "and48", "sr" "andom")),
            re.compile(r"^\s*(?:import\s+r" r"andom\b|from\s+r" r"andom\s+import\b)", re.MULTILINE),
        ],
    ),
    "private-key": (
        "a PEM/OpenSSH/PGP private key block",
        [re.compile(r"-{5}BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-{5}")],
    ),
    "high-entropy": (
        "a string of 32+ base64/hex characters as random as a key (see ENTROPY_RATIO)",
        [],  # high_entropy_tokens() below
    ),
    "abs-path": (
        "an absolute path into a home directory (Linux, root's, macOS or Windows Users) or the work tree",
        [
            re.compile(r"(?<![\w.~$})])/(?:home)/[^\s/]"),
            re.compile(r"(?<![\w.~$})])/(?:root|work|Users)/"),
            re.compile(r"\b[A-Za-z]:(?:\\\\|\\|/)(?i:users)\b"),
        ],
    ),
    "tls-verify": (
        "TLS certificate verification switched off",
        [
            re.compile(r"\bCURLOPT_SSL_VERIFY(?:PEER|HOST)\s*,\s*(?:0L?|false|FALSE)\b"),
            re.compile(r"\bSSL_VERIFY_(?:NONE)\b"),
            re.compile(r"\b(?:\w*_)?verify\s*=\s*(?:False)\b"),
            re.compile(r"\bInsecure(?:SkipVerify)\b"),
            re.compile(r"\bssl\.(?:CERT_NONE)\b|\b_create_(?:unverified)_context\b"),
            re.compile(r"\bNODE_TLS_REJECT_(?:UNAUTHORIZED)\s*=\s*['\"]?0\b"),
            re.compile(r"\b(?i:sslVerify\s*=?\s*false)\b"),
            re.compile(r"--no-check-(?:certificate)\b"),
        ],
    ),
}
# On a line that runs the curl tool: its short option k (alone or in a cluster of short options)
# or its long option insecure.
CURL = re.compile(r"\bcurl\b")
CURL_INSECURE = re.compile(r"(?:^|[\s'\"])(?:-[A-Za-z]*k[A-Za-z]*|--(?:insecure))(?=$|[\s'\"])")

# A rule's patterns only run on files that contain one of its words (lower case): most files
# contain none, and one substring test is much cheaper than a regular expression.
KEYWORDS = {
    "shell": ("sys" "tem(", "p" "open(", "shell"),
    "exec": ("exec", "spawn"),
    "unsafe-string": ("cpy", "cat", "printf", "ge" "ts("),
    "weak-random": ("rand",),
    "private-key": ("private key",),
    "abs-path": ("/hom" "e/", "/roo" "t/", "/wor" "k/", "/user" "s/", "\\user" "s", ":/user" "s"),
    "tls-verify": ("verify", "insecure", "cert_none", "unverified", "node_tls", "no-check", "curl"),
}

META_RULES = {
    "bad-allowance": "an allowance outside a comment or naming an unknown rule",
    "allowance-no-reason": "an allowance without a reason of at least MIN_REASON_WORDS words",
    "stale-allowance": "an allowance with nothing to allow on its line (or the next)",
}

# Where hex and random bytes are the point (fuzz seeds and dictionaries): only these rules.
EXPECTED_DATA = ("fuzz/corpus/*", "fuzz/*.dict")
ALWAYS_RULES = ("abs-path", "private-key")

# --- High entropy ----------------------------------------------------------------------------

MIN_SECRET_LEN = 32
# A token is flagged when its Shannon entropy (bits per character) is at least ENTROPY_RATIO of
# the mean entropy of uniformly random strings of the same length over the same character
# classes (hex; or lower, upper, digits and the symbols it has). Random keys score about 1.00
# and 99.5% of 32-character hex, base36 and base62 ones reach 0.90 (99.9% at 64 characters).
# What else reaches it is stopped by the checks in secret_score(): over the C, C++ and Python
# files of /usr/include and the Python standard library only five hex digests/keys are left.
ENTROPY_RATIO = 0.90
# How much of a token may be runs like "abcdef"/"0123" before it is a charset table, not a key.
MAX_SEQUENTIAL = 0.5
# Paths and names ("sodium/crypto_aead_xchacha20poly1305", "id-tc26-gost3412-2015") are as varied
# as a short key but are words joined by / _ -. A token with those separators must have a part
# of MIN_SEGMENT characters with upper case, lower case and digits: a base64 key almost always
# does, a path or an identifier does not.
SEPARATORS = re.compile(r"[/_-]")
MIN_SEGMENT = 16
# CamelCase names with digits ("Xchacha20Poly1305SealsEachRecord"): a mixed-case token that is
# at least NAME_WORDS words like "Seals" or a leading "xchacha" is a name. Random base62 reaches
# 0.8 about once in 10,000 tokens of 32 characters, and less often when longer.
NAME_WORD = re.compile(r"[A-Z][a-z]{2,}|(?<![A-Za-z])[a-z]{3,}")
NAME_WORDS = 0.8

TOKEN = re.compile(r"[A-Za-z0-9+/_-]{%d,}={0,3}" % MIN_SECRET_LEN)
HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
# Files whose string literals are the only place a secret can hide as one token: elsewhere in
# them a long token is an identifier. Other text files (docs, shell, configs) are searched whole.
CODE_SUFFIXES = (".c", ".cc", ".cpp", ".cxx", ".h", ".hh", ".hpp", ".hxx", ".ipp", ".inl", ".py",
                 ".js", ".ts", ".go", ".rs", ".java", ".cmake", ".json", ".toml")
CODE_NAMES = ("CMakeLists.txt",)
DOUBLE_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
SINGLE_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")
C_FAMILY = (".c", ".cc", ".cpp", ".cxx", ".h", ".hh", ".hpp", ".hxx", ".ipp", ".inl")


def shannon(s: str) -> float:
    n = len(s)
    return -sum(c / n * math.log2(c / n) for c in Counter(s).values())


@lru_cache(maxsize=None)
def expected_entropy(n: int, k: int) -> float:
    """Mean Shannon entropy of n characters drawn uniformly from k (exact, over the binomial)."""
    p = 1.0 / k
    total = 0.0
    for c in range(1, n + 1):
        total += math.comb(n, c) * p**c * (1 - p) ** (n - c) * (c / n) * math.log2(c / n)
    return -k * total


def alphabet_size(token: str) -> int:
    if set(token) <= HEX_DIGITS:
        return 16
    k = 26 * any(c.islower() for c in token) + 26 * any(c.isupper() for c in token)
    k += 10 * any(c.isdigit() for c in token)
    return k + len(set(token) & set("+/-_"))


def secret_score(token: str) -> float:
    """Entropy as a fraction of a random token's; 0 if the token cannot be a key."""
    core = token.rstrip("=")
    if len(core) < MIN_SECRET_LEN:
        return 0.0
    if not any(c.isdigit() for c in core) or not any(c.isalpha() for c in core):
        return 0.0
    steps = sum(abs(ord(b) - ord(a)) == 1 for a, b in zip(core, core[1:]))
    if steps > MAX_SEQUENTIAL * (len(core) - 1):
        return 0.0
    mixed_case = any(c.islower() for c in core) and any(c.isupper() for c in core)
    if mixed_case and sum(len(m.group(0)) for m in NAME_WORD.finditer(core)) >= NAME_WORDS * len(core):
        return 0.0
    if SEPARATORS.search(core) and not any(
            len(part) >= MIN_SEGMENT and any(c.islower() for c in part) and any(c.isupper() for c in part)
            and any(c.isdigit() for c in part) for part in SEPARATORS.split(core)):
        return 0.0
    k = max(alphabet_size(core), 2)
    return shannon(core) / expected_entropy(min(len(core), 512), k)


def candidate_spans(path: str, line: str) -> list[tuple[int, int]]:
    """(start, end) of the parts of a line where a secret token is looked for."""
    name = os.path.basename(path)
    if not (path.endswith(CODE_SUFFIXES) or name in CODE_NAMES):
        return [(0, len(line))]
    spans = [m.span(1) for m in DOUBLE_QUOTED.finditer(line)]
    if not path.endswith(C_FAMILY):  # in C and C++ '...' is a character or a digit separator
        spans += [m.span(1) for m in SINGLE_QUOTED.finditer(line)]
    return spans


def high_entropy_tokens(path: str, line: str) -> list[tuple[int, int, float]]:
    found = []
    for start, end in candidate_spans(path, line):
        for m in TOKEN.finditer(line, start, end):
            score = secret_score(m.group(0))
            found.append((m.start(), m.end(), score))
    return found


# --- Allowances ------------------------------------------------------------------------------

ALLOW = re.compile(r"redflag-ok\(\s*([a-z][a-z0-9-]*(?:\s*,\s*[a-z][a-z0-9-]*)*)\s*\)")
COMMENT_LEADER = re.compile(r"(?://|/\*|#|<!--|--|\*)\s*$")
REASON = re.compile(r"^\s*:\s*(.*?)\s*(?:\*/|-->)?\s*$")
MIN_REASON_WORDS = 4


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    rule: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}: {self.text}"


@dataclass
class Allowance:
    line: int  # where it is written
    target: int  # the line it allows
    rules: list[str]


def reason_ok(reason: str) -> bool:
    return len(re.findall(r"[A-Za-z][A-Za-z'-]+|\d+", reason)) >= MIN_REASON_WORDS


def parse_allowances(path: str, lines: list[str], out: list[Finding]) -> list[Allowance]:
    allowances = []
    for number, text in enumerate(lines, 1):
        for m in ALLOW.finditer(text):
            rules = [r.strip() for r in m.group(1).split(",")]
            leader = COMMENT_LEADER.search(text, 0, m.start())
            shown = text.strip()
            if leader is None:
                out.append(Finding(path, number, "bad-allowance", shown + "  [not in a comment]"))
                continue
            unknown = [r for r in rules if r not in RULES]
            if unknown:
                out.append(Finding(path, number, "bad-allowance", shown + f"  [unknown rule {', '.join(unknown)}]"))
                continue
            reason = REASON.match(text[m.end():])
            if reason is None or not reason_ok(reason.group(1)):
                out.append(Finding(path, number, "allowance-no-reason", shown))
                continue
            own_line = text[: leader.start()].strip() != ""
            allowances.append(Allowance(number, number if own_line else number + 1, rules))
    return allowances


# --- Scanning --------------------------------------------------------------------------------

MAX_SHOWN = 240


def shown_line(text: str, redact: list[tuple[int, int]] = ()) -> str:
    """The line as printed: secrets cut to their first 4 characters, long lines shortened."""
    for start, end in sorted(redact, reverse=True):
        text = text[:start] + text[start : start + 4] + f"...[{end - start} chars]" + text[end:]
    text = text.strip()
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 3] + "..."


def rule_hits(path: str, content: str, lines: list[str], rules: tuple[str, ...]) -> dict[int, list[str]]:
    """{line number: [rule, ...]} for every rule that matches somewhere on the line."""
    starts = [0]
    for text in lines[:-1]:
        starts.append(starts[-1] + len(text) + 1)
    lowered = content.lower()
    hits: dict[int, list[str]] = {}
    for rule in rules:
        if rule == "high-entropy":
            numbers = {bisect.bisect_right(starts, m.start()) for m in TOKEN.finditer(content)}
            for number in sorted(numbers):
                tokens = high_entropy_tokens(path, lines[number - 1])
                if any(score >= ENTROPY_RATIO for _, _, score in tokens):
                    hits.setdefault(number, []).append(rule)
            continue
        if not any(k in lowered for k in KEYWORDS[rule]):
            continue
        numbers = {bisect.bisect_right(starts, m.start()) for p in RULES[rule][1] for m in p.finditer(content)}
        if rule == "tls-verify":
            for m in CURL.finditer(content):
                number = bisect.bisect_right(starts, m.start())
                if CURL_INSECURE.search(lines[number - 1]):
                    numbers.add(number)
        for number in sorted(numbers):
            hits.setdefault(number, []).append(rule)
    return hits


def shown_finding(path: str, rule: str, text: str) -> str:
    if rule != "high-entropy":
        return shown_line(text)
    return shown_line(text, [(s, e) for s, e, score in high_entropy_tokens(path, text) if score >= ENTROPY_RATIO])


def is_expected_data(path: str) -> bool:
    return any(fnmatch.fnmatch(path, pattern) for pattern in EXPECTED_DATA)


def scan_text(path: str, content: str) -> list[Finding]:
    """Findings in one text file (path relative to the root, with forward slashes)."""
    rules = ALWAYS_RULES if is_expected_data(path) else tuple(RULES)
    # Lines as editors and grep count them: split at LF only (a CR before it is not shown).
    lines = content.split("\n")
    out: list[Finding] = []
    allowances = parse_allowances(path, lines, out)
    allowed: dict[tuple[int, str], Allowance] = {}
    for a in allowances:
        for rule in a.rules:
            allowed[(a.target, rule)] = a
    used: set[tuple[int, str]] = set()
    for number, line_rules in rule_hits(path, content, lines, rules).items():
        for rule in line_rules:
            if (number, rule) in allowed:
                used.add((number, rule))
            else:
                out.append(Finding(path, number, rule, shown_finding(path, rule, lines[number - 1])))
    for a in allowances:
        stale = [r for r in a.rules if (a.target, r) not in used]
        if stale:
            shown = shown_line(lines[a.line - 1])
            out.append(Finding(path, a.line, "stale-allowance", shown + f"  [nothing to allow: {', '.join(stale)}]"))
    out.sort(key=lambda f: (f.line, f.rule))
    return out


def scan_binary(path: str, data: bytes) -> list[Finding]:
    """abs-path and private-key in a binary file's bytes (no allowances possible)."""
    text = data.decode("latin-1")
    out = []
    for rule in ALWAYS_RULES:
        for pattern in RULES[rule][1]:
            for m in pattern.finditer(text):
                number = text.count("\n", 0, m.start()) + 1
                excerpt = "".join(c if " " <= c <= "~" else "." for c in text[m.start() : m.start() + 60])
                out.append(Finding(path, number, rule, f"[binary] {excerpt}"))
    return out


def scan_file(root: str, path: str) -> list[Finding]:
    full = os.path.join(root, path)
    if os.path.islink(full) or not os.path.isfile(full):
        return []
    with open(full, "rb") as f:
        data = f.read()
    if b"\0" in data:
        return scan_binary(path, data)
    try:
        content = data.decode("utf-8")
    except UnicodeDecodeError:
        return scan_binary(path, data)
    return scan_text(path, content)


SKIP_DIRS = {".git", "build", "out", ".cache", "node_modules", "__pycache__"}


def list_files(root: str) -> list[str]:
    try:
        result = subprocess.run(["git", "-C", root, "ls-files", "-z"], capture_output=True, check=True)
        return [p for p in result.stdout.decode("utf-8", "surrogateescape").split("\0") if p]
    except (OSError, subprocess.CalledProcessError):
        pass
    print(f"redflag_scan: {root} is not a git work tree: scanning every file outside build trees",
          file=sys.stderr)
    files = []
    for directory, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS
                         and not os.path.exists(os.path.join(directory, d, "CMakeCache.txt")))
        for name in sorted(names):
            files.append(os.path.relpath(os.path.join(directory, name), root).replace(os.sep, "/"))
    return files


def near_misses(root: str, files: list[str], count: int) -> list[str]:
    """The highest-scoring tokens below the threshold: for tuning ENTROPY_RATIO."""
    rows = []
    for path in files:
        if is_expected_data(path):
            continue
        try:
            with open(os.path.join(root, path), encoding="utf-8") as f:
                lines = f.read().split("\n")
        except (OSError, UnicodeDecodeError):
            continue
        for number, text in enumerate(lines, 1):
            for start, end, score in high_entropy_tokens(path, text):
                if 0 < score < ENTROPY_RATIO:
                    rows.append((score, f"{path}:{number}: {score:.3f} {text[start:end]}"))
    rows.sort(reverse=True)
    return [r for _, r in rows[:count]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Red-flag security scan of the tracked text files.")
    parser.add_argument("root", nargs="?", default=".", help="repository root (default: .)")
    parser.add_argument("--list-rules", action="store_true", help="print the rules and exit")
    parser.add_argument("--near-misses", type=int, metavar="N", default=0,
                        help="also print the N most random-looking tokens that were not flagged")
    args = parser.parse_args(argv)
    if args.list_rules:
        for name, (description, _) in RULES.items():
            print(f"{name}: {description}")
        for name, description in META_RULES.items():
            print(f"{name}: {description}")
        return 0
    if not os.path.isdir(args.root):
        print(f"redflag_scan: {args.root}: not a directory", file=sys.stderr)
        return 2
    started = time.monotonic()
    files = list_files(args.root)
    findings = []
    for path in files:
        findings.extend(scan_file(args.root, path))
    for finding in findings:
        print(finding)
    sys.stdout.flush()
    if args.near_misses:
        for row in near_misses(args.root, files, args.near_misses):
            print(f"near miss: {row}", file=sys.stderr)
    elapsed = time.monotonic() - started
    print(f"redflag_scan: {len(files)} files, {len(findings)} findings, {elapsed:.2f} s", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
