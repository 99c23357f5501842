"""Building e-mails (multipart text and HTML, in the recipient's language) and
sending them through the outbox.

``create`` stores the finished message as a ``MailMessage`` row and queues an
outbox row of kind ``notifications.send`` in the same transaction; the handler
``send`` hands exactly those bytes to SMTP, so a retried send carries the same
Message-ID. Without ``FORUM_SMTP_HOST`` nothing leaves the site: the message is
logged and stays on the admins' mailbox page.
"""
import email
import email.policy
import hashlib
import logging
from datetime import timezone
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from flask import current_app
from flask_babel import force_locale, gettext as _

from .. import clock, outbox
from ..extensions import db
from . import smtp
from .links import absolute, external_url, mail_host, unsubscribe_token
from .models import MailMessage
from .present import deliverable, describe

log = logging.getLogger(__name__)
SEND = "notifications.send"


def check_config(app):
    if app.config["SMTP_TLS"] not in smtp.TLS_MODES:
        raise ValueError(f"FORUM_SMTP_TLS must be one of {', '.join(smtp.TLS_MODES)}")


def sender_address():
    return current_app.config.get("MAIL_FROM") or f"noreply@{mail_host()}"


def thread_reference(thread):
    """The per-thread id every mail about ``thread`` refers to, so clients thread them."""
    return f"<thread-{thread.id}.{thread.created_at:%Y%m%d%H%M%S}@{mail_host()}>"


def message_id(key, created_at):
    """Deterministic from the event that caused the mail (``key``), unique per site."""
    digest = hashlib.sha256(f"{key}|{created_at.isoformat()}".encode()).hexdigest()[:32]
    return f"<{digest}@{mail_host()}>"


def _render(name, **context):
    return current_app.jinja_env.get_template(f"community/notifications/mail/{name}").render(
        **context)


def _texts(user, site):
    return {
        "greeting": _("Hello %(name)s,", name=user.name),
        "open": _("Open on the site"),
        "reason": _("Reason:"),
        "until": _("Until:"),
        "private": _("Please open the site to read it; we do not send it by e-mail."),
        "digest_intro": _("This is what happened since your last summary:"),
        "footer": _("You receive this e-mail because of your notification settings on "
                    "%(site)s.", site=site),
        "settings": _("Choose what you receive:"),
        "unsubscribe": _("Stop e-mails like this one:"),
        "settings_link": _("Notification settings"),
        "unsubscribe_link": _("Unsubscribe"),
    }


def create(user, notifications, kind, key, thread=None):
    """Store one e-mail to ``user`` about ``notifications`` and queue its sending.

    Notifications the recipient may no longer see are left out (and marked
    ``dropped``). Returns the ``MailMessage``, or None when nothing is left.
    """
    items = [n for n in notifications if user.email and deliverable(user, n)]
    for n in notifications:
        n.email_state = "sent" if n in items else "dropped"
    if not items:
        return None
    site = current_app.config["SITE_NAME"]
    locale = user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(locale):
        described = [describe(user, n, external_url, absolute, for_mail=True) for n in items]
        kinds = sorted({n.kind for n in items})
        # The thread's title only for a recipient who may see the thread.
        title = next((item.title for item in described if item.title), None)
        if kind == "digest":
            subject = _("[%(site)s] Your daily summary", site=site)
        elif title is not None:
            subject = f"[{site}] {title}"
        else:
            subject = f"[{site}] {described[0].headline}"
        context = {"items": described, "texts": _texts(user, site), "site": site,
                   "digest": kind == "digest", "subject": subject,
                   "settings_url": external_url("notifications.settings"),
                   "unsubscribe_url": external_url("notifications.unsubscribe",
                                                   token=unsubscribe_token(user, kinds))}
        text, html = _render("message.txt", **context), _render("message.html", **context)
    now = clock.now()
    msg = EmailMessage()
    msg["From"] = formataddr((site, sender_address()))
    msg["To"] = formataddr((user.name, user.email))
    msg["Subject"] = subject
    msg["Date"] = format_datetime(now.replace(tzinfo=timezone.utc))
    msg["Message-ID"] = message_id(key, items[0].created_at)
    if thread is not None:
        msg["In-Reply-To"] = msg["References"] = thread_reference(thread)
    msg["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(text, cte="quoted-printable")
    msg.add_alternative(html, subtype="html", cte="quoted-printable")
    msg["Content-Language"] = locale  # after the parts: Content-* headers move into them
    row = MailMessage(user_id=user.id, thread_id=thread.id if thread is not None else None,
                      kind=kind, recipient=user.email, subject=subject[:300],
                      message_id=msg["Message-ID"], created_at=now,
                      raw=msg.as_bytes(policy=email.policy.SMTP).decode("ascii"))
    db.session.add(row)
    db.session.flush()
    for n in items:
        n.mail_id = row.id
    outbox.enqueue(SEND, {"mail_id": row.id}, key=f"{SEND}:{row.id}")
    return row


def text_part(raw):
    """The plain-text part of a stored message (mailbox page, log)."""
    message = email.message_from_string(raw, policy=email.policy.default)
    body = message.get_body(("plain",))
    return body.get_content() if body is not None else ""


def html_part(raw):
    message = email.message_from_string(raw, policy=email.policy.default)
    body = message.get_body(("html",))
    return body.get_content() if body is not None else ""


def send(payload):
    """Hand a stored message to SMTP; temporary failures raise and are retried."""
    message = db.session.get(MailMessage, payload["mail_id"])
    if message is None or message.status != "queued":
        return
    if not current_app.config.get("SMTP_HOST"):
        message.status = "logged"
        log.info("E-mail not sent (no SMTP server configured), kept on /admin/mailbox:\n"
                 "To: %s\nSubject: %s\n\n%s", message.recipient, message.subject,
                 text_part(message.raw))
        return
    try:
        smtp.deliver(sender_address(), message.recipient, message.raw.encode("ascii"))
    except smtp.PermanentFailure as error:
        message.status = "failed"
        message.error = str(error)[:2000]
        log.warning("E-mail %s to %s refused for good: %s", message.id, message.recipient, error)
        return
    message.status = "sent"
    message.sent_at = clock.now()
    message.error = None
