"""One submitted form, one service call: the pattern of every moderator and agent
action page, shared by the feature packages' views."""
from flask import abort, flash, redirect

from ..errors import Conflict, ServiceError, ValidationError
from ..extensions import db
from ..forms import ActionForm, apply_errors


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
    message = success(result) if callable(success) else success
    if message:
        flash(message, "success")
    return redirect(back(result) if callable(back) else back)


def press(call):
    """A button (a form of nothing but its CSRF token): one service call, commit, and
    flash the message it returns, or roll back and flash why it was refused. A
    missing target (404) is raised; the caller answers."""
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        message = call()
    except ServiceError as error:
        db.session.rollback()
        if error.status == 404:
            raise
        flash(error.message, "error")
    else:
        if message:
            flash(message, "success")
