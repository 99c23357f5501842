"""What the agent bridge adds to ``/metrics`` (the core's ``metrics.collect`` hook):
escalations by reason, read from the tickets at each scrape, so every host reports
the same. The sweep's own figures (how long its last run took, when it last
succeeded) are the core's, from its ``periodic_runs`` row:
``forum_periodic_job_duration_seconds{job="agent_bridge.sweep"}``. The connectors'
health comes from ``connectors/health.py``."""
from sqlalchemy import func, select

from community.extensions import db
from community.metrics import Reading

from .models import Ticket
from .services.escalation import REASONS


def escalations():
    """Tickets opened, by the reason that opened them (every reason, 0 included, so no
    series comes and goes)."""
    counts = dict.fromkeys(REASONS, 0)
    counts.update(db.session.execute(select(Ticket.reason, func.count())
                                     .group_by(Ticket.reason)).all())
    return [Reading("forum_bridge_escalations", "Threads escalated to the support team "
                    "(tickets opened), by reason: no_reply and no_answer by the sweep, "
                    "urgent_terms at once, moderator, agent and asker by hand.",
                    count, {"reason": reason}, type="counter")
            for reason, count in sorted(counts.items())]
