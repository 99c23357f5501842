"""JSON API v1 for integrators. Same service functions as the HTML views; bearer
tokens instead of sessions, so no CSRF token is needed (and cookies are ignored)."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def init_app(app):
    from ..extensions import csrf
    from . import auth, errors  # noqa: F401 - registers request hooks and handlers
    from . import endpoints  # noqa: F401 - registers the routes
    csrf.exempt(bp)
    app.register_blueprint(bp)
