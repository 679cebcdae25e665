"""Three `privacycall listen --redis` replicas on one real redis-server (started here on a free
loopback port, append-only file fsync'ed on every write): a header replayed to another replica
is refused; re-pushes spread over replicas are printed once in total; a replica killed with
SIGKILL while pushes flow loses nothing answered 200 (the others take its pending entries
over); Redis stopped and started again mid-stream answers 503 meanwhile and loses nothing
answered 200; `queue list|replay` and the --redis usage errors."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
import platform_docs as docs  # noqa: E402
from test_listen import CLI, Process, free_port  # noqa: E402

KEY, SECRET = "fleet-key", "fleet-secret"
STREAM, GROUP = "privacycall:pushes", "receivers"


def poll(condition, timeout=30):
    """Polls `condition` (another process's state: nothing to wait on) up to `timeout` s."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


class Redis:
    """A redis-server of the test's own, restartable on the same port and data."""

    def __init__(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="privacycall-redis-")
        self.url = "redis://127.0.0.1:%d/0" % self.port
        self.process = None
        self.start()

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes",
             "--appendfsync", "always", "--dir", self.dir], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not poll(lambda: self.command("PING") == "PONG", 20):
            raise AssertionError("redis-server did not answer PING")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=20)

    def close(self):
        if self.process.poll() is None:
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def command(self, *words):
        """One command in RESP; its reply (str, int, list, None), or None when unreachable."""
        request = "*%d\r\n" % len(words) + "".join("$%d\r\n%s\r\n" % (len(str(w).encode()), w) for w in words)
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=5) as s:
                s.sendall(request.encode())
                return _read_reply(s.makefile("rb"))
        except OSError:
            return None

    def drained(self):
        """Nothing queued and nothing pending in the fleet's stream."""
        pending = self.command("XPENDING", STREAM, GROUP)
        return self.command("XLEN", STREAM) == 0 and isinstance(pending, list) and pending[0] == 0

    def pending_of(self, consumer):
        entries = self.command("XPENDING", STREAM, GROUP, "-", "+", "1000", consumer)
        return len(entries) if isinstance(entries, list) else 0


def _read_reply(f):
    line = f.readline().rstrip(b"\r\n")
    kind, rest = line[:1], line[1:].decode()
    if kind in (b"+", b"-"):
        return rest
    if kind == b":":
        return int(rest)
    if kind == b"$":
        return None if rest == "-1" else f.read(int(rest) + 2)[:-2].decode()
    if kind == b"*":
        return None if rest == "-1" else [_read_reply(f) for _ in range(int(rest))]
    raise AssertionError("unexpected RESP reply %r" % line)


def event(session):
    return {"eventType": "disconnect", "statusInfo": {"sessionId": session, "timestamp": "2019-01-24 07:03:28"}}


def readyz(replica_url):
    """The replica's /readyz status (0 when it cannot be reached)."""
    try:
        with urllib.request.urlopen(replica_url + "/readyz", timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as refused:
        return refused.code
    except OSError:
        return 0


def push(replica_url, body, headers=None):
    """One push; its HTTP status (0 when the replica cannot be reached)."""
    try:
        status, _ = docs.DocsClient(replica_url, KEY, SECRET).call("POST", "/status", body=body, headers=headers)
        return status
    except OSError:
        return 0


class Fleet(unittest.TestCase):
    def setUp(self):
        self.redis = Redis()
        self.replicas = [self.replica(name) for name in ("a", "b", "c")]

    def tearDown(self):
        for replica in self.replicas:
            if replica.process.poll() is None:
                replica.stop()
        self.redis.close()

    def replica(self, name):
        return Process("listen", "--port", "0", "--app-key", KEY, "--app-secret", SECRET, "--redis", self.redis.url,
                       "--consumer", name, "--claim-idle-ms", "500", "--quiet")

    def printed(self):
        """session id -> how many times any replica printed it."""
        counts = {}
        for replica in self.replicas:
            for n in replica.notifications():
                counts[n["session_id"]] = counts.get(n["session_id"], 0) + 1
        return counts

    def deliver_like_the_platform(self, session, start=0, timeout=30):
        """Pushes (signed anew each time) round the replicas until one answers 200; which did."""
        deadline, i = time.time() + timeout, start
        while time.time() < deadline:
            replica = self.replicas[i % len(self.replicas)]
            if replica.process.poll() is None and push(replica.url, event(session)) == 200:
                return replica
            i += 1
        raise AssertionError("no replica answered 200 to %s" % session)

    def test_a_header_replayed_to_another_replica_is_refused(self):
        a, b, c = self.replicas
        headers = {"Authorization": docs.AUTHORIZATION, "X-AKSK": docs.x_aksk(KEY, SECRET)}
        self.assertEqual(push(a.url, event("original"), headers), 200)
        self.assertEqual(push(b.url, event("forged"), headers), 401)
        # The same header with the same body is a re-push: accepted, and not printed again.
        self.assertEqual(push(c.url, event("original"), headers), 200)
        self.assertTrue(poll(self.redis.drained))
        self.assertEqual(self.printed(), {"original": 1})

    def test_re_pushes_spread_over_replicas_are_printed_once_in_total(self):
        sessions = ["spread-%d" % i for i in range(30)]
        for i, session in enumerate(sessions):
            for j in range(3):  # the push and two re-pushes, each to another replica
                self.assertEqual(push(self.replicas[(i + j) % 3].url, event(session)), 200)
        self.assertTrue(poll(self.redis.drained))
        self.assertEqual(self.printed(), {s: 1 for s in sessions})

    def test_a_replica_killed_while_pushes_flow_loses_nothing_answered_200(self):
        a = self.replicas[0]
        answered = []
        for i in range(20):
            answered.append("before-%d" % i)
            self.deliver_like_the_platform(answered[-1], i)
        # Frozen, a's workers keep the entries Redis hands to their blocked reads meanwhile
        # (a read blocks for half a second at most: when a was frozen between two, thaw it
        # and freeze it again).
        for attempt in range(20):
            a.process.send_signal(signal.SIGSTOP)
            for i in range(10):
                answered.append("frozen-%d-%d" % (attempt, i))
                self.deliver_like_the_platform(answered[-1], 1 + i % 2)
                if self.redis.pending_of("a") > 0:
                    break
            if self.redis.pending_of("a") > 0:
                break
            a.process.send_signal(signal.SIGCONT)
        held = self.redis.pending_of("a")
        self.assertGreater(held, 0, "a held no entry when killed")
        a.process.kill()
        a.process.wait(timeout=20)
        for i in range(20):
            answered.append("after-%d" % i)
            self.deliver_like_the_platform(answered[-1], i)
        self.assertTrue(poll(self.redis.drained), "left in the stream: %s" % self.redis.command("XPENDING", STREAM, GROUP))
        printed = self.printed()
        self.assertEqual(sorted(s for s in answered if s not in printed), [])
        self.assertEqual(self.redis.pending_of("a"), 0)

    def test_redis_stopped_and_started_mid_stream_answers_503_then_recovers_without_loss(self):
        answered = []
        for i in range(15):
            answered.append("before-%d" % i)
            self.deliver_like_the_platform(answered[-1], i)
        self.redis.stop()
        statuses = {push(r.url, event("while-down-%d" % i)) for i, r in enumerate(self.replicas)}
        self.assertEqual(statuses, {503})
        self.redis.start()
        for i in range(15):
            answered.append("after-%d" % i)
            self.deliver_like_the_platform(answered[-1], i)
        self.assertTrue(poll(self.redis.drained))
        printed = self.printed()
        self.assertEqual(sorted(s for s in answered if s not in printed), [])
        self.assertTrue(all(printed[s] == 1 for s in answered))
        self.assertFalse(any(s.startswith("while-down") for s in printed))

    def test_queue_list_and_replay_work_the_dead_letters(self):
        listed = subprocess.run([CLI, "queue", "list", "--redis", self.redis.url], capture_output=True, text=True,
                                timeout=30)
        self.assertEqual((listed.returncode, listed.stdout), (0, ""), listed.stderr)
        replay = subprocess.run([CLI, "queue", "replay", "--redis", self.redis.url, "--id", "1-1"],
                                capture_output=True, text=True, timeout=30)
        self.assertEqual(replay.returncode, 2, replay.stderr)
        self.assertIn("no dead letter 1-1", replay.stderr)


class FleetStart(unittest.TestCase):
    def test_a_malformed_redis_url_exits_2_naming_what_is_wrong(self):
        for url, named in (("http://127.0.0.1:6379", "scheme"), ("redis://127.0.0.1:99999", "port"),
                           ("redis://127.0.0.1:6379/x", "database")):
            result = subprocess.run([CLI, "listen", "--app-key", KEY, "--app-secret", SECRET, "--redis", url],
                                    capture_output=True, text=True, timeout=10)
            self.assertEqual(result.returncode, 2, (url, result.stderr))
            self.assertIn(named, result.stderr)

    def test_a_redis_down_at_start_is_not_fatal(self):
        port = free_port()
        replica = Process("listen", "--port", "0", "--app-key", KEY, "--app-secret", SECRET,
                          "--redis", "redis://127.0.0.1:%d/0" % port, "--quiet")
        redis = None
        try:
            self.assertEqual(push(replica.url, event("too-early")), 503)
            self.assertEqual(readyz(replica.url), 503)
            redis = Redis.__new__(Redis)
            redis.port, redis.dir = port, tempfile.mkdtemp(prefix="privacycall-redis-")
            redis.start()
            self.assertTrue(poll(lambda: readyz(replica.url) == 200))
            self.assertTrue(poll(lambda: push(replica.url, event("in-time")) == 200))
            self.assertTrue(replica.wait_for(lambda: [n["session_id"] for n in replica.notifications()] == ["in-time"]))
        finally:
            replica.stop()
            if redis is not None:
                redis.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
