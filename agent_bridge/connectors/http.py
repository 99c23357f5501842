"""The connectors' one HTTP client (standard library only), with the failure rules
every connector shares: a helpdesk that is unreachable, slow, overloaded (429) or
failing (5xx) means "try again later" (``RetryLater``: the outbox keeps the row and
nothing is lost); any other refusal (4xx) is a real error (``HelpdeskRejected``),
retried with the outbox's backoff and finally shown as failed on the health page.
"""
import json
import socket
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


_opener = urllib.request.build_opener(_NoRedirect)


def request(method, url, *, body=None, headers=None, timeout=10.0, retry_after=None):
    """Send one request; return the Response of a 2xx answer.

    ``retry_after`` (seconds) is passed to ``RetryLater``: None lets the caller's
    backoff decide.
    """
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with _opener.open(req, timeout=timeout) as answer:
            return Response(answer.status, answer.read(), dict(answer.headers))
    except urllib.error.HTTPError as error:
        detail = _excerpt(error)
        if error.code in (408, 425, 429) or error.code >= 500:
            raise RetryLater(f"HTTP {error.code} from {_host(url)}: {detail}",
                             seconds=retry_after) from None
        raise HelpdeskRejected(f"HTTP {error.code} from {_host(url)}: {detail}") from None
    except (TimeoutError, socket.timeout):
        raise RetryLater(f"{_host(url)} did not answer within {timeout:g} s",
                         seconds=retry_after) from None
    except (urllib.error.URLError, ConnectionError, OSError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, (TimeoutError, socket.timeout)):
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
