"""HTTP: the helpdesk's signed callback and the admins' connector health page.

The callback carries no session: its signature (HMAC with the shared secret) is
its credential, so it is exempt from CSRF and answers in JSON like the API.
"""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, \
    url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from community.api.errors import error_response
from community.errors import Conflict, ServiceError
from community.extensions import csrf, db
from community.forms import ActionForm
from community.permissions import require

from community import client_ip, heartbeat
from community.services import threads
from community.template_helpers import thread_url

from . import consent, health, registry, webhook

hooks = Blueprint("bridge_hooks", __name__, url_prefix="/bridge/hooks")
admin = Blueprint("bridge_connectors", __name__, url_prefix="/admin/connectors")
contact = Blueprint("bridge_contact", __name__, url_prefix="/bridge/contact")


@hooks.post("/webhook")
def webhook_callback():
    if registry.configured_name() != webhook.NAME:
        return error_response(404, "not_found", "The webhook connector is not enabled.")
    try:
        status, payload = webhook.handle_callback(current_app.config, request.get_data(),
                                                  request.headers, client_ip())
    except ServiceError as error:
        db.session.rollback()
        return error_response(error.status, error.code, error.message, error.fields)
    if status >= 400:
        return error_response(status, payload["error"]["code"], payload["error"]["message"])
    return payload, status


@admin.get("")
@login_required
def health_page():
    require(current_user, "manage_connectors")
    return render_template("agent_bridge/connectors/health.html", view=health.overview(),
                           workers=heartbeat.recent(), action_form=ActionForm(formdata=None))


@admin.post("/check")
@login_required
def check():
    require(current_user, "manage_connectors")
    if not ActionForm().validate_on_submit():
        abort(400)
    result = health.check_now()
    if result.ok:
        flash(_("The helpdesk answered: %(summary)s", summary=result.summary), "success")
    else:
        flash(_("The helpdesk cannot be reached: %(summary)s", summary=result.summary), "error")
    return redirect(url_for("bridge_connectors.health_page"))


@admin.post("/deliveries/<int:row_id>/retry")
@login_required
def retry(row_id):
    require(current_user, "manage_connectors")
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        health.retry(current_user, row_id)
    except Conflict as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("bridge_connectors.health_page"))
    flash(_("The delivery will be sent again shortly."), "success")
    return redirect(url_for("bridge_connectors.health_page"))


@contact.post("/<int:thread_id>")
@login_required
def set_contact(thread_id):
    thread = threads.get_thread(thread_id)
    require(current_user, "share_contact", thread)
    if not ActionForm().validate_on_submit():
        abort(400)
    allow = request.form.get("allow") == "yes"
    consent.set_allowed(current_user, allow)
    flash(_("The support team may now contact you by e-mail.") if allow else
          _("The support team no longer sees your e-mail address."), "success")
    return redirect(thread_url(thread))


def init_app(app):
    csrf.exempt(hooks)
    app.register_blueprint(hooks)
    app.register_blueprint(admin)
    app.register_blueprint(contact)
