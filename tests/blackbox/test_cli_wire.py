"""Every `privacycall axb` command sends the method, path, query and body the spec prescribes,
with an X-AKSK header that verifies with Python's hmac; bad input never leaves the machine and
errors never print the secret."""
import json
import os
import socket
import subprocess
import sys
import tempfile
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
import platform_docs as docs  # noqa: E402
from capture_server import CaptureServer  # noqa: E402

CLI = os.environ["PRIVACYCALL_CLI"]
AXB = "/rest/caas/relationnumber/partners/v1.0"
SECRET = "cli-secret-value"


def run_cli(base_url, *args, secret=SECRET):
    env = dict(os.environ, PRIVACYCALL_BASE_URL=base_url, PRIVACYCALL_APP_KEY="cli-key",
               PRIVACYCALL_APP_SECRET=secret)
    return subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=30)


class CliWireForm(unittest.TestCase):
    def setUp(self):
        self.server = CaptureServer(answer={"resultcode": "0", "resultdesc": "Success", "subscriptionId": "sub-1",
                                            "relationNum": "+8675500000001"})

    def tearDown(self):
        self.server.close()

    def only_request(self):
        self.assertEqual(len(self.server.requests), 1)
        request = self.server.requests[0]
        headers = request["headers"]
        self.assertEqual(headers["content-type"], "application/json;charset=UTF-8")
        self.assertEqual(headers["authorization"], docs.AUTHORIZATION)
        token = docs.parse_token(headers["x-aksk"])
        self.assertEqual(token["Username"], "cli-key")
        self.assertRegex(token["Nonce"], r"^[A-Za-z0-9]{1,128}$")
        self.assertRegex(token["Created"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(token["PasswordDigest"], docs.digest(SECRET, token["Nonce"], token["Created"]))
        self.assertNotIn(", ", headers["x-aksk"])
        return request

    def test_bind_sends_every_parameter_in_the_body(self):
        result = run_cli(self.server.base_url, "axb", "bind", "--caller-num", "+8613800000021",
                         "--callee-num", "+8613800000022", "--relation-num", "+8675500000001",
                         "--call-direction", "1", "--duration", "3600", "--record-flag", "true",
                         "--record-hint-tone", "hint.wav", "--max-duration", "30", "--last-min-voice", "last.wav",
                         "--private-sms", "false", "--pre-voice-caller-hint-tone", "a.wav",
                         "--pre-voice-callee-hint-tone", "b.wav", "--user-data", "order-7")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(json.loads(result.stdout)["subscriptionId"], "sub-1")
        request = self.only_request()
        self.assertEqual((request["method"], request["path"], request["query"]), ("POST", AXB, ""))
        self.assertEqual(json.loads(request["body"]), {
            "callerNum": "+8613800000021", "calleeNum": "+8613800000022", "relationNum": "+8675500000001",
            "callDirection": 1, "duration": 3600, "recordFlag": "true", "recordHintTone": "hint.wav",
            "maxDuration": 30, "lastMinVoice": "last.wav", "privateSms": "false",
            "preVoice": {"callerHintTone": "a.wav", "calleeHintTone": "b.wav"}, "userData": "order-7"})

    def test_bind_by_area_code(self):
        result = run_cli(self.server.base_url, "axb", "bind", "--caller-num", "+8613800000021",
                         "--callee-num", "+8613800000022", "--area-code", "0755", "--area-match-mode", "1")
        self.assertEqual(result.returncode, 0, result.stderr)
        body = json.loads(self.only_request()["body"])
        self.assertEqual((body["areaCode"], body["areaMatchMode"]), ("0755", "1"))
        self.assertNotIn("relationNum", body)

    def test_modify(self):
        result = run_cli(self.server.base_url, "axb", "modify", "--subscription-id", "sub-1",
                         "--callee-num", "+8613800000023", "--duration", "60")
        self.assertEqual(result.returncode, 0, result.stderr)
        request = self.only_request()
        self.assertEqual((request["method"], request["path"]), ("PUT", AXB))
        self.assertEqual(json.loads(request["body"]), {"subscriptionId": "sub-1", "calleeNum": "+8613800000023", "duration": 60})

    def test_query_escapes_plus_as_2B(self):
        result = run_cli(self.server.base_url, "axb", "query", "--relation-num", "+8675500000001",
                         "--caller-num", "+8613800000021", "--page-index", "2", "--page-size", "20")
        self.assertEqual(result.returncode, 0, result.stderr)
        request = self.only_request()
        self.assertEqual((request["method"], request["path"]), ("GET", AXB))
        self.assertEqual(request["query"], "relationNum=%2B8675500000001&callerNum=%2B8613800000021&pageIndex=2&pageSize=20")
        self.assertNotIn("+", request["query"])
        self.assertEqual(request["body"], "")

    def test_unbind_by_subscription_and_by_number(self):
        self.assertEqual(run_cli(self.server.base_url, "axb", "unbind", "--subscription-id", "a b+c").returncode, 0)
        self.assertEqual(run_cli(self.server.base_url, "axb", "unbind", "--relation-num", "+8675500000001").returncode, 0)
        first, second = self.server.requests
        self.assertEqual((first["method"], first["path"], first["query"]), ("DELETE", AXB, "subscriptionId=a%20b%2Bc"))
        self.assertEqual(urllib.parse.unquote(second["query"]), "relationNum=+8675500000001")
        self.assertEqual(second["query"], "relationNum=%2B8675500000001")

    def test_bad_input_exits_2_and_sends_nothing(self):
        for args in (["axb", "bind", "--caller-num", "13800000021", "--callee-num", "+8613800000022"],
                     ["axb", "bind", "--callee-num", "+8613800000022"],
                     ["axb", "bind", "--caller-num", "+8613800000021", "--callee-num", "+8613800000022", "--duration", "-1"],
                     ["axb", "bind", "--caller-num", "+8613800000021", "--callee-num", "+8613800000022",
                      "--relation-num", "+8675500000001", "--area-code", "0755"],
                     ["axb", "query"],
                     ["axb", "unbind", "--subscription-id", "x", "--nonsense", "1"]):
            result = run_cli(self.server.base_url, *args)
            self.assertEqual(result.returncode, 2, (args, result.stderr))
            self.assertNotIn("13800000021", result.stderr)
        self.assertEqual(self.server.requests, [])


class CliOtherModesWireForm(unittest.TestCase):
    """One representative command per endpoint of the other modes, against a capture server."""

    def setUp(self):
        self.server = CaptureServer(answer={"resultcode": "0", "resultdesc": "Success", "subscriptionId": "sub-1",
                                            "relationNumber": "+8675500000001", "privateNum": "+8675500000001"})

    def tearDown(self):
        self.server.close()

    def sent(self, *args):
        result = run_cli(self.server.base_url, *args)
        self.assertEqual(result.returncode, 0, (args, result.stderr))
        request = self.server.requests[-1]
        token = docs.parse_token(request["headers"]["x-aksk"])
        self.assertEqual(token["PasswordDigest"], docs.digest(SECRET, token["Nonce"], token["Created"]))
        body = json.loads(request["body"]) if request["body"] else None
        return request["method"], request["path"], request["query"], body

    def test_ax(self):
        ax = "/rest/provision/caas/privatenumber/v1.0"
        self.assertEqual(self.sent("ax", "bind", "--orig-num", "+8613800000021", "--private-num", "+8675500000001"),
                         ("POST", ax, "", {"origNum": "+8613800000021", "privateNum": "+8675500000001"}))
        self.assertEqual(self.sent("ax", "query", "--orig-num", "+8613800000021"),
                         ("GET", ax, "origNum=%2B8613800000021", None))
        method, path, query, body = self.sent("ax", "modify", "--subscription-id", "sub-1", "--orig-num",
                                              "+8613800000023", "--private-sms", "true", "--max-duration", "30",
                                              "--turn-flag", "off")
        self.assertEqual((method, path, query), ("PUT", ax, ""))
        self.assertEqual(body, {"subscriptionId": "sub-1", "origNum": "+8613800000023", "privateSms": "true",
                                "maxDuration": 30, "turnFlag": "off"})
        self.assertEqual(self.sent("ax", "unbind", "--private-num", "+8675500000001"),
                         ("DELETE", ax, "privateNum=%2B8675500000001", None))
        method, path, query, body = self.sent("ax", "set-callee", "--subscription-id", "sub-1",
                                              "--callee-num", "+8613800000022")
        self.assertEqual((method, path, query), ("PUT", "/rest/caas/privatenumber/calleenumber/v1.0", ""))
        self.assertEqual((body["subscriptionId"], body["calleeNum"]), ("sub-1", "+8613800000022"))

    def test_axe(self):
        axe = "/rest/caas/extendnumber/v1.0"
        method, path, query, body = self.sent("axe", "bind", "--bind-num", "+8613800000021",
                                              "--virtual-num", "+8675500000001", "--extend-num", "0001")
        self.assertEqual((method, path, query), ("POST", axe, ""))
        self.assertEqual((body["bindNum"], body["virtualNum"], body["extendNum"]),
                         ("+8613800000021", "+8675500000001", "0001"))
        self.assertEqual(self.sent("axe", "query", "--subscription-id", "sub-1"), ("GET", axe, "subscriptionId=sub-1", None))
        self.assertEqual(self.sent("axe", "unbind", "--virtual-num", "+8675500000001", "--extend-num", "0001"),
                         ("DELETE", axe, "virtualNum=%2B8675500000001&extendNum=0001", None))
        method, path, query, body = self.sent("axe", "modify", "--subscription-id", "sub-1", "--record-flag", "true",
                                              "--time-unit", "1", "--bind-expired-time", "90", "--user-data", "u")
        self.assertEqual((method, path, query), ("PUT", axe, ""))
        self.assertEqual(body, {"subscriptionId": "sub-1", "recordFlag": "true", "timeUnit": "1",
                                "bindExpiredTime": 90, "userData": "u"})
        self.assertEqual(self.sent("axe", "query", "--v2", "--subscription-id", "sub-1"),
                         ("GET", axe.replace("v1.0", "v2.0"), "subscriptionId=sub-1", None))
        self.assertEqual(self.sent("axe", "query", "--v2", "--virtual-num", "+8675500000001",
                                   "--cursor", "0000000000000_0", "--limit", "10"),
                         ("GET", axe.replace("v1.0", "v2.0"),
                          "virtualNum=%2B8675500000001&cursor=0000000000000_0&limit=10", None))
        method, path, query, _ = self.sent("axe", "count", "--number", "+8675500000001")
        self.assertEqual((method, path, query), ("GET", "/rest/caas/virtualnumber/v1.0", "number=%2B8675500000001"))

    def test_axyb_carries_app_key_in_the_query(self):
        axyb = "/rest/omp/xyrelationnumber/v1.0"
        method, path, query, body = self.sent("axyb", "bind", "--orig-num", "+8613800000021", "--area-code", "0755")
        self.assertEqual((method, path, query), ("POST", axyb, "app_key=cli-key"))
        self.assertEqual((body["origNum"], body["areaCode"]), ("+8613800000021", "0755"))
        method, path, query, _ = self.sent("axyb", "query", "--relation-num", "+8675500000001")
        self.assertEqual((method, path), ("GET", axyb))
        self.assertIn("relationNum=%2B8675500000001", query)
        self.assertIn("app_key=cli-key", query)

        # Parameter order is not prescribed; each value's escaping is.
        for extra, expected in (((), ["app_key=cli-key", "subscriptionId=sub-1"]),
                                (("--y-num", "+8675500000002"),
                                 ["app_key=cli-key", "subscriptionId=sub-1", "yNum=%2B8675500000002"]),
                                (("--b-num", "+8613800000022"),
                                 ["app_key=cli-key", "bNum=%2B8613800000022", "subscriptionId=sub-1"])):
            method, path, query, body = self.sent("axyb", "unbind", "--subscription-id", "sub-1", *extra)
            self.assertEqual((method, path, body), ("DELETE", axyb, None))
            self.assertEqual(sorted(query.split("&")), expected)

    def test_call_stop(self):
        self.assertEqual(self.sent("call", "stop", "--session-id", "s-1"),
                         ("POST", "/rest/httpsessions/callStop/v2.0", "", {"sessionid": "s-1", "signal": "call_stop"}))

    def test_recording_url_prints_the_location_of_the_301(self):
        server = CaptureServer(status=301, answer={}, headers={"Location": "https://download.example/rec.wav?token=t"})
        try:
            result = run_cli(server.base_url, "recording", "url", "--file-name", "a b.wav", "--record-domain", "obs.example")
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(result.stdout.strip(), "https://download.example/rec.wav?token=t")
            request = server.requests[0]
            self.assertEqual((request["method"], request["path"], request["query"]),
                             ("GET", "/rest/provision/voice/record/v1.0", "fileName=a%20b.wav&recordDomain=obs.example"))
        finally:
            server.close()


    def test_recording_download_follows_the_location_itself_and_writes_the_file(self):
        audio = bytes(range(256)) * 4096  # 1 MiB
        storage = CaptureServer(raw=audio)
        platform = CaptureServer(status=301, answer={}, headers={"Location": storage.base_url + "/rec.wav?token=t"})
        try:
            with tempfile.TemporaryDirectory() as directory:
                output = os.path.join(directory, "call.wav")
                result = run_cli(platform.base_url, "recording", "download", "--file-name", "rec.wav",
                                 "--record-domain", "obs.example", "--output", output)
                self.assertEqual(result.returncode, 0, result.stderr)
                with open(output, "rb") as written:
                    self.assertEqual(written.read(), audio)
            self.assertEqual([(r["method"], r["path"], r["query"]) for r in platform.requests],
                             [("GET", "/rest/provision/voice/record/v1.0", "fileName=rec.wav&recordDomain=obs.example")])
            self.assertEqual([(r["method"], r["path"], r["query"]) for r in storage.requests],
                             [("GET", "/rec.wav", "token=t")])
            # The storage URL is pre-signed: the app's credentials never travel there.
            self.assertNotIn("x-aksk", storage.requests[0]["headers"])
        finally:
            platform.close()
            storage.close()


class CliErrors(unittest.TestCase):
    def test_platform_refusal_exits_1_with_one_line_and_no_secret(self):
        server = CaptureServer(status=403, answer={"resultcode": "1012010", "resultdesc": "The number has been bound."})
        try:
            result = run_cli(server.base_url, "axb", "bind", "--caller-num", "+8613800000021",
                             "--callee-num", "+8613800000022")
        finally:
            server.close()
        self.assertEqual(result.returncode, 1)
        lines = result.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        for expected in ("category=api", "http_status=403", "resultcode=1012010", "The number has been bound."):
            self.assertIn(expected, lines[0])
        self.assertNotIn(SECRET, result.stderr + result.stdout)

    def test_auth_refusal_is_not_retried(self):
        server = CaptureServer(status=401, answer={"resultcode": "1010010", "resultdesc": "Invalid digest."})
        try:
            result = run_cli(server.base_url, "axb", "query", "--subscription-id", "x")
            self.assertEqual(len(server.requests), 1)
        finally:
            server.close()
        self.assertEqual(result.returncode, 1)
        self.assertIn("category=auth", result.stderr)
        self.assertNotIn(SECRET, result.stderr)

    def test_connection_refused_is_a_transport_error(self):
        # A port bound but never listening refuses deterministically; a closed server's port
        # could be taken by a parallel test, or the client could even connect to itself.
        with socket.socket() as refusing:
            refusing.bind(("127.0.0.1", 0))
            url = "http://127.0.0.1:%d" % refusing.getsockname()[1]
            result = run_cli(url, "axb", "query", "--subscription-id", "x")
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("category=transport", result.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
