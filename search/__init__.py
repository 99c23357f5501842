"""Search: Whoosh index, German/English analysis, similar questions, deflection, reindex.

Imports ``community``; nothing imports this package. It reaches the core through
the core's events (index updates go through the outbox, applied by the worker),
the hooks of community/hooks.py (``template.ask_form``: similar questions while
asking; ``nav.link``; ``similar.threads``; outbox handlers and periodic jobs), the
OpenAPI ``register_paths`` and the header's search box slot in base.html.
"""


def init_app(app):
    """Register the search blueprints, CLI, hooks and signal receivers."""
    from flask_babel import lazy_gettext as _l

    from datetime import timedelta

    from community import hooks as core_hooks, outbox
    from community.extensions import csrf

    from . import api, hooks, models, permissions, settings, views  # noqa: F401
    from .services import deflection, privacy, similar, updates
    from .cli import search_cli

    settings.apply(app)
    app.extensions["search"] = {"settings": [s.key for s in settings.SETTINGS]}
    app.register_blueprint(views.bp)
    csrf.exempt(api.bp)
    app.register_blueprint(api.bp)
    api.describe()
    app.cli.add_command(search_cli)
    updates.connect(app)
    deflection.connect(app)
    core_hooks.add(app, "template.ask_form", hooks.ask_form_similar)
    core_hooks.add(app, "nav.link", ("search.deflections", _l("Deflections"), "view_search_stats"))
    # e.g. the desk's similar solved threads
    core_hooks.add(app, "similar.threads", similar.similar)
    updates.register(app)
    outbox.register_periodic(app, "search.ensure_index", timedelta(minutes=10),
                             updates.ensure_index)
    outbox.register_periodic(app, "search.deflections", timedelta(minutes=15),
                             deflection.settle)
    core_hooks.add(app, "health.check", ("search", index_problem))
    privacy.register(app)


def index_problem():
    """``/readyz``: a host without the index answers every search with nothing."""
    from .engine import backends
    return backends.current().problem()
