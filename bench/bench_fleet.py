#!/usr/bin/env python3
"""Three `privacycall listen --redis` replicas on one redis-server against one in-memory
`privacycall listen`, under the same wrk load in the same run, in alternating rounds.

The load is three `wrk -t1 -c(C/3) --latency` processes at once, each with its own pre-signed
call-event pushes (bench_receiver.lua; every request its own nonce and sessionId): for the
fleet one per replica, for the single receiver all three at it. Prints per round the total
throughput (sum of the three) and the worst p99 of the three, the median ratio fleet/single
(goal >= 0.5) and the fleet's p99 (goal <= 20 ms), and the Redis commands per push from
INFO commandstats deltas (script-internal commands are counted by Redis under their own
names, so the scripts' SET/XADD show up next to EVALSHA).

  bench/bench_fleet.py --cli build-bench/tools/cli/privacycall [--seconds 3] [--rounds 3]
"""
import argparse
import base64
import hashlib
import hmac
import datetime
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

KEY, SECRET = "bench-fleet-key", "bench-fleet-secret"
ID_LENGTH = 16
BODY = '{"eventType":"disconnect","statusInfo":{"sessionId":"%s","timestamp":"2019-01-24 07:03:28","userData":"%s"}}'


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def poll(condition, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.02)  # another process's state: nothing to wait on
    return False


class Redis:
    def __init__(self, appendfsync):
        self.port, self.dir = free_port(), tempfile.mkdtemp(prefix="bench-fleet-redis-")
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes",
             "--appendfsync", appendfsync, "--dir", self.dir], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not poll(lambda: self.command("PING") == "PONG", 20):
            sys.exit("redis-server did not start")

    def command(self, *words):
        request = "*%d\r\n" % len(words) + "".join("$%d\r\n%s\r\n" % (len(str(w)), w) for w in words)
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=5) as s:
                s.sendall(request.encode())
                f = s.makefile("rb")
                line = f.readline().rstrip(b"\r\n")
                if line[:1] in (b"+", b"-"):
                    return line[1:].decode()
                if line[:1] == b":":
                    return int(line[1:])
                if line[:1] == b"$":
                    return f.read(int(line[1:]) + 2)[:-2].decode()
                if line[:1] == b"*":  # XPENDING summary: its first element is the count
                    return int(f.readline()[1:])
        except OSError:
            return None

    def command_calls(self):
        info = self.command("INFO", "commandstats") or ""
        return {m.group(1): int(m.group(2)) for m in re.finditer(r"cmdstat_(\w+):calls=(\d+)", info)}

    def drained(self):
        return self.command("XLEN", "privacycall:pushes") == 0 and \
            self.command("XPENDING", "privacycall:pushes", "receivers") == 0

    def close(self):
        self.process.terminate()
        self.process.wait(timeout=30)
        shutil.rmtree(self.dir, ignore_errors=True)


class Listen:
    def __init__(self, cli, *extra):
        self.process = subprocess.Popen([cli, "listen", "--port", "0", "--app-key", KEY, "--app-secret", SECRET,
                                         "--quiet", *extra], stdout=subprocess.PIPE, text=True)
        first = self.process.stdout.readline().strip()
        if not first.startswith("listening on "):
            sys.exit("unexpected first line: %r" % first)
        self.url = first[len("listening on "):] + "/status"
        self.lines = 0
        self.lock = threading.Lock()
        threading.Thread(target=self._count, daemon=True).start()

    def _count(self):
        for _ in self.process.stdout:
            with self.lock:
                self.lines += 1

    def printed(self):
        with self.lock:
            return self.lines

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def write_requests(directory, first, count):
    """bench_receiver.lua's inputs: the raw request template and one `token<TAB>id` line each."""
    os.makedirs(directory, exist_ok=True)
    body_size = len(BODY) - 4 + 2 * ID_LENGTH
    with open(os.path.join(directory, "template"), "w") as f:
        f.write("POST /status HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json;charset=UTF-8\r\n"
                'Authorization: AKSK realm="SDP",profile="UsernameToken",type="Appkey"\r\n'
                "X-AKSK: %%s\r\nContent-Length: %d\r\n\r\n" % body_size + BODY)
    created = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    run = os.urandom(8).hex()
    key = SECRET.encode()
    with open(os.path.join(directory, "requests.0"), "w") as f:
        for i in range(first, first + count):
            nonce = "%s%016x" % (run, i)
            digest = base64.b64encode(hmac.new(key, (nonce + created).encode(), hashlib.sha256).digest()).decode()
            f.write('UsernameToken Username="%s",PasswordDigest="%s",Nonce="%s",Created="%s"\t%016x\n'
                    % (KEY, digest, nonce, created, i))


def ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(urls, lua, seconds, connections, work, first, per_wrk):
    """Three wrk at once (one per url); (total req/s, worst p99 ms, 2xx answered, errors)."""
    # Every list is signed before any wrk starts: signed between the starts, the three runs
    # would overlap only in part, and a wrk running alone has a receiver (or the fleet's one
    # replica it targets) to itself.
    directories = [os.path.join(work, "wrk%d" % n) for n in range(len(urls))]
    for n, directory in enumerate(directories):
        write_requests(directory, first + n * per_wrk, per_wrk)
    runs = [subprocess.Popen(["wrk", "-t1", "-c%d" % connections, "-d%ds" % seconds, "--latency", "-s", lua,
                              url, "--", directory], stdout=subprocess.PIPE, text=True)
            for url, directory in zip(urls, directories)]
    total, worst_p99, answered, errors = 0.0, 0.0, 0, 0
    for run in runs:
        out = run.communicate(timeout=seconds + 120)[0]
        total += float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
        worst_p99 = max(worst_p99, ms(*p99.groups()))
        requests = int(re.search(r"(\d+) requests in", out).group(1))
        if requests > per_wrk:
            # Its list started over: the repeats are re-pushes of the same body, answered 200 and
            # rightly not delivered again, so "printed" would fall short of "answered".
            sys.exit("a wrk sent %d requests, more than the %d signed for it: raise --requests-per-second"
                     % (requests, per_wrk))
        non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
        bad = (int(non_2xx.group(1)) if non_2xx else 0) + (sum(map(int, socket_errors.groups())) if socket_errors else 0)
        answered += requests - bad
        errors += bad
    return total, worst_p99, answered, errors


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", required=True)
    parser.add_argument("--lua", default=os.path.join(os.path.dirname(__file__), "bench_receiver.lua"))
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=64, help="in total, split over the three wrk")
    parser.add_argument("--appendfsync", default="always", choices=["always", "everysec", "no"])
    parser.add_argument("--requests-per-second", type=int, default=60000, help="signed per wrk and second")
    args = parser.parse_args()
    if not os.path.isfile(args.lua):
        sys.exit("no wrk script at %s (--lua)" % args.lua)  # wrk would answer every request with an error

    redis = Redis(args.appendfsync)
    url = "redis://127.0.0.1:%d/0" % redis.port
    single = Listen(args.cli)
    fleet = [Listen(args.cli, "--redis", url, "--consumer", name) for name in ("a", "b", "c")]
    work = tempfile.mkdtemp(prefix="bench-fleet-")
    per_wrk = args.seconds * args.requests_per_second
    print("machine: %d cores, load average %s" % (os.cpu_count(), " ".join(open("/proc/loadavg").read().split()[:3])))
    print("load: 3 x wrk -t1 -c%d -d%ds --latency, signed call-event pushes; redis appendfsync %s"
          % (args.connections // 3, args.seconds, args.appendfsync))
    ratios, fleet_p99s, per_push = [], [], []
    failed = False
    try:
        first = 0
        for round_ in range(args.rounds):
            results = {}
            for subject in (("single", "fleet") if round_ % 2 == 0 else ("fleet", "single")):
                if subject == "single":
                    before = single.printed()
                    results[subject] = run_wrk([single.url] * 3, args.lua, args.seconds, args.connections // 3,
                                               work, first, per_wrk)
                    poll(lambda: single.printed() - before >= results[subject][2], 60)
                    printed = single.printed() - before
                else:
                    before = sum(r.printed() for r in fleet)
                    calls_before = redis.command_calls()
                    results[subject] = run_wrk([r.url for r in fleet], args.lua, args.seconds,
                                               args.connections // 3, work, first, per_wrk)
                    if not poll(redis.drained, 120):
                        print("the fleet's stream did not drain within 120 s")
                        failed = True
                    printed = sum(r.printed() for r in fleet) - before
                    calls_after = redis.command_calls()
                    pushes = max(1, calls_after.get("xadd", 0) - calls_before.get("xadd", 0))
                    deltas = {c: (calls_after[c] - calls_before.get(c, 0)) / pushes for c in calls_after
                              if c != "info" and calls_after[c] != calls_before.get(c, 0)}
                    per_push.append(deltas)
                first += 3 * per_wrk
                rps, p99, answered, errors = results[subject]
                print("round %d %-6s %9.0f req/s  p99 %7.2f ms  answered %d  printed %d  errors %d"
                      % (round_ + 1, subject, rps, p99, answered, printed, errors))
                if printed < answered or errors > answered // 100:
                    failed = True
            ratios.append(results["fleet"][0] / results["single"][0])
            fleet_p99s.append(results["fleet"][1])
        ratio, p99 = statistics.median(ratios), statistics.median(fleet_p99s)
        print("fleet / single throughput (median)  %.2f x   (goal >= 0.50: %s; rounds %s)"
              % (ratio, "met" if ratio >= 0.5 else "MISSED", " ".join("%.2f" % r for r in ratios)))
        print("fleet p99 (median of rounds)        %.2f ms  (goal <= 20 ms: %s)"
              % (p99, "met" if p99 <= 20 else "MISSED"))
        last = per_push[-1]
        print("redis commands per queued push (last round; script-internal ones under their own names):")
        for command in sorted(last, key=lambda c: -last[c]):
            print("  %-12s %.2f" % (command, last[command]))
        # Scripts: one nonce+enqueue per push (the 200 path, its XADD), one dedupe claim per
        # delivery, and one ack script per batch of deliveries (its XACK; it also writes the
        # batch's dedupe commits, with PSETEX). Each nonce and claim script runs one SET, so
        # SETs beyond them are dedupe commits sent on their own. The workers' other commands:
        # XREADGROUP (an ack script rides in its pipeline: one round trip for both), XAUTOCLAIM,
        # HMGET/HGET of failure counts, XCLAIM. XLEN/XPENDING are this bench's polling.
        scripts = last.get("evalsha", 0) + last.get("eval", 0)
        path_200 = last.get("xadd", 0)
        acks = last.get("xack", 0)
        claims = scripts - path_200 - acks
        commits = last.get("set", 0) - path_200 - claims
        others = sum(last.get(c, 0) for c in ("xautoclaim", "hget", "hmget", "xclaim"))
        delivery = claims + commits + others + max(last.get("xreadgroup", 0), acks)
        sent = claims + commits + others + last.get("xreadgroup", 0) + acks
        print("redis round trips per push: 200 path %.2f (goal 1: one script remembers the nonce and queues), "
              "delivery %.2f (goal <= 2; %.2f commands sent), total %.2f"
              % (path_200, delivery, sent, path_200 + delivery))
    finally:
        for listen in [single] + fleet:
            listen.stop()
        redis.close()
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
