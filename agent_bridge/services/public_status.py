"""What everyone reading a thread learns about its ticket: a state and its times,
never the ticket's internals (priority, assignee, notes, reason)."""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

STATES = {
    "passed": _l("Passed to the support team"),
    "in_progress": _l("The support team is working on it"),
    "answered": _l("Official answer given"),
    "community": _l("Solved by the community"),
}


@dataclass
class PublicStatus:
    state: str
    passed_at: datetime
    progress_at: datetime | None
    answered_at: datetime | None

    @property
    def label(self):
        return STATES[self.state]


def state(ticket):
    if ticket.first_response_at is not None:
        return "answered"
    if ticket.status == "closed":
        return "community"
    if ticket.assignee_id is not None or ticket.status != "new":
        return "in_progress"
    return "passed"


def of(ticket):
    return PublicStatus(state=state(ticket), passed_at=ticket.created_at,
                        progress_at=ticket.assigned_at or (
                            ticket.updated_at if ticket.status != "new" else None),
                        answered_at=ticket.first_response_at)
