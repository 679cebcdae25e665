"""A client written only from the docs drives the other modes of `privacycall sim`: AX with a
temporary callee, AXE with extensions, v2.0 paging and counts, AXYB with app_key in the query,
stop call, and a recording made by a simulated call, fetched through the 301's Location."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import platform_docs as docs  # noqa: E402
from capture_server import CaptureServer  # noqa: E402
from test_docs_client import SimulatorProcess  # noqa: E402

AX = "/rest/provision/caas/privatenumber/v1.0"
AX_CALLEE = "/rest/caas/privatenumber/calleenumber/v1.0"
AXE = "/rest/caas/extendnumber/v1.0"
AXE_V2 = "/rest/caas/extendnumber/v2.0"
AXE_COUNT = "/rest/caas/virtualnumber/v1.0"
AXYB = "/rest/omp/xyrelationnumber/v1.0"
AXB = "/rest/caas/relationnumber/partners/v1.0"
STOP = "/rest/httpsessions/callStop/v2.0"
RECORDING = "/rest/provision/voice/record/v1.0"

A1, A2, A3, B = "+8613800000031", "+8613800000032", "+8613800000033", "+8613800000034"
X_AX, X_AXE, X_AXB = "+8675500000011", "+8675500000012", "+8675500000013"
X_POOL = ["+862000000021", "+862000000022", "+862000000023"]


class DocsClientOtherModes(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.receiver = CaptureServer()
        numbers = [X_AX + ":0755", X_AXE + ":0755", X_AXB + ":0755"] + [x + ":020" for x in X_POOL]
        flags = [flag for number in numbers for flag in ("--x-number", number)]
        cls.sim = SimulatorProcess(*flags, "--status-url", cls.receiver.base_url + "/status",
                                   "--fee-url", cls.receiver.base_url + "/fee")
        cls.client = docs.DocsClient(cls.sim.base_url, "docs-key", "docs-secret")

    @classmethod
    def tearDownClass(cls):
        cls.sim.stop()
        cls.receiver.close()

    def ok(self, method, path, query=None, body=None):
        status, answer = self.client.call(method, path, query=query, body=body)
        self.assertEqual((status, answer.get("resultcode")), (200, "0"), answer)
        return answer

    def code(self, method, path, query=None, body=None):
        return self.client.call(method, path, query=query, body=body)[1]["resultcode"]

    def test_ax_bind_query_temporary_callee_modify_unbind(self):
        sub = self.ok("POST", AX, body={"origNum": A1, "privateNum": X_AX, "calleeNumDisplay": "0",
                                        "recordFlag": "false", "maxDuration": 60})["subscriptionId"]
        self.assertEqual(self.code("POST", AX, body={"origNum": A2, "privateNum": X_AX}), "1011005")
        listed = self.ok("GET", AX, query={"origNum": A1})["privateNumList"]
        self.assertEqual([(n["origNum"], n["privateNum"]) for n in listed], [(A1, X_AX)])

        self.ok("PUT", AX_CALLEE, body={"subscriptionId": sub, "calleeNum": B, "duration": 120})
        self.assertEqual(self.code("PUT", AX_CALLEE, body={"subscriptionId": sub, "origNum": A1, "calleeNum": A1}),
                         "1010002")
        self.ok("PUT", AX, body={"subscriptionId": sub, "privateSms": "false", "userData": "ax-order"})
        self.assertEqual(self.ok("GET", AX, query={"subscriptionId": sub})["privateNumList"][0]["userData"], "ax-order")

        self.ok("DELETE", AX, query={"privateNum": X_AX})
        self.assertEqual(self.code("DELETE", AX, query={"privateNum": X_AX}), "1011004")

    def test_axe_extensions_queries_counts_and_unbind(self):
        first = self.ok("POST", AXE, body={"bindNum": A1, "virtualNum": X_AXE, "timeUnit": "1", "bindExpiredTime": 60})
        self.assertTrue(first["extendNum"])
        self.ok("POST", AXE, body={"bindNum": A2, "virtualNum": X_AXE, "extendNum": "0777"})
        self.assertEqual(self.code("POST", AXE, body={"bindNum": A3, "virtualNum": X_AXE, "extendNum": "0777"}),
                         "1012010")

        one = self.ok("GET", AXE, query={"virtualNum": X_AXE, "extendNum": "0777"})
        self.assertEqual((one["bindNum"], one["extendNum"]), (A2, "0777"))
        self.ok("PUT", AXE, body={"subscriptionId": first["subscriptionId"], "recordFlag": "true"})

        # v2.0 listing: one binding per page, following the next cursor until none is left.
        seen, cursor = [], "0000000000000_0"
        for _ in range(10):
            page = self.ok("GET", AXE_V2, query={"virtualNum": X_AXE, "cursor": cursor, "limit": 1})
            entries = next(value for value in page.values() if isinstance(value, list))
            seen += [entry["bindNum"] for entry in entries]
            cursor = page.get("nextCursor") or page.get("nextCusor")
            if not cursor:
                break
        self.assertEqual(sorted(seen), [A1, A2])

        # The count's response layout is not documented: a list whose entry for X says 2.
        count = self.ok("GET", AXE_COUNT, query={"number": X_AXE})
        entries = next(value for value in count.values() if isinstance(value, list))
        self.assertEqual([sorted(map(str, entry.values())) for entry in entries], [sorted(["2", X_AXE])])

        self.ok("DELETE", AXE, query={"virtualNum": X_AXE, "extendNum": "0777"})
        self.ok("DELETE", AXE, query={"subscriptionId": first["subscriptionId"]})
        self.assertEqual(self.code("GET", AXE, query={"subscriptionId": first["subscriptionId"]}), "1016001")

    def test_axyb_two_binds_one_relation_and_yb_only_unbind(self):
        self.assertEqual(self.code("POST", AXYB, body={"origNum": A3, "areaCode": "020"}), "1010002")  # no app_key
        ax = self.ok("POST", AXYB + "?app_key=docs-key", body={"origNum": A3, "areaCode": "020"})
        yb = self.ok("POST", AXYB + "?app_key=docs-key",
                     body={"origNum": B, "areaCode": "020", "subscriptionId": ax["subscriptionId"]})
        self.assertEqual(yb["subscriptionId"], ax["subscriptionId"])
        self.assertNotEqual(yb["relationNumber"], ax["relationNumber"])
        self.assertIn(ax["relationNumber"], X_POOL)

        relations = self.ok("GET", AXYB, query={"subscriptionId": ax["subscriptionId"], "app_key": "docs-key"})
        info = relations["xyRelationNumList"][0]
        self.assertEqual((info["numA"], info["numX"], info["numY"], info["numB"]),
                         (A3, ax["relationNumber"], yb["relationNumber"], B))

        self.ok("DELETE", AXYB, query={"subscriptionId": ax["subscriptionId"], "yNum": yb["relationNumber"],
                                       "app_key": "docs-key"})
        left = self.ok("GET", AXYB, query={"subscriptionId": ax["subscriptionId"], "app_key": "docs-key"})
        self.assertFalse(any(entry.get("numB") == B for entry in left["xyRelationNumList"]))
        self.ok("DELETE", AXYB, query={"subscriptionId": ax["subscriptionId"], "app_key": "docs-key"})
        self.assertEqual(self.code("GET", AXYB, query={"subscriptionId": ax["subscriptionId"], "app_key": "docs-key"}),
                         "1016001")

    def test_stop_call_of_an_unknown_session_fails(self):
        status, answer = self.client.call("POST", STOP, body={"sessionid": "no-such-session", "signal": "call_stop"})
        self.assertEqual(answer["resultcode"], "1020152")  # codes.md: session unknown or already ended

    def test_a_recorded_call_is_downloadable_through_location(self):
        self.ok("POST", AXB, body={"callerNum": A1, "calleeNum": B, "relationNum": X_AXB, "recordFlag": "true"})
        status, _, answer = self.client.call_raw("POST", "/simulator/calls", body={"caller": B, "called": X_AXB,
                                                                                    "talkSeconds": 30})
        self.assertEqual(status, 200, answer)
        session = json.loads(answer)["sessionId"]

        def recorded_fee(requests):
            for request in requests:
                if request["path"] == "/fee":
                    for fee in json.loads(request["body"])["feeLst"]:
                        if fee.get("sessionId") == session and fee.get("recordObjectName"):
                            return fee
            return None

        fee = self.receiver.wait_for(recorded_fee)
        push = next(r for r in self.receiver.requests if r["path"] == "/fee")
        token = docs.parse_token(push["headers"]["x-aksk"])
        self.assertEqual(token["PasswordDigest"], docs.digest("docs-secret", token["Nonce"], token["Created"]))

        status, headers, _ = self.client.call_raw("GET", RECORDING, query={"fileName": fee["recordObjectName"],
                                                                           "recordDomain": fee["recordDomain"]})
        self.assertEqual(status, 301)
        location = headers["Location"]
        self.assertTrue(location.startswith("http://127.0.0.1:"), location)
        with docs.urllib.request.urlopen(location, timeout=10) as audio:
            self.assertGreater(len(audio.read()), 0)

        self.assertEqual(self.code("GET", RECORDING, query={"fileName": "missing.wav",
                                                            "recordDomain": fee["recordDomain"]}), "1012007")


if __name__ == "__main__":
    unittest.main(verbosity=2)
