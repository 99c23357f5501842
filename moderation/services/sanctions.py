"""Silence (read-only) and suspension (no login), for a duration or permanently.

A sanction is active while it is not lifted and ``clock.now()`` is before its end,
so it expires by itself. Suspending bumps the member's session version, which ends
every session and remember-me cookie at once; ``login_check`` refuses new logins.
"""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, or_, select

from community import clock
from community.errors import Conflict, Forbidden, NotFound, ValidationError
from community.extensions import db
from community.models import User
from community.permissions import require
from community.template_helpers import dt, iso

from .. import cache
from ..labels import DECISION_REASONS
from ..models import Sanction
from . import audit, notices

KINDS = ("silence", "suspend")
MAX_DAYS = 3650


def _active_query(user_id, now=None):
    """The member's active sanction, a suspension before a silence. ``user_id`` and
    ``now`` may be bound parameters (a statement built once)."""
    now = clock.now() if now is None else now
    return (select(Sanction).where(
        Sanction.user_id == user_id, Sanction.lifted_at.is_(None), Sanction.starts_at <= now,
        or_(Sanction.ends_at.is_(None), Sanction.ends_at > now))
        .order_by(case((Sanction.kind == "suspend", 0), else_=1), Sanction.id).limit(1))


def active_id_column(user_id, now=None):
    """The active sanction's id as a scalar subquery, to share another statement."""
    return _active_query(user_id, now).with_only_columns(Sanction.id).scalar_subquery()


def remember_active(user_id, sanction_id):
    sanction = db.session.get(Sanction, sanction_id) if sanction_id else None
    cache.put("sanction", user_id, sanction)
    return sanction


def active(user_id):
    """The member's active sanction or None (memoised per request)."""
    return cache.memo("sanction", user_id, lambda: db.session.scalar(_active_query(user_id)))


def history(user_id):
    return list(db.session.scalars(select(Sanction).where(Sanction.user_id == user_id)
                                   .order_by(Sanction.starts_at.desc())))


def reason_of(sanction):
    """What the member reads as the reason: the moderator's explanation, else the code's words."""
    return sanction.reason or str(DECISION_REASONS.get(sanction.reason_code, ""))


def until_text(sanction):
    if sanction.ends_at is None:
        return str(_l("permanently"))
    return str(_l("until %(when)s", when=dt(sanction.ends_at)))


def impose(moderator, user, kind, days, reason_code, reason=""):
    """``days`` None means permanent."""
    require(moderator, "sanction", user, message=_l("You cannot sanction this member."))
    fields = {}
    if kind not in KINDS:
        fields["kind"] = _l("Choose silence or suspension.")
    if reason_code not in DECISION_REASONS:
        fields["reason_code"] = _l("Please choose a reason.")
    if days is not None and not 1 <= days <= MAX_DAYS:
        fields["days"] = _l("Choose between 1 and %(n)d days, or permanent.", n=MAX_DAYS)
    if fields:
        raise ValidationError(_l("Please correct the marked fields."), fields=fields)
    now = clock.now()
    sanction = Sanction(user_id=user.id, kind=kind, reason_code=reason_code,
                        reason=(reason or "").strip(), starts_at=now, created_by_id=moderator.id,
                        ends_at=now + timedelta(days=days) if days else None)
    db.session.add(sanction)
    if kind == "suspend":
        user.session_version += 1  # logs the member out everywhere
    db.session.flush()
    cache.forget("sanction", user.id)
    notices.notify(user.id, "silenced" if kind == "silence" else "suspended", sanction=sanction,
                   reason_code=reason_code, reason=reason)
    audit.record(moderator, f"member.{kind}", "user", user.id, reason_code, reason,
                 sanction_id=sanction.id, days=days)
    return sanction


def get(sanction_id):
    sanction = db.session.get(Sanction, sanction_id)
    if sanction is None:
        raise NotFound(_l("No such sanction."))
    return sanction


def lift(moderator, sanction, reason="", quiet=False):
    """Lift early. ``quiet``: part of another recorded decision (an appeal granted)."""
    user = db.session.get(User, sanction.user_id)
    require(moderator, "sanction", user, message=_l("You cannot lift this sanction."))
    if not sanction.is_active(clock.now()):
        raise Conflict(_l("This sanction has already ended."), code="not_active")
    sanction.lifted_at, sanction.lifted_by_id = clock.now(), moderator.id
    sanction.lift_reason = (reason or "").strip()
    db.session.flush()
    cache.forget("sanction", sanction.user_id)
    if not quiet:
        notices.notify(sanction.user_id, "sanction_lifted", sanction=sanction, reason=reason)
        audit.record(moderator, "member.lift", "user", sanction.user_id, reason=reason,
                     sanction_id=sanction.id)
    return sanction


def access_check(user, write):
    """The core's ``account.access_check`` hook: a suspended account may not use its API
    tokens at all, a silenced one may read but not write."""
    sanction = active(user.id)
    if sanction is None or (sanction.kind == "silence" and not write):
        return None
    reason = reason_of(sanction)
    details = {"until": iso(sanction.ends_at) or None}
    if sanction.kind == "suspend":
        return Forbidden(_l("Your account is suspended %(until)s. Reason: %(reason)s",
                            until=until_text(sanction), reason=reason),
                         code="suspended", details=details)
    return Forbidden(_l("Your account is read-only %(until)s: you can read, but not write. "
                        "Reason: %(reason)s", until=until_text(sanction), reason=reason),
                     code="silenced", details=details)


def login_check(user):
    """The ``account.login_check`` hook: the suspension's reason, or None."""
    sanction = active(user.id)
    if sanction is None or sanction.kind != "suspend":
        return None
    reason = reason_of(sanction)
    return str(_l("Your account is suspended %(until)s. Reason: %(reason)s",
                  until=until_text(sanction), reason=reason))
