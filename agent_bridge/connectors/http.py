"""The connectors' one HTTP client (standard library only), with the failure rules
every connector shares: a helpdesk that is unreachable, slow, overloaded (429) or
failing (5xx) means "try again later" (``RetryLater``: the outbox keeps the row and
nothing is lost); any other refusal (4xx) is a real error (``HelpdeskRejected``),
retried with the outbox's backoff and finally shown as failed on the health page.

``timeout`` is the whole call's deadline, not urllib's per socket operation: a
helpdesk that trickles its answer a byte at a time would otherwise hold the worker
(and every outbox row behind it) for as long as it likes.
"""
import functools
import http.client
import io
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from community.outbox import RetryLater


class HelpdeskRejected(Exception):
    """The helpdesk answered, and refused the call (a 4xx other than 408 and 429)."""


@dataclass
class Response:
    status: int
    body: bytes
    headers: dict

    def json(self):
        return json.loads(self.body.decode("utf-8") or "null")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect (for example to a login page) is an answer we did not ask for.
    def redirect_request(self, *args, **kwargs):
        return None


def _remaining(deadline):
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("the call's deadline has passed")
    return left


class _DeadlineReader(io.RawIOBase):
    """The response's socket, read with the socket timeout set to what is left of the
    call's time before every read (status line, headers and body alike)."""

    def __init__(self, sock, deadline):
        self._sock = sock
        # A SocketIO keeps the socket open after urllib closes the connection's handle.
        self._raw = sock.makefile("rb", buffering=0)
        self._deadline = deadline

    def readable(self):
        return True

    def readinto(self, buffer):
        self._sock.settimeout(_remaining(self._deadline))
        return self._raw.readinto(buffer)

    def close(self):
        self._raw.close()
        super().close()


class _DeadlineSocket:
    """What ``HTTPResponse`` is given instead of the socket: it only calls makefile."""

    def __init__(self, sock, deadline):
        self._sock, self._deadline = sock, deadline

    def makefile(self, mode):
        return io.BufferedReader(_DeadlineReader(self._sock, self._deadline))


class _DeadlineConnection:
    """Connecting, the TLS handshake, sending and reading the answer share one deadline."""

    def __init__(self, *args, deadline, **kwargs):
        super().__init__(*args, **kwargs)
        self._deadline = deadline
        create = self._create_connection

        def create_connection(address, timeout, source_address):
            sock = create(address, _remaining(deadline), source_address)
            sock.settimeout(_remaining(deadline))  # what the TLS handshake may take
            return sock
        self._create_connection = create_connection

    def send(self, data):
        if self.sock is not None:
            self.sock.settimeout(_remaining(self._deadline))
        super().send(data)

    def response_class(self, sock, *args, **kwargs):
        return http.client.HTTPResponse(_DeadlineSocket(sock, self._deadline), *args, **kwargs)


class _HTTPConnection(_DeadlineConnection, http.client.HTTPConnection):
    pass


class _HTTPSConnection(_DeadlineConnection, http.client.HTTPSConnection):
    pass


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(functools.partial(_HTTPConnection, deadline=req.deadline), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(functools.partial(_HTTPSConnection, deadline=req.deadline), req,
                            context=self._context)


_opener = urllib.request.build_opener(_NoRedirect, _HTTPHandler, _HTTPSHandler)


def request(method, url, *, body=None, headers=None, timeout=10.0, retry_after=None):
    """Send one request; return the Response of a 2xx answer.

    ``retry_after`` (seconds) is passed to ``RetryLater``: None lets the caller's
    backoff decide.
    """
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    req.deadline = time.monotonic() + timeout
    try:
        with _opener.open(req, timeout=timeout) as answer:
            return Response(answer.status, answer.read(), dict(answer.headers))
    except urllib.error.HTTPError as error:
        detail = _excerpt(error)
        if error.code in (408, 425, 429) or error.code >= 500:
            raise RetryLater(f"HTTP {error.code} from {_host(url)}: {detail}",
                             seconds=retry_after) from None
        raise HelpdeskRejected(f"HTTP {error.code} from {_host(url)}: {detail}") from None
    except TimeoutError:
        raise RetryLater(f"{_host(url)} did not answer within {timeout:g} s",
                         seconds=retry_after) from None
    except (urllib.error.URLError, ConnectionError, OSError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError):
            raise RetryLater(f"{_host(url)} did not answer within {timeout:g} s",
                             seconds=retry_after) from None
        raise RetryLater(f"{_host(url)} unreachable: {reason}", seconds=retry_after) from None


def _host(url):
    return urllib.request.urlparse(url).netloc or url


def _excerpt(error):
    try:
        text = error.read(300).decode("utf-8", "replace")
    except Exception:  # noqa: BLE001 - the status code is what matters
        text = ""
    finally:
        error.close()
    return " ".join(text.split())[:200] or error.reason
