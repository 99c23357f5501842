"""``flask --app community notifications digest|test-mail``."""
import email.policy
from email.message import EmailMessage
from email.utils import make_msgid

import click
from flask import current_app
from flask.cli import AppGroup

from .. import outbox
from ..extensions import db
from . import digest, mail, smtp
from .links import mail_host

notifications_cli = AppGroup("notifications", help="Digests and a test e-mail.")


@notifications_cli.command("digest")
def queue_digests():
    """Queue today's digests now (if the digest hour has come) and send them."""
    count = digest.queue_due_digests()
    db.session.commit()
    outbox.run_due()
    click.echo(f"{count} digests queued.")


@notifications_cli.command("test-mail")
@click.argument("address")
def test_mail(address):
    """Send a test e-mail to ADDRESS over SMTP now (checks the SMTP settings)."""
    if not current_app.config.get("SMTP_HOST"):
        raise click.ClickException("FORUM_SMTP_HOST is not set: e-mail stays in /admin/mailbox.")
    msg = EmailMessage()
    msg["From"] = mail.sender_address()
    msg["To"] = address
    msg["Subject"] = f"[{current_app.config['SITE_NAME']}] SMTP test"
    msg["Message-ID"] = make_msgid(domain=mail_host())
    msg.set_content("This test e-mail shows that the community can send e-mail.")
    try:
        smtp.deliver(mail.sender_address(), address, msg.as_bytes(policy=email.policy.SMTP))
    except Exception as error:  # noqa: BLE001 - shown to the operator
        raise click.ClickException(f"Not sent: {error!r}")
    click.echo(f"Sent to {address}.")
