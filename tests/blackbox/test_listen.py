"""`privacycall listen` against `privacycall sim`: one JSON line per delivered notification;
forged and malformed pushes only on stderr; a spool-backed receiver killed with SIGKILL under
load has delivered, after restart, every push; /healthz, /readyz and /metrics on the listen
port or on --ops-port; SIGTERM drains: the push in flight is answered and printed, exit 0."""
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
import platform_docs as docs  # noqa: E402

CLI = os.environ["PRIVACYCALL_CLI"]
AXB = "/rest/caas/relationnumber/partners/v1.0"
X = "+8675500000001"
KEY, SECRET = "listen-key", "listen-secret"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Process:
    """A CLI process whose first stdout line is `listening on URL`; later lines are collected."""

    spawned = []  # every process started, so that a failing test still stops them all

    def __init__(self, *args):
        self.process = subprocess.Popen([CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        Process.spawned.append(self.process)
        ready, _, _ = select.select([self.process.stdout], [], [], 30)
        first = self.process.stdout.readline().strip() if ready else "(nothing within 30 s)"
        if not first.startswith("listening on http://127.0.0.1:"):
            self.process.kill()
            raise AssertionError("unexpected first line: %r" % first)
        self.url = first[len("listening on "):]
        self.lines, self.errors = [], []
        self.lock = threading.Lock()
        self.readers = [threading.Thread(target=self._read, args=(self.process.stdout, self.lines), daemon=True),
                        threading.Thread(target=self._read, args=(self.process.stderr, self.errors), daemon=True)]
        for reader in self.readers:
            reader.start()

    def _read(self, stream, sink):
        for line in stream:
            with self.lock:
                sink.append(line.rstrip("\n"))

    def notifications(self):
        with self.lock:
            return [json.loads(line) for line in self.lines]

    def wait_for(self, predicate, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if predicate():
                return True
            time.sleep(0.05)  # polling another process's output; there is nothing to wait on
        return False

    def stop(self, sig=signal.SIGTERM):
        self.process.send_signal(sig)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=20)
            raise
        for reader in self.readers:
            reader.join(timeout=5)


def post(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def get(url):
    """(HTTP status, body text) of GET url."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def metric(text, sample):
    """The value of one sample line (`name{labels}`) of a metrics page, None when absent."""
    for line in text.splitlines():
        name, _, value = line.rpartition(" ")
        if name == sample:
            return float(value)
    return None


def signed_push_head(path, body, close=True):
    """The head of a signed POST of `body` to `path`, as raw bytes."""
    return ("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
            "Authorization: %s\r\nX-AKSK: %s\r\n%s\r\n"
            % (path, len(body), docs.AUTHORIZATION, docs.x_aksk(KEY, SECRET),
               "Connection: close\r\n" if close else "")).encode()


def start_sim(listen_url, *extra):
    return Process("sim", "--port", "0", "--app-key", KEY, "--app-secret", SECRET, "--time-scale", "600",
                   "--status-url", listen_url + "/status", "--fee-url", listen_url + "/fee",
                   "--sms-url", listen_url + "/sms", *extra)


def bind(sim, caller, callee):
    status, body = docs.DocsClient(sim.url, KEY, SECRET).call(
        "POST", AXB, body={"callerNum": caller, "calleeNum": callee, "relationNum": X, "recordFlag": "true"})
    assert body["resultcode"] == "0", body


class Listen(unittest.TestCase):
    def test_prints_each_kind_and_rejects_forgeries(self):
        listen = Process("listen", "--port", "0", "--app-key", KEY, "--app-secret", SECRET, "--route-to", "+8613800000099")
        sim = start_sim(listen.url)
        try:
            bind(sim, "+8613800000021", "+8613800000022")
            session = post(sim.url + "/simulator/calls", {"caller": "+8613800000021", "called": X})["sessionId"]
            x_session = post(sim.url + "/simulator/calls", {"caller": "+8613800000031", "called": "+8617000000001"})["sessionId"]
            post(sim.url + "/simulator/sms", {"calling": "+8613800000021", "virtualNumber": X, "content": "hello"})
            post(sim.url + "/simulator/number-status", {"number": X, "status": "10", "cause": "2"})
            kinds = lambda: {n["kind"] for n in listen.notifications()}
            self.assertTrue(listen.wait_for(lambda: {"call_event", "fee", "sms", "number_status"} <= kinds()
                                            and sum(n["kind"] == "fee" for n in listen.notifications()) == 2))
            ours = [n for n in listen.notifications() if n.get("session_id") == session]
            self.assertEqual([n["event_type"] for n in ours], ["callin", "callout", "alerting", "answer", "disconnect"])
            x_callin = [n for n in listen.notifications() if n.get("session_id") == x_session and n.get("event_type") == "callin"]
            self.assertEqual(x_callin[0]["answer"], "connect")
            self.assertTrue(any(n.get("kind") == "call_event" and n.get("session_id") == x_session
                                and n.get("called") == "+8613800000099" for n in listen.notifications()))

            before = len(listen.notifications())
            forged = docs.DocsClient(listen.url, KEY, "wrong-secret")
            status, _ = forged.call("POST", "/status", body={"eventType": "callin", "statusInfo": {"sessionId": "f"}})
            self.assertEqual(status, 401)
            status, _ = docs.DocsClient(listen.url, KEY, SECRET).call("POST", "/status", body=[1, 2])
            self.assertEqual(status, 400)
            self.assertEqual(len(listen.notifications()), before)
        finally:
            sim.stop()
            listen.stop()

    def test_lines_are_compact_sorted_json_with_every_character_escaped(self):
        # Each line must be what a compact dump with sorted keys gives (nlohmann's and Python's
        # escape alike), whatever the texts hold, also when a reused line builder printed lines
        # of other shapes before.
        listen = Process("listen", "--port", "0", "--app-key", KEY, "--app-secret", SECRET, "--quiet")
        try:
            client = docs.DocsClient(listen.url, KEY, SECRET)
            tricky = 'quote " backslash \\ slash / tab \t newline \n cr \r bell \x07 nul \x00 del \x7f ' \
                     'e-acute \u00e9 han \u4e2d emoji \U0001F600 \u2028 \x1f'
            record = {"sessionId": "s-" + tricky, "icid": "i-1", "callerNum": tricky, "direction": -3,
                      "callInTime": "2026-11-22 10:00:00", "fwdAnswerTime": "2026-11-22 10:00:05",
                      "callEndTime": "2026-11-22 10:01:05", "recordFlag": "1", "unknownMember": [1]}
            pushes = [
                ("/fee", {"eventType": "fee", "feeLst": [record, dict(record, sessionId="s-2", icid="i-2")]}),
                ("/status", {"eventType": "disconnect", "statusInfo": {
                    "sessionId": "e-1", "caller": tricky, "stateCode": 31, "timestamp": "2026-11-22 10:00:00"}}),
                ("/status", {"eventType": "numStatus", "numInfo": [{"number": X, "status": "10", "cause": "2"}]}),
                ("/sms", {"appKey": KEY, "smsEvent": {"smsIdentifier": "m-1", "smsContent": tricky,
                                                      "notificationMode": "Notify", "sendResult": 0}}),
                ("/other", {"eventType": "brandNew", "b": {"z": [1, 2.5, None, True], "a": tricky}}),
            ]
            for path, body in pushes:
                status, _ = client.call("POST", path, body=body)
                self.assertEqual(status, 200, path)
            self.assertTrue(listen.wait_for(lambda: len(listen.notifications()) == len(pushes)))
            with listen.lock:
                lines = list(listen.lines)
            for line in lines:
                self.assertEqual(line, json.dumps(json.loads(line), ensure_ascii=False, separators=(",", ":"),
                                                  sort_keys=True))
            fee, event, status, sms, unknown = (json.loads(line) for line in lines)
            self.assertEqual([r["session_id"] for r in fee["records"]], ["s-" + tricky, "s-2"])
            self.assertEqual(fee["records"][0]["caller_num"], tricky)
            self.assertEqual(fee["records"][0]["direction"], -3)
            self.assertEqual(fee["records"][0]["record_flag"], 1)
            self.assertEqual(fee["records"][0]["talk_seconds"], 60)
            self.assertEqual((event["caller"], event["state_code"], event["kind"]), (tricky, 31, "call_event"))
            self.assertIn("state_meaning", event)
            self.assertEqual(status["entries"], [{"number": X, "status": "10", "cause": "2"}])
            self.assertEqual((sms["sms_content"], sms["send_result"]), (tricky, 0))
            self.assertEqual(unknown, {"kind": "unknown", "event_type": "brandNew", "raw": pushes[-1][1]})
        finally:
            listen.stop()

    def test_bad_flags_exit_2(self):
        for args in (["listen"], ["listen", "--no-verify", "--app-key", "k", "--app-secret", "s"],
                     ["listen", "--app-key", "k"], ["listen", "--route-to", "12345"]):
            result = subprocess.run([CLI, *args], capture_output=True, text=True, timeout=10)
            self.assertEqual(result.returncode, 2, (args, result.stderr))


class OpsEndpoints(unittest.TestCase):
    EVENT = {"eventType": "disconnect", "statusInfo": {"sessionId": "ops-1", "timestamp": "2019-01-24 07:03:28"}}

    def test_on_the_listen_port_metrics_count_delivered_duplicate_and_forged(self):
        listen = Process("listen", "--port", "0", "--app-key", KEY, "--app-secret", SECRET)
        try:
            self.assertEqual(get(listen.url + "/healthz"), (200, '{"status":"ok"}'))
            self.assertEqual(get(listen.url + "/readyz"), (200, '{"status":"ready"}'))
            platform = docs.DocsClient(listen.url, KEY, SECRET)
            self.assertEqual(platform.call("POST", "/status", body=self.EVENT)[0], 200)
            self.assertEqual(platform.call("POST", "/status", body=self.EVENT)[0], 200)  # re-pushed
            forged = docs.DocsClient(listen.url, KEY, "wrong-secret")
            self.assertEqual(forged.call("POST", "/status", body=self.EVENT)[0], 401)

            status, text = get(listen.url + "/metrics")
            self.assertEqual(status, 200)
            pushes = 'privacycall_webhook_pushes_total{kind="call_event",outcome="%s"}'
            self.assertEqual(metric(text, pushes % "delivered"), 1)
            self.assertEqual(metric(text, pushes % "duplicate"), 1)
            self.assertEqual(metric(text, 'privacycall_webhook_rejected_total{reason="bad_digest"}'), 1)
            self.assertEqual(metric(text, "privacycall_webhook_handle_seconds_count"), 3)
            self.assertEqual(metric(text, "privacycall_webhook_ready"), 1)
            self.assertEqual(len([n for n in listen.notifications() if n.get("session_id") == "ops-1"]), 1)
        finally:
            listen.stop()

    def test_ops_port_moves_them_off_the_listen_port(self):
        ops_port = free_port()
        listen = Process("listen", "--port", "0", "--ops-port", str(ops_port), "--app-key", KEY, "--app-secret", SECRET)
        ops = "http://127.0.0.1:%d" % ops_port
        try:
            self.assertEqual(get(ops + "/healthz")[0], 200)
            self.assertEqual(get(ops + "/readyz"), (200, '{"status":"ready"}'))
            self.assertEqual(metric(get(ops + "/metrics")[1], "privacycall_webhook_ready"), 1)
            for path in ("/healthz", "/readyz", "/metrics"):
                self.assertEqual(get(listen.url + path)[0], 405, path)  # only pushes there
            self.assertTrue(listen.wait_for(lambda: any(ops in line for line in listen.errors)))
        finally:
            listen.stop()


class GracefulDrain(unittest.TestCase):
    def test_sigterm_answers_and_prints_the_push_in_flight_then_exits_0(self):
        ops_port = free_port()
        listen = Process("listen", "--port", "0", "--ops-port", str(ops_port), "--app-key", KEY, "--app-secret", SECRET)
        ops = "http://127.0.0.1:%d" % ops_port
        host, port = listen.url[len("http://"):].rsplit(":", 1)
        body = json.dumps({"eventType": "disconnect",
                           "statusInfo": {"sessionId": "drain-1", "timestamp": "2019-01-24 07:03:28"}}).encode()
        try:
            with socket.create_connection((host, int(port)), timeout=10) as push:
                # Half a push: the receiver is reading it when the signal comes.
                push.sendall(signed_push_head("/status", body) + body[:10])
                in_flight = lambda: metric(get(ops + "/metrics")[1], "privacycall_webhook_pushes_in_flight") == 1
                self.assertTrue(listen.wait_for(in_flight))
                listen.process.send_signal(signal.SIGTERM)
                self.assertTrue(listen.wait_for(lambda: get(ops + "/readyz") == (503, '{"status":"draining"}')))
                with self.assertRaises(ConnectionRefusedError):
                    socket.create_connection((host, int(port)), timeout=10).close()
                push.sendall(body[10:])
                answer = b""
                while True:
                    chunk = push.recv(4096)
                    if not chunk:
                        break
                    answer += chunk
            self.assertTrue(answer.startswith(b"HTTP/1.1 200"), answer)
            self.assertEqual(listen.process.wait(timeout=20), 0, listen.errors)
            for reader in listen.readers:
                reader.join(timeout=5)
            self.assertEqual([(n["session_id"], n["event_type"]) for n in listen.notifications()],
                             [("drain-1", "disconnect")])
        finally:
            if listen.process.poll() is None:
                listen.stop()


class SpoolSurvivesSigkill(unittest.TestCase):
    def test_every_push_is_delivered_after_kill_and_restart(self):
        port = str(free_port())
        spool = tempfile.mkdtemp(prefix="privacycall-spool-")
        listen = Process("listen", "--port", port, "--app-key", KEY, "--app-secret", SECRET, "--spool", spool)
        sim = start_sim(listen.url)
        outputs = []
        try:
            calls = 30
            sessions = []
            for i in range(calls):
                bind(sim, "+861380000%04d" % (2 * i), "+861380000%04d" % (2 * i + 1))
            for i in range(calls):
                sessions.append(post(sim.url + "/simulator/calls",
                                     {"caller": "+861380000%04d" % (2 * i), "called": X})["sessionId"])
                if i == calls // 2:
                    # Under load: kill the receiver without warning, then start it again on the
                    # same port and spool. The platform re-pushes what got no 200 meanwhile.
                    listen.wait_for(lambda: len(listen.notifications()) >= 20)
                    listen.stop(signal.SIGKILL)
                    outputs.append(listen)
                    listen = Process("listen", "--port", port, "--app-key", KEY, "--app-secret", SECRET, "--spool", spool)
            expected = {(s, t) for s in sessions for t in ("callin", "callout", "alerting", "answer", "disconnect", "fee")}

            def seen():
                pairs = set()
                for process in outputs + [listen]:
                    for n in process.notifications():
                        if n["kind"] == "call_event":
                            pairs.add((n["session_id"], n["event_type"]))
                        elif n["kind"] == "fee":
                            pairs.update((r["session_id"], "fee") for r in n["records"])
                return pairs

            self.assertTrue(listen.wait_for(lambda: expected <= seen(), timeout=60),
                            "missing after restart: %s" % sorted(expected - seen())[:10])
            # The kill really happened under load: the first receiver had not seen it all.
            self.assertLess(len(outputs[0].notifications()), len(expected))
            self.assertGreater(len(listen.notifications()), 0)
        finally:
            sim.stop()
            listen.stop()


def tearDownModule():
    for process in Process.spawned:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=20)


if __name__ == "__main__":
    unittest.main(verbosity=2)
