"""Which backend this app searches with (one object per app)."""
from flask import current_app


def current():
    """This app's backend (one object per app)."""
    state = current_app.extensions.setdefault("search", {})
    backend = state.get("backend")
    if backend is None:
        from .whoosh_backend import WhooshBackend
        backend = state["backend"] = WhooshBackend()
    return backend
