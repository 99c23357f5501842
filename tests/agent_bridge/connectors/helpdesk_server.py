"""A real HTTP server on loopback that plays the helpdesk: it records every request
and answers as told (ok, failing with 503, refusing with 422, or too slowly)."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Helpdesk:
    def __init__(self):
        self.received = []          # every request, also the failed ones
        self.mode = "ok"            # ok | down | refuse | slow
        self._release = threading.Event()
        self._lock = threading.Lock()
        helpdesk = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with helpdesk._lock:
                    helpdesk.received.append({"headers": dict(self.headers), "body": body,
                                              "mode": helpdesk.mode})
                    mode = helpdesk.mode
                if mode == "slow":
                    # Longer than the client's timeout; released at teardown.
                    helpdesk._release.wait(5)
                status = {"ok": 200, "down": 503, "refuse": 422, "slow": 200}[mode]
                answer = json.dumps({"ok": mode == "ok"}).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/forum-events"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def delivered(self):
        """The events the helpdesk accepted, in arrival order."""
        return [json.loads(r["body"]) for r in self.received if r["mode"] == "ok"]

    def close(self):
        self._release.set()
        self.server.shutdown()
        self.server.server_close()
