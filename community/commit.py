"""One commit per request, at its end (Indico's request boundary).

Views and API handlers call services, which flush but never commit. When the
request succeeds (a status below 400: a page, a redirect after a form, a 201), what
it changed is committed once, after the view returned; when it fails (a refused
form, a 4xx, an exception turned into an error page), everything is rolled back. So
a change, its audit entry, its notifications and its outbox rows land together or
not at all, and no view can forget to commit or commit half a change.

The documented exceptions commit on purpose even when the request fails: failed
logins and registration attempts (throttling must count them), and the outbox and
the worker's jobs, which run outside requests.
"""
from .extensions import db


def init_app(app):
    @app.after_request
    def commit_successful_request(response):
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
        return response
