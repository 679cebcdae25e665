"""A client written only from the docs drives `privacycall sim`: AXB bind, query, modify and
unbind, and the documented codes for a wrong secret, a stale Created, a missing header, a
malformed number and a repeated pair."""
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import platform_docs as docs  # noqa: E402

CLI = os.environ["PRIVACYCALL_CLI"]
AXB = "/rest/caas/relationnumber/partners/v1.0"
A, B, C = "+8613800000021", "+8613800000022", "+8613800000023"
X = "+8675500000001"


class SimulatorProcess:
    def __init__(self, *flags):
        self.process = subprocess.Popen([CLI, "sim", "--port", "0", "--app-key", "docs-key",
                                         "--app-secret", "docs-secret", *flags],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        first = self.process.stdout.readline().strip()
        assert first.startswith("listening on http://127.0.0.1:"), first
        self.base_url = first[len("listening on "):]

    def stop(self):
        self.process.terminate()
        self.process.communicate(timeout=10)  # drains and closes the pipes
        assert self.process.returncode == 0, self.process.returncode


class DocsClientAgainstSim(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = SimulatorProcess("--x-number", X + ":0755", "--x-number", "+8610000000001:010")
        cls.client = docs.DocsClient(cls.sim.base_url, "docs-key", "docs-secret")

    @classmethod
    def tearDownClass(cls):
        cls.sim.stop()

    def test_bind_query_modify_unbind(self):
        status, body = self.client.call("POST", AXB, body={"callerNum": A, "calleeNum": B, "relationNum": X,
                                                           "callDirection": 0, "duration": 0,
                                                           "preVoice": {"callerHintTone": "c.wav"}, "maxDuration": 0})
        self.assertEqual((status, body["resultcode"]), (200, "0"))
        sub = body["subscriptionId"]
        self.assertEqual(body["relationNum"], X)

        status, body = self.client.call("GET", AXB, query={"subscriptionId": sub})
        self.assertEqual(body["resultcode"], "0")
        self.assertEqual(body["relationNumList"][0]["callerNum"], A)

        status, body = self.client.call("GET", AXB, query={"relationNum": X, "callerNum": A, "pageIndex": 1, "pageSize": 20})
        self.assertEqual([b["subscriptionId"] for b in body["relationNumList"]], [sub])

        status, body = self.client.call("PUT", AXB, body={"subscriptionId": sub, "calleeNum": C})
        self.assertEqual((status, body["resultcode"]), (200, "0"))
        status, body = self.client.call("GET", AXB, query={"subscriptionId": sub})
        self.assertEqual(body["relationNumList"][0]["calleeNum"], C)

        status, body = self.client.call("DELETE", AXB, query={"subscriptionId": sub})
        self.assertEqual((status, body["resultcode"]), (200, "0"))
        status, body = self.client.call("GET", AXB, query={"subscriptionId": sub})
        self.assertEqual(body["resultcode"], "1016001")

    def test_wrong_secret(self):
        wrong = docs.DocsClient(self.sim.base_url, "docs-key", "not-the-secret")
        status, body = wrong.call("GET", AXB, query={"subscriptionId": "x"})
        self.assertEqual((status, body["resultcode"]), (401, "1010010"))

    def test_stale_created(self):
        headers = {"Authorization": docs.AUTHORIZATION,
                   "X-AKSK": docs.x_aksk("docs-key", "docs-secret", created=docs.created_now(-400))}
        status, body = self.client.call("GET", AXB, query={"subscriptionId": "x"}, headers=headers)
        self.assertEqual((status, body["resultcode"]), (401, "1010013"))

    def test_missing_headers(self):
        status, body = self.client.call("GET", AXB, query={"subscriptionId": "x"}, headers={})
        self.assertEqual((status, body["resultcode"]), (400, "1023006"))
        status, body = self.client.call("GET", AXB, query={"subscriptionId": "x"},
                                        headers={"Authorization": docs.AUTHORIZATION})
        self.assertEqual((status, body["resultcode"]), (400, "1023033"))

    def test_malformed_number(self):
        status, body = self.client.call("POST", AXB, body={"callerNum": "13800000021", "calleeNum": B})
        self.assertEqual((status, body["resultcode"]), (403, "1010002"))

    def test_repeated_pair(self):
        status, body = self.client.call("POST", AXB, body={"callerNum": "+8613900000001", "calleeNum": "+8613900000002", "relationNum": X})
        self.assertEqual(body["resultcode"], "0")
        status, body = self.client.call("POST", AXB, body={"callerNum": "+8613900000001", "calleeNum": "+8613900000002", "relationNum": X})
        self.assertEqual(body["resultcode"], "1012010")
        self.assertNotIn("13900000001", body["resultdesc"])


class SimulatorFaultFlags(unittest.TestCase):
    def test_error_rate_one_answers_503_without_processing(self):
        sim = SimulatorProcess("--error-rate", "1")
        try:
            client = docs.DocsClient(sim.base_url, "docs-key", "docs-secret")
            status, body = client.call("POST", AXB, body={"callerNum": A, "calleeNum": B, "relationNum": X})
            self.assertEqual((status, body["resultcode"]), (503, "1010001"))
        finally:
            sim.stop()

    def test_flow_control_rate_one_answers_429(self):
        sim = SimulatorProcess("--flow-control-rate", "1", "--latency-ms", "5")
        try:
            client = docs.DocsClient(sim.base_url, "docs-key", "docs-secret")
            status, body = client.call("GET", AXB, query={"subscriptionId": "x"})
            self.assertEqual((status, body["resultcode"]), (429, "1010010"))
        finally:
            sim.stop()

    def test_bad_rates_are_refused(self):
        result = subprocess.run([CLI, "sim", "--error-rate", "1.5"], capture_output=True, text=True, timeout=10)
        self.assertEqual(result.returncode, 2)
        self.assertIn("probability", result.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
