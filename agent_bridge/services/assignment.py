"""Automatic assignment: round robin among the agents with the fewest open tickets."""
from sqlalchemy import func, select

from community.extensions import db
from community.models import User

from ..models import ACTIVE_STATUSES, Ticket


def next_agent():
    """The agent with the fewest active tickets; on a tie, the one who was given a
    ticket longest ago (or never), so new tickets go round."""
    load = (select(Ticket.assignee_id.label("agent_id"),
                   func.count(Ticket.id).filter(Ticket.status.in_(ACTIVE_STATUSES)).label("open"),
                   func.max(Ticket.assigned_at).label("last"))
            .where(Ticket.assignee_id.is_not(None)).group_by(Ticket.assignee_id).subquery())
    row = db.session.execute(
        select(User, func.coalesce(load.c.open, 0), load.c.last)
        .outerjoin(load, load.c.agent_id == User.id)
        .where(User.role == "agent", User.password_hash.is_not(None))
        .order_by(func.coalesce(load.c.open, 0), load.c.last.is_not(None), load.c.last, User.id)
        .limit(1)).first()
    return row[0] if row else None
