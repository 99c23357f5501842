"""The forum account under which a helpdesk agent's reply is posted.

An agent whose helpdesk e-mail address belongs to a forum agent or admin answers
as that account. Anyone else gets a stand-in account of their own: role agent (so
the reply is official), the helpdesk's name for them, the configured staff title,
no password and an address under ``.invalid``, so nobody can ever log in with it.
"""
import hashlib

from flask import current_app
from sqlalchemy import select

from community import clock
from community.extensions import db
from community.models import User


def forum_account(connector, identity, name, email=None):
    """``identity`` is the helpdesk's stable id of the agent (user name or e-mail)."""
    if email:
        staff = db.session.scalar(select(User).where(User.email == email.strip().lower(),
                                                     User.role.in_(("agent", "admin"))))
        if staff is not None:
            return staff
    digest = hashlib.sha256(f"{connector}:{identity}".encode()).hexdigest()[:20]
    address = f"{connector.replace('_', '-')}-{digest}@helpdesk.invalid"
    name = " ".join((name or identity).split())[:60] or identity[:60]
    user = db.session.scalar(select(User).where(User.email == address))
    if user is None:
        # Not accounts.create_user: this account must not look like a registration
        # (no welcome mail, no password) and its name comes from the helpdesk as is.
        user = User(email=address, name=name, role="agent", password_hash=None,
                    staff_title=current_app.config["BRIDGE_HELPDESK_STAFF_TITLE"],
                    created_at=clock.now())
        db.session.add(user)
        db.session.flush()
    elif user.name != name:
        user.name = name  # renamed in the helpdesk: later replies show the new name
    return user
