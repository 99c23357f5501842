"""Helpdesk connectors of the agent bridge: ``builtin`` (the desk), ``webhook`` and
``request_tracker``, chosen by ``FORUM_BRIDGE_CONNECTOR``.

Ticket events become outbox rows (``outbound``) delivered by the connector with
retries and per-ticket order; news from the helpdesk comes back through a signed
callback (``views``) or the worker's poll (``polling``) and is applied exactly once
(``inbound``). Admins see each connector's health on ``/admin/connectors``.
"""


def init_app(app):
    """Settings, the callback and health page, the outbound receiver, the poll job."""
    from community.template_helpers import add_nav_link
    from flask_babel import lazy_gettext as _l

    from .. import events
    from . import hooks, models, outbound, permissions, polling, settings, views  # noqa: F401

    if "agent_bridge.connectors" in app.extensions:
        return
    settings.apply(app)
    app.extensions["agent_bridge.connectors"] = {"settings": [s.key for s in settings.SETTINGS]}
    views.init_app(app)
    # Weak references would drop a receiver defined per call; this one is module-level.
    events.ticket_event.connect(outbound.on_ticket_event, weak=False)
    app.extensions.setdefault("forum_thread_banners", []).append(hooks.contact_banner)
    add_nav_link(app, "bridge_connectors.health_page", _l("Connectors"), "manage_connectors")
