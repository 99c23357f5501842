"""The mailbox in the admin area: every e-mail the site sent or would have sent,
with its delivery state (waiting for a retry, sent, kept because no SMTP server is
configured, refused for good)."""
from flask import abort, make_response, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import func, select

from ..services import listing
from ..extensions import db
from ..models import OutboxMessage
from ..permissions import require
from .mail import SEND, html_part, text_part
from .models import MailMessage
from .views import bp

PER_PAGE = 50
# The HTML part is shown as a document of its own that can run nothing.
HTML_PART_CSP = "sandbox; default-src 'none'; img-src https: data:; style-src 'unsafe-inline'"


def _deliveries(mails):
    """mail id -> its outbox row (attempts, last error, next try)."""
    keys = {f"{SEND}:{m.id}": m.id for m in mails}
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.key.in_(list(keys))))
    return {keys[row.key]: row for row in rows}


@bp.get("/admin/mailbox")
@login_required
def mailbox():
    require(current_user, "admin")
    number = listing.page_number(request.args.get("page"))
    total = db.session.scalar(select(func.count(MailMessage.id)))
    mails = list(db.session.scalars(select(MailMessage).order_by(MailMessage.id.desc())
                                    .offset((number - 1) * PER_PAGE).limit(PER_PAGE)))
    page = listing.Page(items=mails, page=number, per_page=PER_PAGE, total=total)
    return render_template("community/notifications/mailbox.html", page=page,
                           deliveries=_deliveries(mails))


def _mail(mail_id):
    require(current_user, "admin")
    mail = db.session.get(MailMessage, mail_id)
    if mail is None:
        abort(404)
    return mail


@bp.get("/admin/mailbox/<int:mail_id>")
@login_required
def mailbox_message(mail_id):
    mail = _mail(mail_id)
    headers = [line for line in mail.raw.split("\r\n\r\n", 1)[0].split("\r\n")]
    return render_template("community/notifications/mailbox_message.html", mail=mail,
                           headers=headers, text=text_part(mail.raw),
                           delivery=_deliveries([mail]).get(mail.id))


@bp.get("/admin/mailbox/<int:mail_id>/html")
@login_required
def mailbox_html(mail_id):
    response = make_response(html_part(_mail(mail_id).raw))
    response.headers["Content-Security-Policy"] = HTML_PART_CSP
    return response
