"""Access to the real Request Tracker 5 of the tests (started by ``.ci/run`` with
``start-rt.sh``), and a loopback TCP relay in front of it that a test can cut to
play "RT is down" without disturbing RT itself."""
import base64
import json
import os
import socket
import threading
import urllib.error
import urllib.request
from pathlib import Path

RT_URL = os.environ.get("FORUM_TEST_RT_URL", "http://127.0.0.1:8080/rt")
STATE_DIR = Path(os.environ.get("RT_STATE_DIR")
                 or Path(os.environ.get("TMPDIR", "/tmp")) / "request-tracker")
ROOT_PASSWORD = os.environ.get("RT_ROOT_PW", "password123")


def tokens():
    path = STATE_DIR / "tokens.txt"
    pairs = [line.split() for line in path.read_text().splitlines() if line.strip()]
    return {name: token for name, token in pairs}


def unavailable():
    """Why the real RT cannot be used here, or None."""
    try:
        token = tokens()["forum-bridge"]
    except (OSError, KeyError, ValueError) as error:
        return f"no RT tokens in {STATE_DIR} ({error}); run start-rt.sh as root"
    try:
        RT(token).call("GET", "/queue/General")
    except Exception as error:  # noqa: BLE001 - any reason makes RT unusable
        return f"Request Tracker not reachable at {RT_URL}: {error}"
    return None


class RT:
    """A tiny REST 2 client, as an agent (token) or root (password) uses RT."""

    def __init__(self, token=None, basic=None):
        self.auth = f"token {token}" if token else \
            "Basic " + base64.b64encode(basic.encode()).decode()

    def call(self, method, path, payload=None):
        body = json.dumps(payload).encode() if payload is not None else None
        request = urllib.request.Request(f"{RT_URL}/REST/2.0{path}", data=body, method=method,
                                         headers={"Authorization": self.auth,
                                                  "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=20) as answer:
            return json.loads(answer.read() or b"null")

    def history(self, ticket_id):
        items = self.call("GET", f"/ticket/{ticket_id}/history?fields=Type,Creator&per_page=100")
        return [(i["Type"], i["Creator"]["id"], i["id"]) for i in items["items"]]

    def content(self, transaction_id):
        parts = self.call("GET", f"/transaction/{transaction_id}/attachments"
                                 "?fields=ContentType,Content")["items"]
        return "".join(p["Content"] for p in parts if p["ContentType"] == "text/plain")


class Relay:
    """Forwards a loopback port to RT; ``cut()`` refuses connections until ``mend()``."""

    def __init__(self, target_host="127.0.0.1", target_port=None):
        from urllib.parse import urlsplit
        parts = urlsplit(RT_URL)
        self.target = (parts.hostname, target_port or parts.port or 80)
        self.path = parts.path
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.url = f"http://127.0.0.1:{self.port}{self.path}"
        self._server = None
        self._open = []
        self.mend()

    def mend(self):
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        server.listen(16)
        self._server = server
        threading.Thread(target=self._accept, args=(server,), daemon=True).start()

    def cut(self):
        server, self._server = self._server, None
        try:
            server.shutdown(socket.SHUT_RDWR)  # wakes the accept() of the relay's thread
        except OSError:
            pass
        server.close()
        for conn in self._open:
            try:
                conn.close()
            except OSError:
                pass
        self._open = []

    def _accept(self, server):
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            if self._server is not server:
                client.close()
                return
            upstream = socket.create_connection(self.target)
            self._open += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()
