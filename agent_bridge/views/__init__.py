"""HTML views of the agent bridge: the desk (/desk), its admin pages, the
dashboard, and the customer-facing pieces on threads. Each handler loads (404),
checks a capability (403), calls one service, commits once and redirects or renders."""
from flask import Blueprint, abort, flash, redirect
from flask_login import current_user

from community.errors import Conflict, ValidationError
from community.extensions import db
from community.forms import apply_errors
from community.permissions import require

bp = Blueprint("agent_bridge", __name__)


def guard(capability, obj=None):
    require(current_user, capability, obj)


def act(form, call, success, back, on_invalid):
    """Run one service call for a submitted form: commit and redirect to ``back``
    (a URL, or a function of the call's result) with ``success``; a Conflict is
    flashed (someone else was faster); invalid input re-renders via ``on_invalid``."""
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return on_invalid(form)
    try:
        result = call()
    except Conflict as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(back(None) if callable(back) else back)
    except ValidationError as error:
        db.session.rollback()
        apply_errors(form, error)
        return on_invalid(form)
    db.session.commit()
    message = success(result) if callable(success) else success
    if message:
        flash(message, "success")
    return redirect(back(result) if callable(back) else back)


def init_app(app):
    from . import admin, customer, dashboard, desk, ticket  # noqa: F401 - routes
    app.register_blueprint(bp)
    app.before_request(customer.check_public_data)
