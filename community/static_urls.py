"""Versioned static URLs: ``url_for('static', filename='forum.css')`` becomes
``/static/forum.css?v=<hash of the file>``, for the app's static folder and each
blueprint's (``search.static``). A changed file gets a new URL, so nginx and
browsers may keep a file for a year: a request whose ``v`` is the file's current
hash is answered with ``Cache-Control: public, max-age=31536000, immutable``; any
other (no ``v``, an old one) gets Flask's default, revalidated every time.

Hashes are read once per file and process (every host computes the same), and
every time in debug mode, where files change while the server runs.
"""
import hashlib
import os

from flask import request
from werkzeug.security import safe_join

YEAR = 365 * 24 * 60 * 60


def _folder(app, endpoint):
    if endpoint == "static":
        return app.static_folder
    blueprint = app.blueprints.get(endpoint.rpartition(".")[0])
    return blueprint.static_folder if blueprint is not None else None


def _is_static(endpoint):
    return endpoint == "static" or (endpoint or "").endswith(".static")


def init_app(app):
    versions = {}

    def version(endpoint, filename):
        folder = _folder(app, endpoint)
        key = (folder, filename)
        if key in versions and not app.debug:
            return versions[key]
        path = safe_join(folder, filename) if folder and filename else None
        if path is None or not os.path.isfile(path):
            return None   # not remembered: any URL may be asked for, files are few
        with open(path, "rb") as handle:
            versions[key] = hashlib.sha256(handle.read()).hexdigest()[:12]
        return versions[key]

    @app.url_defaults
    def add_version(endpoint, values):
        if _is_static(endpoint) and "filename" in values and "v" not in values:
            found = version(endpoint, values["filename"])
            if found:
                values["v"] = found

    @app.after_request
    def cache_versioned(response):
        given = request.args.get("v")
        if (given and response.status_code in (200, 304) and _is_static(request.endpoint)
                and given == version(request.endpoint, (request.view_args or {}).get("filename"))):
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
        return response
