"""How long the core keeps what it holds, each rule enforced by a periodic job of the
worker (``privacy.register_retention``), and what is held now (the admin page "Data
retention" and ``flask --app community privacy report``).

IP addresses are kept only where they are needed: login throttling (``login_attempts``)
and the registration limits (``registrations``). After ``FORUM_PRIVACY_LOGIN_DAYS``
failed logins and registrations are deleted and a successful login keeps only its
network (the last octet, or the last 64 bits, cut); the login itself goes after
``FORUM_PRIVACY_LOGIN_HISTORY_DAYS``. Moderators only ever see addresses masked.
"""
import ipaddress
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update

from .. import clock, outbox
from ..extensions import db
from ..models import LoginAttempt, MailMessage, Notification, OutboxMessage, Post, User
from ..models.accounts import Registration
from .models import DataExport, PrivacyLog
from ..services import privacy
from ..services.accounts import network_of
from ..services.privacy import RetentionRule

BATCH = 5000


def mask_ip(ip):
    """An address as moderators see it: ``203.0.113.x``, ``2001:db8:1:2::x``."""
    try:
        address = ipaddress.ip_address((ip or "").split("/")[0].split("%")[0])
    except ValueError:
        return "–"
    if address.version == 4:
        return ".".join(str(address).split(".")[:3]) + ".x"
    return ":".join(address.exploded.split(":")[:4]).replace(":0000", ":0") + "::x"


def _count_and_oldest(column, *where):
    return tuple(db.session.execute(select(func.count(), func.min(column)).where(*where)).one())


# --- Login attempts and addresses ---------------------------------------------------------

def purge_addresses(cutoff):
    """Failed logins and registrations go; successful logins keep only their network."""
    changed = db.session.execute(delete(LoginAttempt).where(
        LoginAttempt.succeeded.is_(False), LoginAttempt.created_at < cutoff)).rowcount
    changed += db.session.execute(delete(Registration).where(
        Registration.created_at < cutoff)).rowcount
    for attempt in db.session.scalars(select(LoginAttempt).where(
            LoginAttempt.succeeded.is_(True), LoginAttempt.created_at < cutoff,
            LoginAttempt.ip.not_like("%/%")).limit(BATCH)):
        attempt.ip = network_of(attempt.ip)  # "203.0.113.0/24": no longer one person's
        changed += 1
    return changed


def held_addresses():
    """Rows that still hold a whole address, and the oldest of them."""
    logins = _count_and_oldest(LoginAttempt.created_at, LoginAttempt.ip.not_like("%/%"))
    registrations = _count_and_oldest(Registration.created_at)
    oldest = min((at for _, at in (logins, registrations) if at is not None), default=None)
    return logins[0] + registrations[0], oldest


def purge_login_history(cutoff):
    return db.session.execute(delete(LoginAttempt).where(LoginAttempt.created_at < cutoff)).rowcount


def held_login_history():
    return _count_and_oldest(LoginAttempt.created_at)


# --- Stored e-mails, exports, done outbox rows -----------------------------------------------

def purge_mails(cutoff):
    """E-mails older than the cutoff, except those still waiting to be sent."""
    old = select(MailMessage.id).where(MailMessage.created_at < cutoff,
                                       MailMessage.status != "queued")
    db.session.execute(update(Notification).where(Notification.mail_id.in_(old))
                       .values(mail_id=None).execution_options(synchronize_session=False))
    return db.session.execute(delete(MailMessage).where(MailMessage.id.in_(old))
                              .execution_options(synchronize_session=False)).rowcount


def held_mails():
    return _count_and_oldest(MailMessage.created_at)


def purge_exports(cutoff):
    """Exports whose link ran out, and any request older than the cutoff."""
    return db.session.execute(delete(DataExport).where(
        (DataExport.expires_at < clock.now()) | (DataExport.requested_at < cutoff))).rowcount


def held_exports():
    return _count_and_oldest(DataExport.requested_at)


def held_outbox():
    return _count_and_oldest(OutboxMessage.done_at, OutboxMessage.status == "done")


RULES = (
    RetentionRule("login_addresses", _l("Failed logins, registrations and IP addresses"),
                  "PRIVACY_LOGIN_DAYS", purge_addresses, held_addresses,
                  purpose=_l("Limiting login attempts and registrations per address "
                             "(security)")),
    RetentionRule("login_history", _l("Successful logins (with their network only)"),
                  "PRIVACY_LOGIN_HISTORY_DAYS", purge_login_history, held_login_history,
                  purpose=_l("Sparing the places a member logs in from when their account "
                             "is attacked; the member's login history")),
    RetentionRule("emails", _l("Stored e-mails"), "PRIVACY_MAIL_DAYS", purge_mails, held_mails,
                  purpose=_l("Sending notifications again after a failure; the admins' "
                             "mailbox")),
    RetentionRule("exports", _l("Data exports (ZIP files)"), "PRIVACY_EXPORT_DAYS", purge_exports,
                  held_exports, purpose=_l("The member's download of their data")),
    # The outbox deletes its done rows itself (community/outbox.py): shown here, no job.
    RetentionRule("outbox", _l("Finished background work (outbox rows and their payloads)"),
                  "OUTBOX_KEEP_DAYS", lambda cutoff: outbox.delete_done(), held_outbox,
                  purpose=_l("Tracing deliveries to the helpdesk and e-mails"), job=False),
)


def register(app):
    for rule in RULES:
        privacy.register_retention(app, rule)


def age_in_days(oldest):
    """Whole days since ``oldest`` (None when nothing is held)."""
    if oldest is None:
        return None
    return max(0, (clock.now() - oldest) // timedelta(days=1))


def report():
    """``[(rule, rows, oldest)]`` of every loaded rule, for the page and the command."""
    return [(rule, *rule.held()) for rule in privacy.retention_rules()]


def totals():
    """``[(title, rows, oldest)]`` of what is kept while the account is: accounts, the
    anonymous rows of erased accounts (kept so their threads read on), posts."""
    active = User.email.not_like(f"%@{privacy.ERASED_DOMAIN}")
    return [(str(_l("Member accounts")), *_count_and_oldest(User.created_at, active)),
            (str(_l("Erased accounts (anonymous, kept)")),
             *_count_and_oldest(PrivacyLog.created_at, PrivacyLog.action == "erasure")),
            (str(_l("Posts")), *_count_and_oldest(Post.created_at))]
