"""HTML views. Each handler loads (404), checks the capability (403), calls one
service function, commits once and renders."""
from flask import g, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from ..errors import ServiceError
from ..extensions import db


def init_app(app):
    from . import auth, forum, preferences, seo, threads, users
    for module in (auth, forum, threads, users, seo, preferences):
        app.register_blueprint(module.bp)

    @app.after_request
    def retry_after(response):
        """A refused form's rate limit (``forms.apply_errors``) tells when to try again."""
        if response.status_code == 429 and g.get("retry_after"):
            response.headers.setdefault("Retry-After", str(g.retry_after))
        return response

    @app.errorhandler(ServiceError)
    def service_error(error):
        db.session.rollback()
        if json_client():
            from ..api.errors import json_error
            return json_error(error)
        response = render_template("community/error.html", status=error.status,
                                   message=error.message), error.status
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        # A page left open across a log-in or log-out elsewhere: nothing was done, and
        # the browser's Back button still holds what was typed.
        db.session.rollback()
        return render_template(
            "community/error.html", status=400,
            message=_("This form has expired, so nothing was sent. Please go back, reload "
                      "the page and send it again.")), 400

    for status, message in ((400, lambda: _("The request could not be understood.")),
                            (403, lambda: _("You are not allowed to see this page.")),
                            (404, lambda: _("This page does not exist.")),
                            (405, lambda: _("This action is not possible here.")),
                            (413, lambda: _("What you sent is too large.")),
                            (500, lambda: _("Something went wrong on our side. Please try again."))):
        app.register_error_handler(status, _page_error(status, message))


def json_client():
    """API calls, and any request that sent JSON (helpdesk callbacks), get JSON errors."""
    return request.path.startswith("/api/") or request.is_json


def _page_error(status, message):
    def handler(error):
        if status == 500:
            db.session.rollback()
        if json_client():
            from ..api.errors import http_error
            return http_error(error, status)
        return render_template("community/error.html", status=status, message=message()), status
    return handler
