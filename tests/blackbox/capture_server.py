"""A plain HTTP server on 127.0.0.1 that records every request and answers a fixed JSON body
(or fixed raw bytes)."""
import http.server
import json
import threading


class CaptureServer:
    def __init__(self, status=200, answer=None, headers=None, raw=None):
        self.requests = []
        self.arrived = threading.Condition()
        self.raw = raw
        self.status = status
        self.answer = answer if answer is not None else {"resultcode": "0", "resultdesc": "Success"}
        self.extra_headers = headers or {}
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _record(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                path, _, query = self.path.partition("?")
                with outer.arrived:
                    outer.requests.append({"method": self.command, "path": path, "query": query,
                                           "headers": {k.lower(): v for k, v in self.headers.items()},
                                           "body": body})
                    outer.arrived.notify_all()
                payload = outer.raw if outer.raw is not None else json.dumps(outer.answer).encode()
                content_type = "audio/wav" if outer.raw is not None else "application/json;charset=UTF-8"
                self.send_response(outer.status)
                for name, value in outer.extra_headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = _record

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = "http://127.0.0.1:%d" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def wait_for(self, predicate, timeout=20):
        """Blocks until predicate(requests) is true; returns its value, or raises on timeout."""
        with self.arrived:
            if not self.arrived.wait_for(lambda: predicate(self.requests), timeout):
                raise TimeoutError("no matching request within %s s" % timeout)
            return predicate(self.requests)

    def close(self):
        self.server.shutdown()
        self.server.server_close()
