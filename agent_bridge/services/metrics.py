"""The service dashboard's figures, computed from the append-only facts
(``MetricEvent``) so past figures never change when posts are hidden later.

Deflections (questions answered by a suggestion before being asked) are counted
by the search feature; its table is read when it exists, without importing it.
"""
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, inspect, select, text

from community import clock
from community.extensions import db

from ..models import ACTIVE_STATUSES, MetricEvent, Ticket

WINDOWS = (7, 30)
DEFLECTION_TABLE = "search_deflection_days"


@dataclass
class Dashboard:
    days: int
    open_tickets: int
    overdue_tickets: int
    escalations: int
    first_response_community: float | None   # median seconds
    first_response_staff: float | None
    ticket_first_response: float | None
    ticket_solution: float | None
    solved_community: int
    solved_agent: int
    deflections: int | None                  # None: the search feature's table is absent
    series: dict = field(default_factory=dict)  # name -> [(date, count)]

    @property
    def community_share(self):
        total = self.solved_community + self.solved_agent
        return None if not total else self.solved_community / total


def _median(values):
    return statistics.median(values) if values else None


def _days(start_day, count):
    return [start_day + timedelta(days=i) for i in range(count)]


def deflections_per_day(start_day):
    """{date: deflected} from the search feature's table, or None when it is absent."""
    if not inspect(db.engine).has_table(DEFLECTION_TABLE):
        return None
    rows = db.session.execute(
        text(f"SELECT day, deflected FROM {DEFLECTION_TABLE} WHERE day >= :start"),
        {"start": start_day}).all()
    return {(r[0] if isinstance(r[0], date) else date.fromisoformat(str(r[0]))): r[1]
            for r in rows}


def dashboard(days=7):
    if days not in WINDOWS:
        days = WINDOWS[0]
    now = clock.now()
    start_day = now.date() - timedelta(days=days - 1)
    since = datetime.combine(start_day, time())
    facts = db.session.execute(
        select(MetricEvent.kind, MetricEvent.seconds, MetricEvent.created_at)
        .where(MetricEvent.created_at >= since, MetricEvent.created_at <= now)).all()
    seconds, per_day = {}, {}
    for kind, value, created in facts:
        if value is not None:
            seconds.setdefault(kind, []).append(value)
        per_day.setdefault(kind, {}).setdefault(created.date(), 0)
        per_day[kind][created.date()] += 1
    count = lambda kind: sum(per_day.get(kind, {}).values())  # noqa: E731
    open_tickets, overdue = db.session.execute(select(
        func.count(Ticket.id).filter(Ticket.status.in_(ACTIVE_STATUSES)),
        func.count(Ticket.id).filter(Ticket.status.in_(ACTIVE_STATUSES),
                                     Ticket.first_response_at.is_(None),
                                     Ticket.due_at < now))).one()
    deflected = deflections_per_day(start_day)
    series = {kind: [(day, per_day.get(kind, {}).get(day, 0)) for day in _days(start_day, days)]
              for kind in ("asked", "escalated", "solved_community", "solved_agent")}
    if deflected is not None:
        series["deflected"] = [(day, deflected.get(day, 0)) for day in _days(start_day, days)]
    return Dashboard(
        days=days, open_tickets=open_tickets, overdue_tickets=overdue,
        escalations=count("escalated"),
        first_response_community=_median(seconds.get("first_community_response")),
        first_response_staff=_median(seconds.get("first_staff_response")),
        ticket_first_response=_median(seconds.get("ticket_first_response")),
        ticket_solution=_median(seconds.get("ticket_solved")),
        solved_community=count("solved_community"), solved_agent=count("solved_agent"),
        deflections=None if deflected is None else sum(deflected.values()),
        series=series)
