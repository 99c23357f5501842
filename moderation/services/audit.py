"""The audit log: one entry per moderator action, never changed afterwards."""
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from community import clock
from community.extensions import db
from community.inputs import id_number
from community.services.listing import Page
from community.models import User

from ..models import AuditEntry
from . import invalid

# Core services that moderation calls (edit_post, accept_answer) send events that
# moderation also audits when a moderator uses the core's own buttons; inside a
# moderation service those receivers stay quiet, so one action is one entry.
_inside_action = ContextVar("moderation_inside_action", default=False)

ACTIONS = (
    "post.approve", "post.reject", "post.hide", "post.delete", "post.restore", "post.edit",
    "post.auto_hide", "post.redact", "flags.dismiss", "thread.escalate", "thread.pin",
    "thread.unpin", "thread.lock", "thread.unlock", "thread.close", "thread.reopen",
    "thread.move", "thread.rename", "thread.mark_duplicate", "thread.merge", "thread.accept_answer",
    "thread.remove_answer", "member.silence", "member.suspend", "member.lift", "member.trust",
    "member.staff", "member.erase", "appeal.grant", "appeal.deny", "blocked_word.add",
    "blocked_word.remove", "category.create", "category.update", "category.move",
)


@contextmanager
def action():
    token = _inside_action.set(True)
    try:
        yield
    finally:
        _inside_action.reset(token)


def inside_action():
    return _inside_action.get()


def record(actor, action_name, target_type, target_id, reason_code="", reason="", **details):
    """Add one entry to the current transaction. ``actor`` None means "automatic"."""
    entry = AuditEntry(actor_id=actor.id if actor is not None else None, action=action_name,
                       target_type=target_type, target_id=target_id,
                       reason_code=reason_code or "", reason=(reason or "").strip(),
                       details=details, created_at=clock.now())
    db.session.add(entry)
    db.session.flush()
    return entry


def _day(raw, name):
    if not raw:
        return None
    try:
        return datetime.strptime(raw, "%Y-%m-%d")
    except ValueError:
        raise invalid(name, _l("Use the form YYYY-MM-DD."))


def _conditions(actor=None, action=None, target_type=None, target_id=None, since=None,
                until=None):
    conditions = []
    if actor:
        if id_number(actor):
            conditions.append(AuditEntry.actor_id == id_number(actor))
        else:
            ids = select(User.id).where(func.lower(User.name).contains(str(actor).lower()))
            conditions.append(AuditEntry.actor_id.in_(ids))
    if action:
        conditions.append(AuditEntry.action.startswith(action))
    if target_type:
        conditions.append(AuditEntry.target_type == target_type)
    if target_id:
        if id_number(target_id) is None:
            raise invalid("target_id", _l("Enter the number of a post, thread or member."))
        conditions.append(AuditEntry.target_id == id_number(target_id))
    start, end = _day(since, "since"), _day(until, "until")
    if start:
        conditions.append(AuditEntry.created_at >= start)
    if end:
        conditions.append(AuditEntry.created_at < datetime.combine(end, time()) + timedelta(days=1))
    return conditions


def search(page=1, per_page=50, **filters):
    """Entries matching the filters, newest first (2 queries)."""
    conditions = _conditions(**filters)
    total = db.session.scalar(select(func.count(AuditEntry.id)).where(*conditions))
    items = list(db.session.scalars(
        select(AuditEntry).where(*conditions).options(joinedload(AuditEntry.actor))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(per_page).offset((page - 1) * per_page)))
    return Page(items, page, per_page, total)


def export(**filters):
    """All matching entries, oldest first, for the CSV export."""
    return db.session.scalars(select(AuditEntry).where(*_conditions(**filters))
                              .options(joinedload(AuditEntry.actor)).order_by(AuditEntry.id))
