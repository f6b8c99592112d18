#!/usr/bin/env python3
"""Self-test of tools/redflag_scan.py: each rule on a positive and a negative example.

Every positive example is put together at run time ("sys" + "tem(") so that this file does not
trip the scanner when it scans the repository.
"""

import base64
import hashlib
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no tools/__pycache__ in the work tree (binary, untracked)

import redflag_scan as rf  # noqa: E402

ALLOW = "redflag" + "-ok"
REASON = "the reason is written out in words"

# Made-up keys, derived from a fixed seed: the same bytes every run.
_DIGEST = hashlib.sha512(b"cst redflag self-test").digest()
FAKE_B64_SECRET = base64.b64encode(_DIGEST).decode()  # 88 characters, like a Kraken secret
FAKE_ALNUM_SECRET = "".join(c for c in base64.b64encode(_DIGEST * 2).decode() if c.isalnum())[:64]
FAKE_HEX_SECRET = hashlib.sha256(b"cst redflag self-test").hexdigest()


def rules_at(path, text):
    """[(line, rule)] the scanner reports for text as the file path."""
    return [(f.line, f.rule) for f in rf.scan_text(path, text)]


class Rules(unittest.TestCase):
    def flags(self, rule, text, path="src/x.cpp"):
        self.assertIn((1, rule), rules_at(path, text), text)

    def clean(self, text, path="src/x.cpp"):
        self.assertEqual(rules_at(path, text), [], text)

    def test_shell(self):
        self.flags("shell", "  int rc = std::" + "sys" + "tem(command.c_str());")
        self.flags("shell", "  FILE* f = p" + "open(cmd, \"r\");")
        self.flags("shell", "subprocess.run(cmd, shell" + "=True)", "tools/x.py")
        self.clean("  std::filesystem::path p(dir);")
        self.clean("  throw std::system_error(errno, std::generic_category());")
        self.clean("The trading system (cst) runs one strategy.", "docs/x.md")
        self.clean("subprocess.run([\"git\", \"ls-files\"], check=True)", "tools/x.py")

    def test_exec(self):
        self.flags("exec", "  posix_" + "spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);")
        self.flags("exec", "  posix_" + "spawnp(&pid, \"sh\", nullptr, nullptr, argv, environ);")
        self.flags("exec", "  exec" + "vp(argv[0], argv);")
        self.flags("exec", "  exec" + "l(\"/bin/ls\", \"ls\", nullptr);")
        self.flags("exec", "  fexec" + "ve(fd, argv, envp);")
        self.flags("exec", "    os.exec" + "v(path, args)", "tools/x.py")
        self.clean("  posix_spawn_file_actions_init(&actions);")
        self.clean("  db.execute_query(sql);")
        self.clean("  // Runs argv[0] with posix_spawn (no shell) and returns its output.")

    def test_unsafe_string(self):
        self.flags("unsafe-string", "  str" + "cpy(dst, src);")
        self.flags("unsafe-string", "  std::str" + "cat(dst, src);")
        self.flags("unsafe-string", "  s" + "printf(buf, \"%d\", n);")
        self.flags("unsafe-string", "  vspr" + "intf(buf, fmt, ap);")
        self.flags("unsafe-string", "  ge" + "ts(line);")
        self.clean("  std::snprintf(buf, sizeof buf, \"%d\", n);")
        self.clean("  vsnprintf(buf, sizeof buf, fmt, ap);")
        self.clean("  std::strncpy(dst, src, n);")
        self.clean("  while (std::fgets(line, sizeof line, f)) {}")
        self.clean("// What the program gets besides its arguments.")
        self.clean("  const auto strcpy_like = copy(a);")

    def test_weak_random(self):
        self.flags("weak-random", "  int die = r" + "and() % 6;")
        self.flags("weak-random", "  std::r" + "and();")
        self.flags("weak-random", "  sr" + "and(time(nullptr));")
        self.flags("weak-random", "  long x = r" + "andom();")
        self.flags("weak-random", "  double u = dr" + "and48();")
        self.flags("weak-random", "import r" + "andom", "tools/x.py")
        self.flags("weak-random", "    nonce = r" + "andom.ran" + "dom()", "tools/x.py")
        self.clean("  randombytes_buf(nonce, sizeof nonce);")
        self.clean("  std::random_device device;")
        self.clean("  auto v = operand();")
        self.clean("  cst::Rng rng(seed);  // xoshiro256**, reproducible, not for keys")
        self.clean("import secrets", "tools/x.py")

    def test_private_key(self):
        for kind in ("RSA ", "EC ", "OPENSSH ", "ENCRYPTED ", ""):
            self.flags("private-key", "-----BEGIN " + kind + "PRIVATE KEY-----", "keys/k.pem")
        self.flags("private-key", "-----BEGIN PGP " + "PRIVATE KEY BLOCK-----", "keys/k.asc")
        self.flags("private-key", "const char* kKey = \"-----BEGIN " + "PRIVATE KEY-----\\n\";")
        self.clean("-----BEGIN PUBLIC KEY-----", "keys/k.pem")
        self.clean("-----BEGIN CERTIFICATE-----", "keys/c.pem")
        self.clean("An Ed25519 private key is a 32-byte seed.", "docs/x.md")

    def test_high_entropy_secrets(self):
        self.assertGreaterEqual(len(FAKE_ALNUM_SECRET), 64)
        self.flags("high-entropy", f'const std::string kApiSecret = "{FAKE_B64_SECRET}";')
        self.flags("high-entropy", f'const std::string kApiKey = "{FAKE_ALNUM_SECRET}";')
        self.flags("high-entropy", f'const std::string kApiKey = "{FAKE_ALNUM_SECRET[:32]}";')
        self.flags("high-entropy", f'  EXPECT_EQ(hex, "{FAKE_HEX_SECRET}");')
        self.flags("high-entropy", f'  EXPECT_EQ(hex, "{FAKE_HEX_SECRET.upper()[:32]}");')
        self.flags("high-entropy", f"API_SECRET={FAKE_ALNUM_SECRET}", "deploy/env.sh")
        self.flags("high-entropy", f"The secret `{FAKE_B64_SECRET}` was ours.", "docs/x.md")
        self.flags("high-entropy", f"secret = '{FAKE_ALNUM_SECRET}'", "tools/x.py")
        self.flags("high-entropy", f'api_secret = "{FAKE_ALNUM_SECRET}"', "examples/paper.toml")

    def test_high_entropy_real_code(self):
        self.clean('  const char* kAllowed = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";')
        self.clean('  const fs::path p = "/shared/data/candles/btc-perp-20220101_1m-and-a-longer-name.csv";')
        self.clean('  EXPECT_EQ(name, "crypto_aead_xchacha20poly1305_ietf_NPUBBYTES");')
        self.clean('  #include "sodium/crypto_box_curve25519xsalsa20poly1305.h"')
        self.clean('  const char* oid = "id-tc26-cipher-gostr3412-2015-kuznyechik";')
        self.clean('  EXPECT_EQ(hex, "0000000000000000000000000000000000000000000000000000000000000000");')
        self.clean('  const char* name = "SmaCrossOnOneDayOfRealBarsMatchesAnIndependentComputation";')
        self.clean('  flags = "-DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1";')
        # In code, identifiers and comments are not string literals: only literals are searched.
        self.clean("  // crypto_aead_xchacha20poly1305_ietf_NPUBBYTES and crypto_aead_chacha20poly1305")
        self.clean("TEST(Vault, Xchacha20Poly1305SealsEveryRecordWithItsOwnNonce24Bytes) {}")

    def test_high_entropy_is_redacted_in_output(self):
        findings = rf.scan_text("src/x.cpp", f'const char* k = "{FAKE_ALNUM_SECRET}";')
        self.assertEqual(len(findings), 1)
        self.assertNotIn(FAKE_ALNUM_SECRET[4:20], str(findings[0]))
        self.assertIn(FAKE_ALNUM_SECRET[:4] + "...[64 chars]", str(findings[0]))

    def test_abs_path(self):
        self.flags("abs-path", '  const char* dir = "/ho' + 'me/alice/cst/data";')
        self.flags("abs-path", "cd /ro" + "ot/cst && ./cst.sh test", "docs/x.md")
        self.flags("abs-path", "  -DCST_DATA=/wo" + "rk/main/data", "docs/x.md")
        self.flags("abs-path", "open /Us" + "ers/bob/cst", "docs/x.md")
        self.flags("abs-path", r'  R"(C:' + r'\Users\bob\cst)"')
        self.flags("abs-path", '  "C:' + '\\\\Users\\\\bob"')
        self.flags("abs-path", "file://" + "/ho" + "me/alice/report.html", "docs/x.md")
        self.clean('  const char* chromium = "/usr/bin/chromium";')
        # Split literals: the project's own path check reads this file too.
        self.clean("cp out/demo/report.html $HOME/wo" + "rk/ ~/wo" + "rk/x ../wo" + "rk/y src/wo" + "rk/z", "docs/x.md")
        self.clean("See https://example.com/ho" + "me/alice and https://example.com/Us" + "ers/x", "docs/x.md")
        self.clean("  CST_SHARED_DATA_DIR=\"${PROJECT_SOURCE_DIR}/../shared/data\"", "tests/CMakeLists.txt")

    def test_tls_verify(self):
        self.flags("tls-verify", "  curl_easy_setopt(h, CURLOPT_SSL_VERIFY" + "PEER, 0L);")
        self.flags("tls-verify", "  curl_easy_setopt(h, CURLOPT_SSL_VERIFY" + "HOST, 0);")
        self.flags("tls-verify", "  SSL_CTX_set_verify(ctx, SSL_VERIFY_" + "NONE, nullptr);")
        self.flags("tls-verify", "r = requests.get(url, verify" + "=False)", "tools/x.py")
        self.flags("tls-verify", "tls.Config{Insecure" + "SkipVerify: true}", "x.go")
        self.flags("tls-verify", "curl -s" + "Sk https://api.example.com/time", "tools/x.sh")
        self.flags("tls-verify", "curl -" + "k https://api.example.com/time", "tools/x.sh")
        self.flags("tls-verify", "curl --in" + "secure https://api.example.com/time", "docs/x.md")
        self.flags("tls-verify", "wget --no-check-" + "certificate https://x", "tools/x.sh")
        self.clean("  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);")
        self.clean("  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);")
        self.clean("r = requests.get(url, verify=True)", "tools/x.py")
        self.clean("curl -sS --fail https://api.example.com/time -o time.json", "tools/x.sh")
        self.clean("kubectl apply -k overlays/prod", "tools/x.sh")

    def test_fuzz_data_only_gets_paths_and_keys(self):
        for path in ("fuzz/corpus/operator_key/alice.key", "fuzz/vault.dict"):
            self.clean(f"seed {FAKE_HEX_SECRET}\ntoken {FAKE_B64_SECRET}\ncmd=\"sys" + "tem(x)\"", path)
            self.flags("abs-path", "/ho" + "me/alice/seed", path)
            self.flags("private-key", "-----BEGIN " + "PRIVATE KEY-----", path)
        self.flags("high-entropy", f"seed {FAKE_HEX_SECRET}", "fuzz/README.md")


class Allowances(unittest.TestCase):
    CALL = "  posix_" + "spawn(&pid, argv[0], nullptr, nullptr, argv, environ);"

    def test_same_line_and_line_above(self):
        self.assertEqual(rules_at("x.cpp", f"{self.CALL}  // {ALLOW}(exec): {REASON}"), [])
        self.assertEqual(rules_at("x.cpp", f"// {ALLOW}(exec): {REASON}\n{self.CALL}"), [])
        self.assertEqual(rules_at("x.py", f"# {ALLOW}(weak-random): {REASON}\nimport r" + "andom"), [])
        self.assertEqual(rules_at("x.md", f"| `/ho" + f"me/x` | <!-- {ALLOW}(abs-path): {REASON} -->"), [])
        self.assertEqual(rules_at("x.c", f"/* {ALLOW}(exec): {REASON} */\n{self.CALL}"), [])

    def test_several_rules_in_one_allowance(self):
        line = "  s" + "printf(buf, \"%d\", r" + "and());"
        self.assertEqual(rules_at("x.cpp", f"// {ALLOW}(unsafe-string, weak-random): {REASON}\n{line}"), [])
        self.assertEqual(rules_at("x.cpp", f"// {ALLOW}(unsafe-string, exec): {REASON}\n{line}"),
                         [(1, "stale-allowance"), (2, "weak-random")])

    def test_allowance_covers_one_line_only(self):
        # Above: only the next line. At the end of a line: only that line.
        self.assertEqual(rules_at("x.cpp", f"// {ALLOW}(exec): {REASON}\n// more words\n{self.CALL}"),
                         [(1, "stale-allowance"), (3, "exec")])
        self.assertEqual(rules_at("x.cpp", f"int x = 0;  // {ALLOW}(exec): {REASON}\n{self.CALL}"),
                         [(1, "stale-allowance"), (2, "exec")])

    def test_without_a_reason(self):
        for tail in ("", ":", ": ok", ": safe here", ": see above -->"):
            self.assertEqual(rules_at("x.cpp", f"// {ALLOW}(exec){tail}\n{self.CALL}"),
                             [(1, "allowance-no-reason"), (2, "exec")], tail)

    def test_stale(self):
        self.assertEqual(rules_at("x.cpp", f"// {ALLOW}(exec): {REASON}\nint main() {{}}"), [(1, "stale-allowance")])
        self.assertEqual(rules_at("x.cpp", f"// {ALLOW}(shell): {REASON}\n{self.CALL}"),
                         [(1, "stale-allowance"), (2, "exec")])

    def test_unknown_rule_and_not_in_a_comment(self):
        self.assertEqual(rules_at("x.cpp", f"// {ALLOW}(everything): {REASON}\n{self.CALL}"),
                         [(1, "bad-allowance"), (2, "exec")])
        self.assertEqual(rules_at("x.cpp", f"{self.CALL} {ALLOW}(exec): {REASON}"),
                         [(1, "bad-allowance"), (1, "exec")])
        self.assertEqual(rules_at("x.cpp", f"// {ALLOW}(stale-allowance): {REASON}"), [(1, "bad-allowance")])

    def test_placeholder_in_documentation_is_not_an_allowance(self):
        self.assertEqual(rules_at("README.md", f"Write `// {ALLOW}(<rule>): <reason>` above the line."), [])


class CommandLine(unittest.TestCase):
    def run_scan(self, files):
        with tempfile.TemporaryDirectory() as root:
            for name, content in files.items():
                os.makedirs(os.path.dirname(os.path.join(root, name)), exist_ok=True)
                with open(os.path.join(root, name), "wb") as f:
                    f.write(content if isinstance(content, bytes) else content.encode())
            os.makedirs(os.path.join(root, "build", "release"))
            with open(os.path.join(root, "build", "release", "CMakeCache.txt"), "w") as f:
                f.write("CMAKE_HOME_DIRECTORY:INTERNAL=/ho" + "me/alice/cst\n")  # an untracked build tree
            try:
                subprocess.run(["git", "init", "-q", root], check=True, capture_output=True)
                subprocess.run(["git", "-C", root, "add", "--", *files], check=True, capture_output=True)
            except (OSError, subprocess.CalledProcessError):
                pass  # no git: the scanner walks the directory and skips the build tree itself
            return subprocess.run([sys.executable, os.path.join(HERE, "redflag_scan.py"), root],
                                  capture_output=True, text=True)

    def test_clean_tree_exits_0(self):
        r = self.run_scan({"src/a.cpp": "int main() { return 0; }\n", "README.md": "# cst\n"})
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(r.stdout, "")

    def test_findings_exit_1_as_file_line_rule_text(self):
        call = "  std::" + "sys" + "tem(cmd);"
        r = self.run_scan({"src/a.cpp": f"int f() {{\n{call}\n}}\n", "b.bin": b"\x00\x01/ro" + b"ot/.ssh\x00"})
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(r.stdout.splitlines(), ["b.bin:1: abs-path: [binary] /ro" + "ot/.ssh.",
                                                 f"src/a.cpp:2: shell: {call.strip()}"])

    def test_crlf_file_reports_lines_without_cr(self):
        r = self.run_scan({"a.txt": "one\r\ncurl -" + "k https://x\r\n"})
        self.assertEqual(r.stdout.splitlines(), ["a.txt:2: tls-verify: curl -" + "k https://x"])

    def test_list_rules(self):
        r = subprocess.run([sys.executable, os.path.join(HERE, "redflag_scan.py"), "--list-rules"],
                           capture_output=True, text=True, check=True)
        names = [line.split(":")[0] for line in r.stdout.splitlines()]
        self.assertEqual(names, list(rf.RULES) + list(rf.META_RULES))


if __name__ == "__main__":
    unittest.main()
