"""Thread tools: pin, lock, close/reopen, move, rename and retag, duplicate, merge, escalate."""
from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from community.services import categories, threads
from community.extensions import db
from community.models import Category

from ..forms import EscalateForm, MoveForm, RenameForm, TargetForm, ThreadActionForm
from ..services import audit, threadtools
from . import act, bp, guard

STATUS_MESSAGES = {
    "pin": lambda: _("The thread is pinned."),
    "unpin": lambda: _("The thread is no longer pinned."),
    "close": lambda: _("The thread is closed."), "reopen": lambda: _("The thread is open again."),
    "lock": lambda: _("The thread is locked."), "unlock": lambda: _("The thread is unlocked."),
}


def _unchanged(entry, message):
    """The success message, or what a moderator reads when the thread already was so
    (for example another moderator did it a moment earlier)."""
    if entry is None:
        return _("Nothing was changed: the thread already was like this.")
    return message() if message else None


def _forms(thread, **given):
    tags = ", ".join(t.name for t in threads.load_tags(thread))
    forms = {
        "status": ThreadActionForm(prefix="status", formdata=None),
        "move": MoveForm(prefix="move", formdata=None, data={"category": thread.category_id}),
        "rename": RenameForm(prefix="rename", formdata=None,
                             data={"title": thread.title, "tags": tags}),
        "duplicate": TargetForm(prefix="duplicate", formdata=None),
        "merge": TargetForm(prefix="merge", formdata=None),
        "escalate": EscalateForm(prefix="escalate", formdata=None),
    }
    forms.update(given)
    forms["move"].category.choices = [(c.id, c.name) for c in categories.all_categories()]
    return forms


def _page(thread, code=200, **given):
    return render_template("moderation/thread.html", thread=thread,
                           state=threadtools.state_of(thread.id), forms=_forms(thread, **given),
                           history=audit.search(target_type="thread", target_id=thread.id,
                                                per_page=50).items), code


@bp.get("/threads/<int:thread_id>")
@login_required
def thread_tools(thread_id):
    guard("review")
    return _page(threads.get_thread(thread_id))


def _back(thread):
    return url_for("moderation.thread_tools", thread_id=thread.id)


@bp.post("/threads/<int:thread_id>/status")
@login_required
def thread_status(thread_id):
    guard("review")
    thread = threads.get_thread(thread_id)
    form = ThreadActionForm(prefix="status")
    action = form.action.data

    def call():  # set_status refuses unknown actions
        if action in ("pin", "unpin"):
            return threadtools.set_pinned(current_user, thread, action == "pin", form.reason.data)
        return threadtools.set_status(current_user, thread, action, form.reason.data)
    message = STATUS_MESSAGES.get(action)
    return act(form, call, lambda entry: _unchanged(entry, message), _back(thread),
               lambda f: _page(thread, 422, status=f))


@bp.post("/threads/<int:thread_id>/move")
@login_required
def thread_move(thread_id):
    guard("review")
    thread = threads.get_thread(thread_id)
    form = MoveForm(prefix="move")
    form.category.choices = [(c.id, c.name) for c in categories.all_categories()]
    return act(form, lambda: threadtools.move(current_user, thread,
                                              db.session.get(Category, form.category.data),
                                              form.reason.data),
               _("The thread was moved."), _back(thread), lambda f: _page(thread, 422, move=f))


@bp.post("/threads/<int:thread_id>/rename")
@login_required
def thread_rename(thread_id):
    guard("review")
    thread = threads.get_thread(thread_id)
    form = RenameForm(prefix="rename")
    return act(form, lambda: threadtools.rename(current_user, thread, form.title.data,
                                                form.tags.data, form.reason.data),
               _("Title and tags saved; the earlier title is kept in the history."),
               _back(thread), lambda f: _page(thread, 422, rename=f))


@bp.post("/threads/<int:thread_id>/duplicate")
@login_required
def thread_duplicate(thread_id):
    guard("review")
    thread = threads.get_thread(thread_id)
    form = TargetForm(prefix="duplicate")
    return act(form, lambda: threadtools.mark_duplicate(
                   current_user, thread, threadtools.find_thread(form.target.data),
                   form.reason.data),
               lambda entry: _unchanged(entry, lambda: _(
                   "Closed as a duplicate; readers see a link to the original.")), _back(thread),
               lambda f: _page(thread, 422, duplicate=f))


@bp.post("/threads/<int:thread_id>/merge")
@login_required
def thread_merge(thread_id):
    guard("review")
    thread = threads.get_thread(thread_id)
    form = TargetForm(prefix="merge")

    def back(entry):
        return _back(thread) if entry is None else url_for(
            "moderation.thread_tools", thread_id=entry.details["into"])
    return act(form, lambda: threadtools.merge(current_user, thread,
                                               threadtools.find_thread(form.target.data),
                                               form.reason.data),
               _("The threads were merged; the old address leads to this thread."), back,
               lambda f: _page(thread, 422, merge=f))


@bp.post("/threads/<int:thread_id>/escalate")
@login_required
def thread_escalate(thread_id):
    guard("review")
    thread = threads.get_thread(thread_id)
    form = EscalateForm(prefix="escalate")
    return act(form, lambda: threadtools.escalate(current_user, thread, form.reason.data,
                                                  form.urgent.data),
               _("The support team was asked to answer this thread."), _back(thread),
               lambda f: _page(thread, 422, escalate=f))
