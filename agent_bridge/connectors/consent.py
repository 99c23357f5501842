"""Which contact details of a customer may leave the forum.

The helpdesk gets the customer's e-mail address only when the customer allowed it
(a ``ContactConsent`` row); otherwise a pseudonymous address that is stable per
customer (so the helpdesk still groups their tickets) and reveals nothing: an HMAC
of the account id under the site's secret key, at ``FORUM_BRIDGE_PSEUDONYM_DOMAIN``.

The address is made once and kept (``Pseudonym``, in the database, so every host
sends the same): a rotation of the secret key does not give the customer a new
address at the helpdesk. It is made with the oldest key still configured (the last of
``FORUM_SECRET_KEY_FALLBACKS``, else ``FORUM_SECRET_KEY``), so a customer whose
tickets went out before addresses were kept gets the one the helpdesk already has
while that key is configured.
"""
import hashlib
import hmac

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from community import clock
from community.extensions import db
from community.security import signing_keys
from community.services import privacy

from ..dbutil import insert_ignoring_duplicate
from .models import ContactConsent, Pseudonym


def allows_email(user):
    return db.session.get(ContactConsent, user.id) is not None


def set_allowed(user, allowed):
    row = db.session.get(ContactConsent, user.id)
    if allowed and row is None:
        db.session.add(ContactConsent(user_id=user.id, granted_at=clock.now()))
    elif not allowed and row is not None:
        db.session.delete(row)
    db.session.flush()


def derive_pseudonym(user_id, key):
    """The address ``key`` makes for the account ``user_id``."""
    digest = hmac.new(key.encode(), f"bridge-customer-{user_id}".encode(),
                      hashlib.sha256).hexdigest()
    return f"customer-{digest[:16]}@{current_app.config['BRIDGE_PSEUDONYM_DOMAIN']}"


def _kept(user_id):
    return db.session.scalar(select(Pseudonym.address).where(Pseudonym.user_id == user_id))


def pseudonym(user):
    """The customer's pseudonymous address: the one kept, else made now (with the
    oldest configured key) and kept, in the caller's transaction. Two transactions
    making it at once keep one row (insert-or-ignore) and both return that one."""
    address = _kept(user.id)
    if address is None:
        address = derive_pseudonym(user.id, signing_keys()[0])
        insert_ignoring_duplicate(Pseudonym, ["user_id"], {
            "user_id": user.id, "address": address, "made_at": clock.now()})
        address = _kept(user.id) or address
    return address


def customer_contact(user):
    shared = allows_email(user)
    return {"name": user.name, "email": user.email if shared else pseudonym(user),
            "email_shared": shared}


# --- privacy: the kept address is the member's data ---------------------------------------

def _export(user):
    row = db.session.scalar(select(Pseudonym).where(Pseudonym.user_id == user.id))
    return [{"address": row.address, "since": row.made_at.strftime("%Y-%m-%dT%H:%M:%SZ")}] \
        if row else []


def _erase(erasure):
    erasure.count("helpdesk_pseudonym", db.session.execute(
        delete(Pseudonym).where(Pseudonym.user_id == erasure.user.id)).rowcount)


EXPORT = privacy.ExportPart(
    "helpdesk_pseudonym", _l("The address the helpdesk knows you by (instead of your e-mail "
                             "address)"), ("bridge_pseudonyms",), _export)


def register_privacy(app):
    from community import hooks as core_hooks
    privacy.register_export(app, EXPORT)
    core_hooks.add(app, "privacy.erase", _erase)
