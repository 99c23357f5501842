"""Search: Whoosh index, German/English analysis, similar questions, deflection, reindex.

Imports ``community``; nothing imports this package. It reaches the core through
the core's events (index updates go through the outbox, applied by the worker),
the ``forum_ask_form`` hook list (similar questions while asking), ``add_nav_link``,
the OpenAPI ``register_paths`` and the header's search box slot in base.html.
"""


def init_app(app):
    """Register the search blueprints, CLI, hooks and signal receivers."""
    from flask_babel import lazy_gettext as _l

    from community.extensions import csrf
    from community.template_helpers import add_nav_link

    from . import api, deflection, hooks, models, permissions, settings, updates, views  # noqa: F401
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
    app.extensions["forum_ask_form"].append(hooks.ask_form_similar)
    add_nav_link(app, "search.deflections", _l("Deflections"), "view_search_stats")
    from community import similar as similar_threads
    from .similar import similar
    similar_threads.register(app, similar)  # e.g. the desk's similar solved threads
