"""Absolute links for e-mails and the signed one-click unsubscribe token.

E-mails are built by the worker, outside any request, so links are built from
``FORUM_BASE_URL`` and the app's URL map, never from a request's host.
"""
from urllib.parse import urlsplit

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from ..security import signing_keys

UNSUBSCRIBE_SALT = "community.notifications.unsubscribe"


def base_url():
    config = current_app.config
    return (config.get("BASE_URL") or f"http://{config['HOST']}:{config['PORT']}").rstrip("/")


def mail_host():
    """Host part of Message-IDs and the default sender address."""
    return urlsplit(base_url()).hostname or "localhost"


def external_url(endpoint, _anchor=None, **values):
    """Absolute URL of ``endpoint`` under ``FORUM_BASE_URL`` (works without a request)."""
    parts = urlsplit(base_url())
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/",
                                       url_scheme=parts.scheme or "http")
    url = adapter.build(endpoint, values, force_external=True)
    return f"{url}#{_anchor}" if _anchor else url


def site_path(endpoint, **values):
    """Path of ``endpoint`` on this site, without host (works without a request)."""
    prefix = urlsplit(base_url()).path or "/"
    return current_app.url_map.bind("localhost", script_name=prefix).build(endpoint, values)


def absolute(path):
    """Absolute URL of a path on this site."""
    parts = urlsplit(base_url())
    return f"{parts.scheme}://{parts.netloc}{path}"


def safe_path(value):
    """``value`` if it is a path on this site (no scheme, no host), else None."""
    if not isinstance(value, str) or not value.startswith("/") or value.startswith("//"):
        return None
    parts = urlsplit(value)
    return value if not parts.scheme and not parts.netloc and "\\" not in value else None


def _serializer():
    # Signed with the current key; links of mails signed before a key rotation still
    # work while their key is in FORUM_SECRET_KEY_FALLBACKS.
    return URLSafeSerializer(signing_keys(), salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(user, kinds):
    """A token that turns off e-mail of ``kinds`` for ``user`` and nobody else.

    Signed with the secret key (HMAC), so it cannot be forged or pointed at
    another member; it does not expire, since old e-mails must keep working.
    """
    return _serializer().dumps({"u": user.id, "k": sorted(kinds)})


def read_unsubscribe_token(token):
    """(user id, kinds), or None for a tampered or malformed token."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) \
            or not isinstance(data.get("k"), list):
        return None
    return data["u"], [str(kind) for kind in data["k"]]
