"""Agent bridge: escalation sweep, tickets, agent desk, helpdesk connectors.

Imports ``community``; nothing imports this package. Unresolved threads become
tickets (one per thread, by a unique constraint), agents answer from ``/desk``,
and the official reply is posted back into the thread. Everything reaches the
core through its extension points: events, ``permissions.rule``/``allow``, the
template hook lists, ``add_nav_link``, the outbox's periodic jobs,
``api.openapi.register_paths``/``add_properties``, the API's
``forum_api_write_checks`` (the public-data check) and ``community.services.similar``
(similar solved threads from search when it is loaded).
"""


def init_app(app):
    """Register the desk blueprint, CLI, periodic sweep and signal receivers."""
    from . import models, permissions, settings  # noqa: F401 - tables and rules
    from . import receivers, jobs
    from .services import privacy_export
    from .cli import bridge_cli

    settings.apply(app)
    # desk_links: (endpoint, label, capability) added to the desk's sub-navigation by
    # parts of the bridge that live elsewhere (the connectors' health page).
    app.extensions["agent_bridge"] = {"settings": [s.key for s in settings.SETTINGS],
                                      "desk_links": []}
    permissions.init_app(app)
    receivers.connect(app)
    jobs.init_app(app)
    privacy_export.register(app)
    app.cli.add_command(bridge_cli)
    _init_web(app)
    _init_connectors(app)


def _init_web(app):
    from datetime import timedelta

    from flask_babel import format_timedelta, lazy_gettext as _l

    from community import hooks as core_hooks

    from . import api, hooks, metrics, views
    from .services import public_data
    views.init_app(app)
    api.init_app(app)
    core_hooks.add(app, "template.thread_banner", hooks.thread_banner)
    core_hooks.add(app, "write.check", public_data.check_write)
    core_hooks.add(app, "metrics.collect", metrics.escalations)
    app.jinja_env.filters["bridge_duration"] = lambda seconds: (
        "–" if seconds is None else format_timedelta(timedelta(seconds=seconds), threshold=1.5))
    core_hooks.add(app, "nav.link", ("agent_bridge.desk", _l("Desk"), "use_desk"))
    app.jinja_env.globals["bridge_desk_links"] = app.extensions["agent_bridge"]["desk_links"]


def _init_connectors(app):
    """The connectors subpackage (webhook, helpdesk) registers itself if present."""
    import importlib.util
    if importlib.util.find_spec("agent_bridge.connectors") is not None:
        from . import connectors
        if hasattr(connectors, "init_app"):
            connectors.init_app(app)
