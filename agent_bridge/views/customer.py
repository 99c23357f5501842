"""What customers (and moderators) do on the public side: ask the support team,
answer a private request, and the warning before private data is posted."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from community import threads
from community.errors import NotFound
from community.forms import ActionForm
from community.permissions import can
from community.template_helpers import thread_url

from .. import escalation, privacy
from ..forms import EscalateForm, PrivateAnswerForm
from . import act, bp

CHECKED_ENDPOINTS = ("threads.reply", "threads.ask", "threads.edit")
CONFIRM_FIELD = "public_data_ok"


@bp.post("/t/<int:thread_id>/support")
@login_required
def ask_support(thread_id):
    thread = threads.get_thread(thread_id)
    if not can(current_user, "view_thread", thread):
        raise NotFound(_("This thread does not exist."))
    form = EscalateForm()

    def invalid(f):
        flash(" ".join(e for errors in f.errors.values() for e in errors), "error")
        return redirect(thread_url(thread))
    return act(form, lambda: escalation.escalate(current_user, thread, form.reason.data,
                                                 source="thread"),
               _("The support team has your question and will answer in the thread."),
               thread_url(thread), invalid)


@bp.route("/support/requests/<int:request_id>", methods=["GET", "POST"])
@login_required
def private_answer(request_id):
    support_request = privacy.get_request(request_id)
    if not can(current_user, "answer_private_request", support_request):
        raise NotFound(_("This request does not exist."))
    form = PrivateAnswerForm()
    if request.method == "POST":
        return act(form, lambda: privacy.answer(support_request, current_user, form.answer.data),
                   _("Sent privately to the support team. Thank you!"),
                   url_for("agent_bridge.private_answer", request_id=request_id),
                   lambda f: (render_template("agent_bridge/private_answer.html", form=f,
                                              request=support_request), 422))
    return render_template("agent_bridge/private_answer.html", form=form,
                           request=support_request)


@bp.post("/t/<int:thread_id>/private")
@login_required
def send_privately(thread_id):
    thread = threads.get_thread(thread_id)
    form = ActionForm()
    return act(form, lambda: privacy.send_privately(current_user, thread,
                                                    request.form.get("body", "")),
               _("Sent privately to the support team: only agents can read it."),
               thread_url(thread), lambda f: redirect(thread_url(thread)))


def check_public_data():
    """Before a question, answer or edit with an IBAN, phone number, e-mail address or
    customer number is posted: show a warning and offer to send it privately.
    Registered as ``before_request`` (after the CSRF check); previews, and forms
    sent again with "post anyway", pass. Requests the view will refuse (a post the
    user may not edit) and edits of official replies (staff) pass to the view."""
    if (request.method != "POST" or request.endpoint not in CHECKED_ENDPOINTS
            or "agent_bridge" not in current_app.extensions
            or not current_user.is_authenticated
            or request.form.get(CONFIRM_FIELD) or request.form.get("preview")):
        return None
    target = _written_to()
    if target is None:
        return None
    thread, checked = target
    found = privacy.public_data_in({name: request.form.get(name, "") for name in checked})
    if not found:
        return None
    fields = [(k, v) for k, v in request.form.items(multi=True)
              if k not in ("csrf_token", "submit", "preview")]
    # What the asker may send privately instead: the fields with the data in them.
    private_text = "\n\n".join(request.form.get(name, "") for name in checked if name in found)
    return render_template(
        "agent_bridge/public_data_warning.html",
        found=[privacy.KINDS[k] for k in privacy.kinds_of(found)],
        fields=fields, action=request.path, thread=thread, confirm_field=CONFIRM_FIELD,
        may_send_privately=thread is not None and thread.author_id == current_user.id,
        body=private_text, form=ActionForm())


def _written_to():
    """(thread or None, names of the form fields that will be public) for the checked
    form, or None when the view should answer by itself."""
    if request.endpoint == "threads.ask":
        return None, ("title", "body")
    if request.endpoint == "threads.reply":
        return threads.get_thread(request.view_args["thread_id"]), ("body",)
    post = threads.get_post(request.view_args["post_id"])
    if post.is_official or not can(current_user, "edit_post", post):
        return None
    return (threads.get_thread(post.thread_id),
            ("title", "body") if post.is_question else ("body",))
