"""The desk's queue: tickets sorted by due time and priority, with filters."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from community import clock
from community.errors import ValidationError
from community.extensions import db
from community.services.listing import Page
from community.models import Thread

from ..models import ACTIVE_STATUSES, PRIORITIES, STATUSES, Ticket

VIEWS = ("all", "unassigned", "mine", "overdue")

_priority_order = case({p: i for i, p in enumerate(reversed(PRIORITIES))},
                       value=Ticket.priority).desc()


def _check(value, allowed, field):
    if value and value not in allowed:
        raise ValidationError(_l("Unknown filter."), fields={field: ", ".join(allowed)})


def filtered(agent, view="all", status=None, priority=None, category_id=None, assignee=None):
    """The select for a queue view. ``status`` None means the tickets still to work on;
    ``assignee`` "me" or "none" (the API's names for mine and unassigned)."""
    _check(view, VIEWS, "view")
    _check(status, STATUSES + ("any",), "status")
    _check(priority, PRIORITIES, "priority")
    _check(assignee, ("me", "none"), "assignee")
    query = select(Ticket).join(Thread, Thread.id == Ticket.thread_id)
    if status == "any":
        pass
    elif status:
        query = query.where(Ticket.status == status)
    else:
        query = query.where(Ticket.status.in_(ACTIVE_STATUSES))
    if priority:
        query = query.where(Ticket.priority == priority)
    if category_id:
        query = query.where(Thread.category_id == category_id)
    if view == "unassigned" or assignee == "none":
        query = query.where(Ticket.assignee_id.is_(None))
    if view == "mine" or assignee == "me":
        query = query.where(Ticket.assignee_id == agent.id)
    if view == "overdue":
        query = query.where(Ticket.first_response_at.is_(None), Ticket.due_at < clock.now(),
                            Ticket.status.in_(ACTIVE_STATUSES))
    return query


# Most urgent first: due soonest (no due time last), then priority.
ORDER = (Ticket.due_at.is_(None), Ticket.due_at, _priority_order, Ticket.id)


def queue_page(agent, page=1, per_page=30, **filters):
    """One page of the queue, most urgent first (2 queries)."""
    query = filtered(agent, **filters)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    items = list(db.session.scalars(
        query.options(joinedload(Ticket.thread).joinedload(Thread.category),
                      joinedload(Ticket.assignee))
        .order_by(*ORDER).offset((page - 1) * per_page).limit(per_page)))
    return Page(items=items, page=page, per_page=per_page, total=total)


def neighbours(agent, ticket):
    """The ids of the tickets before and after ``ticket`` in the queue (all tickets still
    to do, most urgent first), for moving through it from a ticket (one query); None
    at either end, or both when the ticket is done."""
    ordered = filtered(agent).with_only_columns(
        Ticket.id, func.lag(Ticket.id).over(order_by=ORDER).label("before"),
        func.lead(Ticket.id).over(order_by=ORDER).label("after")).subquery()
    row = db.session.execute(select(ordered.c.before, ordered.c.after)
                             .where(ordered.c.id == ticket.id)).one_or_none()
    return tuple(row) if row else (None, None)


def counts(agent):
    """Numbers for the queue's tabs (one query)."""
    now = clock.now()
    active = Ticket.status.in_(ACTIVE_STATUSES)
    row = db.session.execute(select(
        func.count(Ticket.id).filter(active),
        func.count(Ticket.id).filter(active, Ticket.assignee_id.is_(None)),
        func.count(Ticket.id).filter(active, Ticket.assignee_id == agent.id),
        func.count(Ticket.id).filter(active, Ticket.first_response_at.is_(None),
                                     Ticket.due_at < now))).one()
    return dict(zip(VIEWS, row))


