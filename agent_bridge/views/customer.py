"""What customers (and moderators) do on the public side: ask the support team,
answer a private request, send details privately (the warning before private data
is posted is ``agent_bridge/services/public_data.py``)."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from community.services import threads
from community.errors import NotFound
from community.forms import ActionForm
from community.permissions import can
from community.template_helpers import thread_url

from ..services import escalation, privacy
from ..forms import EscalateForm, PrivateAnswerForm
from . import act, bp


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
