"""Helpdesk connectors of the agent bridge: ``builtin`` (the desk), ``webhook`` and
``request_tracker``, chosen by ``FORUM_BRIDGE_CONNECTOR``.

Ticket events become outbox rows (``outbound``) delivered by the connector with
retries and per-ticket order; news from the helpdesk comes back through a signed
callback (``views``) or the worker's poll (``polling``) and is applied exactly once
(``inbound``). Admins see each connector's health on ``/admin/connectors``.
"""


def init_app(app):
    """Settings, the callback and health page, the outbound receiver, the poll job."""
    from community import hooks as core_hooks, outbox
    from flask_babel import lazy_gettext as _l

    from .. import events
    from . import (consent, health, hooks, models, outbound, permissions,  # noqa: F401
                   polling, settings, views)

    settings.apply(app)
    app.extensions["agent_bridge.connectors"] = {"settings": [s.key for s in settings.SETTINGS]}
    views.init_app(app)
    events.ticket_event.connect(outbound.on_ticket_event, sender=app, weak=False)
    outbox.register_handler(app, outbound.KIND, outbound.deliver)
    outbox.register_periodic(app, "bridge.connector_poll", polling.POLL_EVERY, polling.poll_job)
    core_hooks.add(app, "template.thread_banner", hooks.contact_banner)
    consent.register_privacy(app)
    core_hooks.add(app, "metrics.collect", health.readings)
    core_hooks.add(app, "nav.link",
                   ("bridge_connectors.health_page", _l("Connectors"), "manage_connectors"))
