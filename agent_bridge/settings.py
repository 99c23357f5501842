"""Agent bridge settings: ``FORUM_BRIDGE_*`` environment variables, else these defaults.

Like moderation, the package applies its own settings; explicit ``create_app``
overrides win. Category rules made in the admin UI override the escalation
defaults for their category.
"""
from community.config import Setting, apply_feature_settings


URGENT_DE = ("kündig, storno, widerruf, störung, ausfall, funktioniert nicht mehr, "
             "datenschutz, dsgvo, datenleck, gehackt, betrug, abbuchung, beschwerde, anwalt")
URGENT_EN = ("cancel, outage, not working anymore, data protection, gdpr, data breach, "
             "hacked, fraud, unauthorized charge, complaint, lawyer")

SETTINGS = [
    Setting("BRIDGE_ESCALATE_AFTER_HOURS", 12,
            "A question without accepted answer and without staff reply becomes a ticket "
            "after this many hours (default of every category)."),
    Setting("BRIDGE_NO_REPLY_AFTER_HOURS", 4,
            "A question without any reply becomes a ticket after this many hours."),
    Setting("BRIDGE_ASK_AFTER_HOURS", 0,
            "Hours after asking from which the asker may press \"Ask the support team\" "
            "(0: at once, -1: not at all)."),
    Setting("BRIDGE_BUSINESS_HOURS", "09:00-17:00",
            "Business hours (Monday to Friday, in `FORUM_DEFAULT_TIMEZONE`) for categories "
            "whose windows count business hours only."),
    Setting("BRIDGE_URGENT_TERMS_DE", URGENT_DE,
            "Comma-separated German starters that escalate a question at once with "
            "priority urgent (a term matches the start of a word); admins add more on "
            "`/desk/admin/terms`."),
    Setting("BRIDGE_URGENT_TERMS_EN", URGENT_EN, "The same for English."),
    Setting("BRIDGE_DUE_URGENT_HOURS", 1, "First-response time of urgent tickets, in hours."),
    Setting("BRIDGE_DUE_HIGH_HOURS", 4, "First-response time of high-priority tickets."),
    Setting("BRIDGE_DUE_NORMAL_HOURS", 24, "First-response time of normal tickets."),
    Setting("BRIDGE_DUE_LOW_HOURS", 72, "First-response time of low-priority tickets."),
    Setting("BRIDGE_AUTO_ASSIGN", False,
            "Assign new tickets automatically, round robin among the agents with the fewest "
            "open tickets."),
    Setting("BRIDGE_QUEUE_PER_PAGE", 30, "Tickets per page of the desk queue."),
    Setting("BRIDGE_PRIVATE_DETAILS_DAYS", 90,
            "Days after a ticket was solved or closed until the private details the customer "
            "gave for it are cut out (docs/privacy.md)."),
]


def apply(app, environ=None):
    apply_feature_settings(app, SETTINGS, environ)
