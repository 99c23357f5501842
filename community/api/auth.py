"""Bearer-token authentication for the API."""
from flask import g, request
from flask_login import AnonymousUserMixin

from ..services import accounts
from ..errors import ServiceError
from . import bp

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class Unauthorized(ServiceError):
    status = 401
    code = "unauthorized"


@bp.before_request
def authenticate():
    header = request.headers.get("Authorization", "")
    g.api_user = AnonymousUserMixin()
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    user = accounts.user_for_token(token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        raise Unauthorized("The API token is missing, malformed, revoked or unknown.")
    refusal = accounts.access_refusal(user, write=request.method not in SAFE_METHODS)
    if refusal is not None:
        raise refusal
    g.api_user = user
    return None


def api_user():
    return g.api_user


def require_user():
    """The authenticated caller, or a 401."""
    user = g.api_user
    if not user.is_authenticated:
        raise Unauthorized("This call needs an API token: 'Authorization: Bearer <token>'.")
    return user
