"""The record of processing activities (Art. 30 GDPR), generated: each loaded part of
the site declares what it processes (``privacy.processing``), and the retention comes
from the rules and settings in force (``privacy.retention``), so the record says
what this installation does, not what it once did.
"""
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

from .. import hooks
from ..services import privacy


@dataclass(frozen=True)
class Activity:
    """One processing activity. ``retention``: names of ``RetentionRule``s, whose days
    the record shows; ``kept``: how long the rest is kept, in words."""
    part: str
    name: object
    purpose: object
    legal_basis: object
    data: object
    subjects: object = _l("Members of the community")
    recipients: object = _l("None outside the company")
    retention: tuple = ()
    kept: object = ""


def register(app, activity):
    hooks.add(app, "privacy.processing", activity)


def activities():
    return list(hooks.registered("privacy.processing"))


def record():
    """Everything the record page shows: controller, officer, and per activity its
    retention rules with their days."""
    rules = {rule.name: rule for rule in privacy.retention_rules()}
    config = current_app.config
    return {
        "controller": config.get("PRIVACY_CONTROLLER") or "",
        "dpo": config.get("PRIVACY_DPO") or "",
        "features": ["community", *current_app.extensions.get("forum_features", [])],
        "activities": [(activity, [rules[name] for name in activity.retention if name in rules])
                       for activity in activities()],
    }


def _mail_recipients():
    host = current_app.config.get("SMTP_HOST")
    return (_l("The e-mail provider at %(host)s", host=host) if host
            else _l("None (no e-mail leaves the site)"))


CORE = (
    Activity("community", _l("Member accounts and the community"),
             _l("Letting members ask and answer questions in public"),
             _l("Art. 6(1)(b) GDPR: the terms of use the member agreed to"),
             _l("Display name, e-mail address, password (hashed), language, questions, "
                "answers and their earlier versions, helpful votes, API tokens (hashed)"),
             recipients=_l("The public: display names and posts are visible to everybody"),
             kept=_l("Until the member deletes their account; their posts then stay under an "
                     "anonymous name unless they are deleted too")),
    Activity("community", _l("Security of logins and registrations"),
             _l("Limiting attempts to guess passwords and mass registrations"),
             _l("Art. 6(1)(f) GDPR: legitimate interest in a secure service"),
             _l("E-mail address tried, IP address, time"),
             subjects=_l("Members and visitors who log in or register"),
             retention=("login_addresses", "login_history")),
    Activity("community", _l("Notifications and e-mail"),
             _l("Telling members about answers, decisions and requests they chose to hear of"),
             _l("Art. 6(1)(b) GDPR"),
             _l("Notifications, e-mail choices, watched threads and categories, e-mails sent"),
             recipients=_mail_recipients, retention=("emails", "outbox")),
    Activity("community", _l("Requests of data subjects"),
             _l("Handing members their data and erasing it on request"),
             _l("Art. 6(1)(c) GDPR: Art. 15, 17 and 20 GDPR"),
             _l("Data exports; the record that an erasure or redaction happened (who, when, "
                "why, never the data)"),
             retention=("exports",),
             kept=_l("The record of erasures and redactions is kept as proof")),
)


def register_core(app):
    for activity in CORE:
        register(app, activity)


def text(value):
    """Activities may give a value as a function (read from the settings when shown)."""
    return value() if callable(value) else value
