"""Moderation: trust and pre-moderation, flags, review queue, moderator tools,
sanctions, spam defence, statements of reasons and the audit log.

Imports ``community``; nothing imports this package. Everything reaches the core
through its extension points: ``threads.visibility_policies`` (hold posts),
``permissions.rule``/``restrict`` (capabilities, silenced members, locked
threads), ``accounts.login_checks``/``registration_checks`` (suspensions, the
honeypot), the template hook lists, ``add_nav_link`` and the core's events.
"""


def init_app(app):
    """Register the moderation blueprint, CLI, hooks and signal receivers."""
    from community import accounts, threads
    from community.template_helpers import add_nav_link
    from flask_babel import lazy_gettext as _l

    from . import api, hooks, permissions, receivers, settings, views  # noqa: F401 - rules
    from .cli import moderation_cli
    from .services import holds, sanctions

    settings.apply(app)
    app.extensions["moderation"] = {"settings": [s.key for s in settings.SETTINGS]}
    views.init_app(app)
    api.init_app(app)
    app.cli.add_command(moderation_cli)
    receivers.connect(app)
    app.before_request(hooks.redirect_merged_thread)
    app.extensions["forum_post_actions"].append(hooks.post_actions)
    app.extensions["forum_thread_banners"].append(hooks.thread_banner)
    app.extensions["forum_register_form"].append(hooks.honeypot_field)
    add_nav_link(app, "moderation.queue_page", _l("Review queue"), "review")
    add_nav_link(app, "moderation.notices_page", _l("Notices"), "view_notices")
    # Process-wide lists of the core: added once, and each hook checks that the
    # current app loaded moderation.
    _add_once(threads.visibility_policies, holds.policy)
    _add_once(accounts.login_checks, sanctions.login_check)
    _add_once(accounts.registration_checks, hooks.honeypot_check)


def _add_once(hooks, fn):
    if fn not in hooks:
        hooks.append(fn)
