"""Signature headers as other clients write them, signed here with Python's hashlib/hmac from the
docs alone, accepted by `privacycall sim --accept-wsse` (a client's request) and by
`privacycall listen --accept-wsse` (a push): the header pair Huawei's Java demo sends (WSSE,
`dsl="Appkey"`, comma-space separators), a PHP client's 13-character uniqid() nonce, and every
other variant docs/security.md lists. Without --accept-wsse both refuse WSSE and say why."""
import base64
import datetime
import hashlib
import hmac
import os
import sys
import unittest
import uuid

sys.path.insert(0, os.path.dirname(__file__))
import platform_docs as docs  # noqa: E402
from test_listen import Process  # noqa: E402

AXB = "/rest/caas/relationnumber/partners/v1.0"
KEY, SECRET = "variant-key", "variant-secret"

# Captured from Huawei's Java demo (PrivateNumber, WSSE era), secret and digest not ours: the
# test keeps its exact layout and re-makes Nonce, Created and PasswordDigest for its own app.
JAVA_DEMO_AUTHORIZATION = 'WSSE realm="SDP", profile="UsernameToken", dsl="Appkey"'
JAVA_DEMO_TOKEN = ('UsernameToken Username="{key}", PasswordDigest="{digest}", '
                   'Nonce="{nonce}", Created="{created}"')


def created(offset_seconds=0, fraction=""):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=offset_seconds)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + fraction + "Z"


def digest(scheme, nonce, when):
    if scheme == "WSSE":
        return base64.b64encode(hashlib.sha256((nonce + when + SECRET).encode()).digest()).decode()
    return base64.b64encode(hmac.new(SECRET.encode(), (nonce + when).encode(), hashlib.sha256).digest()).decode()


def php_uniqid():
    return uuid.uuid4().hex[:13]  # uniqid(): 13 hexadecimal digits


def headers(scheme="AKSK", type_key="type", appkey="Appkey", sep=",", nonce=None, fraction="", lower=False,
            offset=0):
    nonce = nonce or uuid.uuid4().hex
    when = created(offset, fraction)
    authorization = '%s realm="SDP"%sprofile="UsernameToken"%s%s="%s"' % (scheme, sep, sep, type_key, appkey)
    token = ('UsernameToken Username="%s"%sPasswordDigest="%s"%sNonce="%s"%sCreated="%s"'
             % (KEY, sep, digest(scheme, nonce, when), sep, nonce, sep, when))
    token_name = "X-" + scheme
    return {("authorization" if lower else "Authorization"): authorization,
            (token_name.lower() if lower else token_name): token}


def java_demo_headers():
    nonce, when = str(uuid.uuid4()), created()
    return {"Authorization": JAVA_DEMO_AUTHORIZATION,
            "X-WSSE": JAVA_DEMO_TOKEN.format(key=KEY, digest=digest("WSSE", nonce, when), nonce=nonce, created=when)}


VARIANTS = {
    "AKSK as documented": lambda: headers(),
    "AKSK, comma-space, lower-case names": lambda: headers(sep=", ", lower=True),
    "AKSK, dsl=AppKey": lambda: headers(type_key="dsl", appkey="AppKey"),
    "AKSK, 8-char nonce, type=appkey": lambda: headers(appkey="appkey", nonce=uuid.uuid4().hex[:8]),
    "AKSK, 128-char nonce of [0-9A-Za-z_-]": lambda: headers(nonce=("a-B_" + uuid.uuid4().hex * 4)[:128]),
    "AKSK, Created with milliseconds": lambda: headers(fraction=".123"),
    "WSSE as documented": lambda: headers("WSSE"),
    "WSSE, Huawei Java demo": java_demo_headers,
    "WSSE, PHP uniqid nonce": lambda: headers("WSSE", nonce=php_uniqid()),
    "WSSE, type=APPKEY, microseconds, lower-case names": lambda: headers("WSSE", appkey="APPKEY", fraction=".123456",
                                                                        lower=True),
}


class ClientVariantsAgainstSim(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = Process("sim", "--port", "0", "--app-key", KEY, "--app-secret", SECRET, "--accept-wsse")
        cls.strict = Process("sim", "--port", "0", "--app-key", KEY, "--app-secret", SECRET)

    @classmethod
    def tearDownClass(cls):
        cls.sim.stop()
        cls.strict.stop()

    def test_every_variant_is_accepted(self):
        client = docs.DocsClient(self.sim.url, KEY, SECRET)
        for name, make in VARIANTS.items():
            with self.subTest(name):
                status, body = client.call("GET", AXB, query={"subscriptionId": "none"}, headers=make())
                # Authenticated: the answer is about the binding, not the signature.
                self.assertEqual((status, body["resultcode"]), (403, "1016001"), body)

    def test_java_demo_pair_and_php_nonce(self):
        client = docs.DocsClient(self.sim.url, KEY, SECRET)
        status, body = client.call("POST", AXB, body={"callerNum": "+8613800000021", "calleeNum": "+8613800000022"},
                                   headers=java_demo_headers())
        self.assertEqual((status, body["resultcode"]), (200, "0"), body)
        status, body = client.call("POST", AXB, body={"callerNum": "+8613800000021", "calleeNum": "+8613800000023"},
                                   headers=headers("WSSE", nonce=php_uniqid()))
        self.assertEqual((status, body["resultcode"]), (200, "0"), body)

    def test_wsse_without_accept_wsse_is_refused_saying_why(self):
        status, body = docs.DocsClient(self.strict.url, KEY, SECRET).call(
            "GET", AXB, query={"subscriptionId": "none"}, headers=java_demo_headers())
        self.assertEqual(status, 400)
        self.assertIn("received the legacy WSSE scheme", body["resultdesc"])
        self.assertIn("--accept-wsse", body["resultdesc"])

    def test_local_time_written_as_utc_is_explained(self):
        status, body = docs.DocsClient(self.sim.url, KEY, SECRET).call(
            "GET", AXB, query={"subscriptionId": "none"}, headers=headers(offset=8 * 3600 + 2))
        self.assertEqual((status, body["resultcode"]), (401, "1010013"))
        self.assertIn("looks like local time written as UTC", body["resultdesc"])


class PushVariantsAgainstListen(unittest.TestCase):
    def test_every_variant_is_delivered_and_wsse_needs_the_flag(self):
        listen = Process("listen", "--port", "0", "--app-key", KEY, "--app-secret", SECRET, "--accept-wsse")
        strict = Process("listen", "--port", "0", "--app-key", KEY, "--app-secret", SECRET)
        try:
            for i, (name, make) in enumerate(VARIANTS.items()):
                with self.subTest(name):
                    body = {"eventType": "answer", "statusInfo": {"sessionId": "v-%d" % i}}
                    status, _ = docs.DocsClient(listen.url, KEY, SECRET).call("POST", "/status", body=body,
                                                                            headers=make())
                    self.assertEqual(status, 200)
            self.assertTrue(listen.wait_for(lambda: len(listen.notifications()) == len(VARIANTS)))
            status, body = docs.DocsClient(strict.url, KEY, SECRET).call(
                "POST", "/status", body={"eventType": "answer", "statusInfo": {"sessionId": "w"}},
                headers=java_demo_headers())
            self.assertEqual(status, 400)
            self.assertIn("scheme_not_accepted", body["resultdesc"])
            self.assertTrue(strict.wait_for(lambda: any("scheme_not_accepted" in e for e in strict.errors)))
            self.assertEqual(strict.notifications(), [])
        finally:
            listen.stop()
            strict.stop()


if __name__ == "__main__":
    unittest.main(verbosity=2)
