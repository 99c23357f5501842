"""Connector settings: ``FORUM_BRIDGE_*`` and ``FORUM_RT_*`` environment variables, else
these defaults. Like moderation's settings, explicit ``create_app`` overrides win.
"""
from community.config import Setting, apply_feature_settings


SETTINGS = [
    Setting("BRIDGE_CONNECTOR", "builtin",
            "Where tickets are worked on: `builtin` (the agent desk), `webhook` (any helpdesk "
            "that takes signed JSON) or `request_tracker` (Request Tracker 5)."),
    Setting("BRIDGE_WEBHOOK_URL", "",
            "The helpdesk's URL that receives ticket events (connector `webhook`)."),
    Setting("BRIDGE_WEBHOOK_SECRET", "",
            "Shared secret of the HMAC-SHA256 signatures in both directions (connector "
            "`webhook`); at least 16 characters.", secret=True),
    Setting("BRIDGE_CONNECTOR_TIMEOUT", 10.0,
            "Seconds one call to the helpdesk may take in all (connecting, sending, the "
            "whole answer) before a delivery is retried later."),
    Setting("BRIDGE_WEBHOOK_MAX_AGE", 300,
            "Seconds a signed callback stays valid (its timestamp may be this far off)."),
    Setting("RT_URL", "",
            "Base address of Request Tracker, e.g. `https://rt.example.com/rt` (REST 2 is "
            "expected under `/REST/2.0`)."),
    Setting("RT_TOKEN", "", "API token of the forum's own RT user.", secret=True),
    Setting("RT_QUEUE", "General", "RT queue in which tickets are created."),
    Setting("RT_POLL_SECONDS", 60, "How often the worker asks RT for agents' replies."),
    Setting("BRIDGE_PSEUDONYM_DOMAIN", "customers.invalid",
            "Domain of the pseudonymous address sent instead of a customer's e-mail address "
            "when the customer has not allowed sharing it."),
    Setting("BRIDGE_HELPDESK_STAFF_TITLE", "Support team",
            "Staff title shown on official replies of helpdesk agents who have no forum "
            "account."),
]


def apply(app, environ=None):
    apply_feature_settings(app, SETTINGS, environ)
