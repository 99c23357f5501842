"""Words shown for the bridge's codes (statuses, priorities, reasons, events)."""
from flask_babel import lazy_gettext as _l

from .services.escalation import REASONS  # noqa: F401 - shown with tickets

STATUSES = {"new": _l("New"), "open": _l("Open"), "pending": _l("Waiting for the customer"),
            "solved": _l("Solved"), "closed": _l("Closed")}
PRIORITIES = {"low": _l("Low"), "normal": _l("Normal"), "high": _l("High"),
              "urgent": _l("Urgent")}
VIEWS = {"all": _l("All open"), "unassigned": _l("Unassigned"), "mine": _l("Mine"),
         "overdue": _l("Overdue")}
EVENTS = {
    "created": _l("Ticket opened"), "escalated_again": _l("Escalated again"),
    "assigned": _l("Assignee changed"), "status": _l("Status changed"),
    "priority": _l("Priority changed"), "official_reply": _l("Official reply posted"),
    "reply_edited": _l("Official reply edited"), "customer_replied": _l("Customer replied"),
    "staff_replied": _l("An agent replied in the thread"),
    "confirmed": _l("Answer confirmed by the support team"),
    "accepted": _l("Answer accepted by the asker"), "note": _l("Internal note"),
    "private_request": _l("Private details requested"),
    "private_detail": _l("Private details received"),
    "erasure": _l("The customer's account was erased"),
}
NOTES = {"community_solved": _l("The community solved the thread before the support team "
                                "answered.")}
LANGUAGES = {"de": _l("German"), "en": _l("English")}
HOLIDAYS = {"none": _l("No holidays"), "de": _l("German federal holidays")}
