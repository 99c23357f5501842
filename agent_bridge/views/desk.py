"""The desk's queue: filters, claim, assign."""
from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from community import clock
from community.services import categories, listing
from community.forms import ActionForm
from community.models import User
from community.extensions import db

from ..services import queue, tickets
from ..forms import AssignForm
from ..labels import PRIORITIES, REASONS, STATUSES, VIEWS
from . import act, bp, guard


def agent_choices():
    return [("", _("Nobody"))] + [(str(a.id), a.name) for a in tickets.agents()]


def assign_form(ticket, formdata=None):
    form = AssignForm(formdata=formdata,
                      data={"assignee": str(ticket.assignee_id or "")})
    form.assignee.choices = agent_choices()
    return form


def _filters():
    args = request.args
    category = args.get("category", "")
    return {"view": args.get("view") or "all", "status": args.get("status") or None,
            "priority": args.get("priority") or None,
            "category_id": int(category) if category.isdigit() else None}


@bp.get("/desk")
@login_required
def desk():
    guard("use_desk")
    filters = _filters()
    page = queue.queue_page(current_user, page=listing.page_number(request.args.get("page")),
                            per_page=current_app.config["BRIDGE_QUEUE_PER_PAGE"], **filters)
    agents = [(str(a.id), a.name) for a in tickets.agents()]
    return render_template("agent_bridge/desk.html", page=page, filters=filters,
                           counts=queue.counts(current_user), views=VIEWS, statuses=STATUSES,
                           priorities=PRIORITIES, reasons=REASONS, agents=agents,
                           categories=categories.all_categories(), action_form=ActionForm(),
                           now=clock.now())


def _back():
    target = request.form.get("next") or ""
    return target if target.startswith("/desk") else url_for("agent_bridge.desk")


@bp.post("/desk/tickets/<int:ticket_id>/claim")
@login_required
def claim(ticket_id):
    guard("use_desk")
    ticket = tickets.get_ticket(ticket_id)
    return act(ActionForm(), lambda: tickets.claim(ticket, current_user),
               _("Ticket #%(id)d is yours.", id=ticket.id), _back(),
               lambda form: desk())


@bp.post("/desk/tickets/<int:ticket_id>/assign")
@login_required
def assign(ticket_id):
    guard("use_desk")
    ticket = tickets.get_ticket(ticket_id)
    form = assign_form(ticket, formdata=request.form)
    raw = form.assignee.data or ""
    assignee = db.session.get(User, int(raw)) if raw.isdigit() else None
    return act(form, lambda: tickets.assign(ticket, assignee, actor=current_user),
               _("Assignee saved."), _back(), lambda f: desk())
