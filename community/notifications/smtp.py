"""Handing one e-mail to the SMTP server (smtplib), and telling temporary
failures from permanent ones.

A permanent failure (5xx for the recipient or the message) raises
``PermanentFailure``: retrying cannot help. Everything else (4xx answers,
refused connections, timeouts, TLS or login trouble, which an admin can fix)
propagates, and the outbox retries it with backoff.
"""
import smtplib
import ssl

from flask import current_app

TLS_MODES = ("none", "starttls", "ssl")


class PermanentFailure(Exception):
    """The server refused this message or recipient for good."""


def _connect(config):
    host, port, timeout = config["SMTP_HOST"], config["SMTP_PORT"], config["SMTP_TIMEOUT"]
    if config["SMTP_TLS"] == "ssl":
        return smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    return smtplib.SMTP(host, port, timeout=timeout)


def _text(response):
    return response.decode("utf-8", "replace") if isinstance(response, bytes) else str(response)


def deliver(sender, recipient, raw):
    """Send ``raw`` (the message's bytes) from ``sender`` to ``recipient``."""
    config = current_app.config
    try:
        with _connect(config) as smtp:
            if config["SMTP_TLS"] == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if config.get("SMTP_USER"):
                smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
            smtp.sendmail(sender, [recipient], raw)
    except smtplib.SMTPRecipientsRefused as error:
        code, response = error.recipients.get(recipient, (0, b""))
        if 500 <= code < 600:
            raise PermanentFailure(f"{code} {_text(response)}") from error
        raise
    except smtplib.SMTPDataError as error:
        if 500 <= error.smtp_code < 600:
            raise PermanentFailure(f"{error.smtp_code} {_text(error.smtp_error)}") from error
        raise
