"""Each member's e-mail choice per kind of notification, and automatic subscription."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..errors import ValidationError
from ..extensions import db
from .kinds import EMAIL_CHOICES, KINDS
from .models import NotificationPreference


def choices_for(user_ids, kind):
    """user id -> e-mail choice for ``kind`` (one query)."""
    default = KINDS[kind].default
    chosen = dict(db.session.execute(
        select(NotificationPreference.user_id, NotificationPreference.email).where(
            NotificationPreference.kind == kind,
            NotificationPreference.user_id.in_(list(user_ids)))).all())
    return {uid: chosen.get(uid, default) for uid in user_ids}


def preferences(user):
    """kind -> e-mail choice of ``user``, defaults filled in."""
    chosen = dict(db.session.execute(
        select(NotificationPreference.kind, NotificationPreference.email)
        .where(NotificationPreference.user_id == user.id)).all())
    return {name: chosen.get(name, kind.default) for name, kind in KINDS.items()}


def set_preferences(user, choices, auto_subscribe=None):
    """Store ``choices`` (kind -> immediately | digest | never)."""
    bad = {kind: _l("Unknown choice.") for kind, value in choices.items()
           if kind not in KINDS or value not in EMAIL_CHOICES}
    if bad:
        raise ValidationError(_l("Please correct the marked fields."), fields=bad)
    rows = {row.kind: row for row in db.session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id == user.id))}
    for kind, value in choices.items():
        if kind in rows:
            rows[kind].email = value
        else:
            db.session.add(NotificationPreference(user_id=user.id, kind=kind, email=value))
    if auto_subscribe is not None:
        user.auto_subscribe = bool(auto_subscribe)
    db.session.flush()


def stop_email(user, kinds):
    """One-click unsubscribe: no more e-mail for ``kinds``. Returns the kinds changed."""
    current = preferences(user)
    changed = [kind for kind in kinds if kind in KINDS and current[kind] != "never"]
    set_preferences(user, {kind: "never" for kind in changed})
    return changed
