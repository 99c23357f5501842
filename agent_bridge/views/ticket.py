"""The ticket page: thread, customer, similar threads, notes, replies, private details."""
from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from community import clock, markup
from community.services import threads
from community.extensions import db
from community.forms import ActionForm
from community.views import keep_text
from community.views.actions import press
from community.models import Post, Thread, User

from ..services import canned, history, privacy, queue, tickets
from ..forms import NoteForm, PrivateRequestForm, ReplyForm, TicketForm
from ..labels import EVENTS, NOTES, PRIORITIES, REASONS, STATUSES
from . import act, bp, guard
from .desk import agent_choices

MAX_POSTS = 200


def _reply_form(formdata=None, data=None):
    form = ReplyForm(formdata=formdata, data=data)
    form.canned.choices = [("", _("— choose —"))] + [(str(r.id), r.title)
                                                     for r in canned.all_replies()]
    return form


def _posts(thread):
    return list(db.session.scalars(
        select(Post).options(joinedload(Post.author))
        .where(Post.thread_id == thread.id, Post.visibility == "visible")
        .order_by(Post.number).limit(MAX_POSTS)))


def _ticket_form(ticket, formdata=None):
    form = TicketForm(formdata=formdata, data={
        "assignee": str(ticket.assignee_id or ""), "status": ticket.status,
        "priority": ticket.priority})
    form.assignee.choices = agent_choices()
    return form


def render_ticket(ticket, status=200, reply_form=None, note_form=None, request_form=None,
                  ticket_form=None, preview=None):
    thread = db.session.scalar(select(Thread).options(
        joinedload(Thread.author), joinedload(Thread.category)).where(Thread.id == ticket.thread_id))
    posts = _posts(thread)
    question = posts[0].body if posts and posts[0].id == thread.first_post_id else None
    return render_template(
        "agent_bridge/ticket.html", ticket=ticket, thread=thread, posts=posts,
        assignee=db.session.get(User, ticket.assignee_id) if ticket.assignee_id else None,
        events=tickets.timeline(ticket), history=history.customer_history(thread),
        similar=history.similar_solved(thread, question),
        requests=privacy.for_ticket(ticket),
        reply_form=reply_form or _reply_form(),
        note_form=note_form or NoteForm(),
        request_form=request_form or PrivateRequestForm(),
        ticket_form=ticket_form or _ticket_form(ticket), action_form=ActionForm(),
        preview=preview, neighbours=queue.neighbours(current_user, ticket),
        labels={"events": EVENTS, "notes": NOTES, "statuses": STATUSES,
                "priorities": PRIORITIES, "reasons": REASONS},
        now=clock.now()), status


def _here(ticket):
    return url_for("agent_bridge.ticket", ticket_id=ticket.id)


@bp.get("/desk/tickets/<int:ticket_id>")
@login_required
def ticket(ticket_id):
    guard("use_desk")
    return render_ticket(tickets.get_ticket(ticket_id))


@bp.post("/desk/tickets/<int:ticket_id>/reply")
@login_required
def reply(ticket_id):
    guard("use_desk")
    ticket = tickets.get_ticket(ticket_id)
    form = _reply_form(formdata=request.form)
    if form.insert.data:
        # Fill the chosen canned reply into the editor (no script needed).
        thread = db.session.get(Thread, ticket.thread_id)
        raw = form.canned.data or ""
        if raw.isdigit():
            text = canned.fill(canned.get(int(raw)).body, thread,
                               db.session.get(User, thread.author_id), current_user)
            form.body.data = "\n\n".join(p for p in ((form.body.data or "").strip(), text) if p)
        form.body.errors = []
        return render_ticket(ticket, reply_form=form)
    if form.preview.data and form.validate_on_submit():
        return render_ticket(ticket, reply_form=form, preview=markup.render(form.body.data))

    def posted(post):
        keep_text.posted_from(request.path)  # the editor's draft is done with
        return _("Your official reply is in the thread.")
    return act(form, lambda: tickets.post_official_reply(
                   ticket, form.body.data, current_user, accept=form.accept.data,
                   solve=form.after.data == "solved"),
               posted, _here(ticket), lambda f: render_ticket(ticket, status=422, reply_form=f))


@bp.post("/desk/tickets/<int:ticket_id>/note")
@login_required
def note(ticket_id):
    guard("use_desk")
    ticket = tickets.get_ticket(ticket_id)
    form = NoteForm()
    return act(form, lambda: tickets.add_note(ticket, current_user, form.body.data),
               _("Note added."), _here(ticket) + "#timeline",
               lambda f: render_ticket(ticket, status=422, note_form=f))


@bp.post("/desk/tickets/<int:ticket_id>/update")
@login_required
def update(ticket_id):
    """The one form of assignee, status and priority: each control the agent changed
    is saved, in one transaction; "Assign to me" claims the ticket."""
    guard("use_desk")
    ticket = tickets.get_ticket(ticket_id)
    form = _ticket_form(ticket, formdata=request.form)
    if form.claim.data:
        return act(form, lambda: tickets.claim(ticket, current_user),
                   _("Ticket #%(id)d is yours.", id=ticket.id), _here(ticket),
                   lambda f: render_ticket(ticket, status=422, ticket_form=f))
    status_before = ticket.status  # assigning opens a new ticket: not the agent's change

    def change():
        tickets.set_priority(ticket, form.priority.data, actor=current_user)
        raw = form.assignee.data or ""
        if form.assignee.raw_data and raw != str(ticket.assignee_id or ""):
            tickets.assign(ticket, db.session.get(User, int(raw)) if raw.isdigit() else None,
                           actor=current_user)
        if form.status.data != status_before:
            tickets.set_status(ticket, form.status.data, actor=current_user)
    return act(form, change, _("Ticket saved."), _here(ticket),
               lambda f: render_ticket(ticket, status=422, ticket_form=f))


@bp.post("/desk/tickets/<int:ticket_id>/private-request")
@login_required
def private_request(ticket_id):
    guard("use_desk")
    ticket = tickets.get_ticket(ticket_id)
    form = PrivateRequestForm()
    return act(form, lambda: privacy.request_details(ticket, current_user, form.message.data),
               _("The customer was asked for the details privately."), _here(ticket),
               lambda f: render_ticket(ticket, status=422, request_form=f))


@bp.post("/desk/tickets/<int:ticket_id>/confirm/<int:post_id>")
@login_required
def confirm(ticket_id, post_id):
    guard("use_desk")
    ticket = tickets.get_ticket(ticket_id)

    def confirm_answer():
        tickets.confirm_answer(ticket, threads.get_post(post_id), current_user)
        return _("Confirmed as the answer by the support team.")
    press(confirm_answer)
    return redirect(_here(ticket))


