"""Which backend this app searches with: ``FORUM_SEARCH_BACKEND``; ``auto`` (the
default) is ``postgres`` when the database is PostgreSQL, ``whoosh`` on SQLite."""
from flask import current_app

from community.extensions import db

NAMES = ("whoosh", "postgres")
CHOICES = ("auto",) + NAMES


def configured():
    """The backend name the settings ask for (``auto`` resolved by the database)."""
    name = current_app.config.get("SEARCH_BACKEND", "auto")
    if name == "auto":
        return "postgres" if db.engine.dialect.name == "postgresql" else "whoosh"
    return name


def current():
    """This app's backend (one object per app)."""
    state = current_app.extensions.setdefault("search", {})
    backend = state.get("backend")
    if backend is None:
        name = configured()
        if name == "postgres":
            from .postgres import PostgresBackend
            backend = PostgresBackend()
        else:
            from .whoosh_backend import WhooshBackend
            backend = WhooshBackend()
        state["backend"] = backend
    return backend
