"""A helpdesk that answers a byte at a time cannot hold a delivery past its timeout
(issue 12, point 6): the connectors' timeout is the whole call's deadline, not
urllib's limit per socket read."""
import socket
import threading

import pytest

from agent_bridge.connectors import http
from community.outbox import RetryLater

BODY = b'{"ok": true}'.ljust(400)
HEAD = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        b"Content-Length: " + str(len(BODY)).encode() + b"\r\n\r\n")
# One byte per pause: each read waits much less than the timeout, the whole answer
# much longer (about 20 s for the body).
PAUSE = 0.05
TIMEOUT = 0.5


class TricklingHelpdesk:
    """Reads the request, then sends its answer with a pause before each byte of
    ``trickled`` (everything before it goes at once); counts the bytes it got out."""

    def __init__(self, trickled):
        self.trickled = trickled
        self.sent = 0
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}/forum-events"
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        conn, _ = self._listener.accept()
        with conn:
            request = b""
            while b"\r\n\r\n" not in request:
                request += conn.recv(4096)
            answer = HEAD + BODY
            at_once = answer[:-len(self.trickled)] if self.trickled else answer
            try:
                conn.sendall(at_once)
                for byte in self.trickled:
                    if self._stop.wait(PAUSE):
                        return
                    conn.sendall(bytes([byte]))
                    self.sent += 1
            except OSError:  # the client gave up and closed the connection
                pass

    def close(self):
        self._stop.set()
        self._listener.close()
        self._thread.join(timeout=5)


@pytest.fixture
def trickling():
    servers = []

    def start(trickled):
        servers.append(TricklingHelpdesk(trickled))
        return servers[-1]
    yield start
    for server in servers:
        server.close()


@pytest.mark.parametrize("trickled", ["body", "headers"])
def test_a_helpdesk_that_trickles_its_answer_is_given_up_on_at_the_deadline(trickling, trickled):
    helpdesk = trickling(BODY if trickled == "body" else HEAD[12:] + BODY)
    with pytest.raises(RetryLater, match=r"did not answer within 0\.5 s"):
        http.request("POST", helpdesk.url, body=b"{}", timeout=TIMEOUT)
    # Each byte came well within the timeout, yet the client stopped reading long before
    # the end (about TIMEOUT / PAUSE bytes in); per-read timeouts would have read it all.
    helpdesk.close()
    assert helpdesk.sent < len(helpdesk.trickled) / 4


def test_an_answer_within_the_deadline_is_read_whole(trickling):
    helpdesk = trickling(b"")
    answer = http.request("POST", helpdesk.url, body=b"{}", timeout=5)
    assert (answer.status, answer.body) == (200, BODY)
    assert answer.json() == {"ok": True}
