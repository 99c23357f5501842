"""Which contact details of a customer may leave the forum.

The helpdesk gets the customer's e-mail address only when the customer allowed it
(a ``ContactConsent`` row); otherwise a pseudonymous address that is stable per
customer (so the helpdesk still groups their tickets) and reveals nothing: an HMAC
of the account id under the site's secret key, at ``FORUM_BRIDGE_PSEUDONYM_DOMAIN``.
"""
import hashlib
import hmac

from flask import current_app

from community import clock
from community.extensions import db

from .models import ContactConsent


def allows_email(user):
    return db.session.get(ContactConsent, user.id) is not None


def set_allowed(user, allowed):
    row = db.session.get(ContactConsent, user.id)
    if allowed and row is None:
        db.session.add(ContactConsent(user_id=user.id, granted_at=clock.now()))
    elif not allowed and row is not None:
        db.session.delete(row)
    db.session.flush()


def pseudonym(user):
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"bridge-customer-{user.id}".encode(), hashlib.sha256).hexdigest()
    return f"customer-{digest[:16]}@{current_app.config['BRIDGE_PSEUDONYM_DOMAIN']}"


def customer_contact(user):
    shared = allows_email(user)
    return {"name": user.name, "email": user.email if shared else pseudonym(user),
            "email_shared": shared}
