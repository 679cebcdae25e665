"""The CLI explains itself: --help for every command (flags with types and wire names),
"did you mean" for typos, --version, a bash completion script that completes; `doctor` against
`privacycall sim` passing and failing the ways the simulator can make it fail; `sign` printing
headers that Python's own digest agrees with; and `listen` dropping nothing silently (SMS Block
pushes answered and printed, duplicates and refusals reported on stderr unless --quiet)."""
import base64
import hashlib
import hmac
import os
import re
import socket
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import platform_docs as docs  # noqa: E402
from test_listen import Process, post  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "docs"))
from check_cli_md import commands_with_help  # noqa: E402

CLI = os.environ["PRIVACYCALL_CLI"]
KEY, SECRET = "tools-key", "tools-secret"
X = "+8675500000001"


def cli(*args, env=None):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=60, env=env)


def every_command():
    """(path, --help text) of every command, found by walking --help from the top."""
    return [(list(path), text) for path, text in commands_with_help(CLI)]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Help(unittest.TestCase):
    def test_every_command_lists_its_flags_with_types(self):
        commands = every_command()
        names = [" ".join(path) for path, _ in commands]
        for expected in ("axb bind", "ax set-callee", "axe query", "axyb unbind", "call stop", "recording download",
                         "sim", "listen", "doctor", "sign", "completion bash"):
            self.assertIn(expected, names)
        for path, text in commands:
            with self.subTest(" ".join(path)):
                self.assertIn("Usage: privacycall " + " ".join(path), text)
                self.assertNotIn("unknown flag", text)
        bind = dict((" ".join(p), t) for p, t in commands)["axb bind"]
        self.assertRegex(bind, r"--caller-num NUMBER\s+A \[wire: callerNum\] \(required\)")
        self.assertRegex(bind, r"--duration INT 0\.\.7776000")
        sim = dict((" ".join(p), t) for p, t in commands)["sim"]
        for fault in ("--error-rate", "--flow-control-rate", "--drop-before-rate", "--drop-after-rate",
                      "--truncate-rate", "--slow-body-rate", "--latency-ms", "--fault-seed", "--clock-skew-s"):
            self.assertIn(fault, sim)

    def test_a_typo_is_named_with_a_suggestion(self):
        result = cli("axb", "bind", "--caller-nmu", "+8613800000021", "--callee-num", "+8613800000022")
        self.assertEqual(result.returncode, 2)
        self.assertIn("unknown flag --caller-nmu", result.stderr)
        self.assertIn("did you mean --caller-num?", result.stderr)
        result = cli("axb", "bnid")
        self.assertEqual(result.returncode, 2)
        self.assertIn("did you mean bind?", result.stderr)

    def test_version(self):
        result = cli("--version")
        self.assertEqual(result.returncode, 0)
        self.assertRegex(result.stdout, r"^privacycall \d+\.\d+\.\d+")

    def test_bash_completion_completes(self):
        script = cli("completion", "bash").stdout
        probe = script + '\nCOMP_WORDS=(privacycall axb bind --caller); COMP_CWORD=3; _privacycall; echo "${COMPREPLY[*]}"\n' \
                         'COMP_WORDS=(privacycall ax); COMP_CWORD=1; _privacycall; echo "${COMPREPLY[*]}"\n'
        result = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, timeout=10)
        self.assertEqual(result.returncode, 0, result.stderr)
        first, second = result.stdout.splitlines()
        self.assertEqual(first, "--caller-num")
        self.assertEqual(second.split(), ["axb", "ax", "axe", "axyb"])


class Doctor(unittest.TestCase):
    def doctor(self, url, secret=SECRET, *extra):
        return cli("--base-url", url, "--app-key", KEY, "--app-secret", secret, "doctor", *extra)

    def test_against_the_simulator(self):
        sim = Process("sim", "--port", "0", "--app-key", KEY, "--app-secret", SECRET, "--x-number", X)
        skewed = Process("sim", "--port", "0", "--app-key", KEY, "--app-secret", SECRET, "--clock-skew-s", "28800")
        try:
            result = self.doctor(sim.url)
            self.assertEqual(result.returncode, 0, result.stdout)
            self.assertEqual(len(re.findall(r"^PASS ", result.stdout, re.M)), 4)
            self.assertIn("all 4 checks passed", result.stdout)
            self.assertEqual(self.doctor(sim.url, SECRET, "--x-number", X).returncode, 0)

            result = self.doctor(sim.url, "wrong-secret")
            self.assertEqual(result.returncode, 1)
            self.assertRegex(result.stdout, r"FAIL  credentials: app key/secret wrong")

            result = self.doctor(sim.url, SECRET, "--x-number", "+8613912345678")
            self.assertEqual(result.returncode, 1)
            self.assertRegex(result.stdout, r"FAIL  credentials and \+86139\*\*\*\*5678: \+86139\*\*\*\*5678 not in this app")

            result = self.doctor(skewed.url)
            self.assertEqual(result.returncode, 1)
            self.assertRegex(result.stdout, r"FAIL  clock: the server's clock is 7 h 59 min 5\d s ahead|8 h 0 min")
            self.assertIn("looks like local time written as UTC", result.stdout)
            self.assertRegex(result.stdout, r"FAIL  credentials: clock")
        finally:
            sim.stop()
            skewed.stop()

    def test_nothing_listening(self):
        result = self.doctor("http://127.0.0.1:%d" % free_port())
        self.assertEqual(result.returncode, 1)
        self.assertIn("PASS  resolve", result.stdout)
        self.assertIn("FAIL  HTTP: no answer", result.stdout)


class Sign(unittest.TestCase):
    def test_headers_match_the_documented_digest(self):
        result = cli("--app-key", KEY, "--app-secret", SECRET, "sign", "--nonce", "5f0c3a1b2d4e6",
                     "--created", "2026-01-27T08:00:00Z")
        self.assertEqual(result.returncode, 0, result.stderr)
        authorization, token = result.stdout.splitlines()
        self.assertEqual(authorization, "Authorization: " + docs.AUTHORIZATION)
        self.assertEqual(token, "X-AKSK: " + docs.x_aksk(KEY, SECRET, "5f0c3a1b2d4e6", "2026-01-27T08:00:00Z"))

        result = cli("--app-key", KEY, "--app-secret", SECRET, "sign", "--scheme", "wsse", "--nonce", "abcdefgh",
                     "--created", "2026-01-27T08:00:00Z")
        authorization, token = result.stdout.splitlines()
        self.assertTrue(authorization.startswith("Authorization: WSSE "))
        fields = docs.parse_token(token[len("X-WSSE: "):])
        expected = base64.b64encode(hashlib.sha256(b"abcdefgh2026-01-27T08:00:00Z" + SECRET.encode()).digest())
        self.assertEqual(fields["PasswordDigest"], expected.decode())

    def test_a_bad_nonce_is_refused(self):
        result = cli("--app-key", KEY, "--app-secret", SECRET, "sign", "--nonce", "no spaces")
        self.assertEqual(result.returncode, 2)
        self.assertIn("Nonce must be", result.stderr)


def signed_once(secret=SECRET):
    return {"Authorization": docs.AUTHORIZATION, "X-AKSK": docs.x_aksk(KEY, secret)}


class ListenDropsNothingSilently(unittest.TestCase):
    def run_sms_block(self, *flags):
        listen = Process("listen", "--port", "0", "--app-key", KEY, "--app-secret", SECRET, *flags)
        sim = Process("sim", "--port", "0", "--app-key", KEY, "--app-secret", SECRET, "--sms-url", listen.url + "/sms")
        try:
            sent = post(sim.url + "/simulator/sms",
                        {"calling": "+8613800000021", "virtualNumber": "+8617000000001", "content": "hi", "block": True})
            self.assertTrue(listen.wait_for(lambda: any(n.get("notification_mode") == "Block"
                                                        for n in listen.notifications())))
            line = next(n for n in listen.notifications() if n.get("notification_mode") == "Block")
            return sent, line
        finally:
            sim.stop()
            listen.stop()

    def test_sms_block_is_printed_and_forwarded_by_default(self):
        sent, line = self.run_sms_block()
        self.assertEqual(line["answer"], "forward")
        self.assertEqual(line["kind"], "sms")
        self.assertTrue(sent["delivered"])

    def test_sms_block_discard_when_asked(self):
        sent, line = self.run_sms_block("--sms-block-answer", "discard")
        self.assertEqual(line["answer"], "discard")
        self.assertFalse(sent["delivered"])

    def duplicates_and_refusals(self, *flags):
        listen = Process("listen", "--port", "0", "--app-key", KEY, "--app-secret", SECRET, *flags)
        try:
            client = docs.DocsClient(listen.url, KEY, SECRET)
            body = {"eventType": "answer", "statusInfo": {"sessionId": "dup-1", "timestamp": "2019-01-24 07:03:28"}}
            original = signed_once()
            self.assertEqual(client.call("POST", "/status", body=body, headers=original)[0], 200)
            self.assertEqual(client.call("POST", "/status", body=body, headers=original)[0], 200)  # re-push
            self.assertEqual(client.call("POST", "/status", body=body)[0], 200)  # duplicate, new signature
            self.assertEqual(client.call("POST", "/status", body=body, headers=signed_once("wrong"))[0], 401)
            self.assertTrue(listen.wait_for(lambda: len(listen.notifications()) == 1))
            return listen
        finally:
            listen.stop()

    def test_duplicates_and_refusals_on_stderr(self):
        listen = self.duplicates_and_refusals()
        errors = "\n".join(listen.errors)
        self.assertIn("re-push with the original header", errors)
        self.assertEqual(errors.count("acknowledged without delivering it again"), 2)
        self.assertIn("refused a push to /status: signature check failed (bad_digest)", errors)
        self.assertNotIn("PasswordDigest=", errors)

    def test_quiet_silences_them(self):
        listen = self.duplicates_and_refusals("--quiet")
        self.assertEqual([e for e in listen.errors if "duplicate" in e or "refused" in e], [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
