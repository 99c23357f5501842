"""Moderation: trust and pre-moderation, flags, review queue, moderator tools,
sanctions, spam defence, statements of reasons and the audit log.

Imports ``community``; nothing imports this package. Everything reaches the core
through the hooks of ``community/hooks.py``, registered in ``init_app`` below
(``write.visibility``: hold posts; ``permission.restrict``: silenced members,
locked threads; ``account.*``: suspensions, the honeypot; ``template.*`` (the
write notice: sanctions, reviews first, the new members' rate) and
``nav.link``), its own capabilities (``permissions.rule``) and the core's events.
"""


def init_app(app):
    """Register the moderation blueprint, CLI, hooks and signal receivers."""
    from community import hooks as core_hooks
    from flask_babel import lazy_gettext as _l

    from . import api, hooks, permissions, receivers, settings, views  # noqa: F401 - rules
    from .cli import moderation_cli
    from .services import holds, privacy, sanctions

    settings.apply(app)
    app.extensions["moderation"] = {"settings": [s.key for s in settings.SETTINGS]}
    permissions.init_app(app)
    views.init_app(app)
    api.init_app(app)
    app.cli.add_command(moderation_cli)
    receivers.connect(app)
    privacy.register(app)
    app.before_request(hooks.redirect_merged_thread)
    for name, fn in (("template.post_actions", hooks.post_actions),
                     ("template.thread_banner", hooks.thread_banner),
                     ("template.write_notice", hooks.write_notice),
                     ("template.register_form", hooks.honeypot_field),
                     ("write.visibility", holds.policy),
                     ("account.login_check", sanctions.login_check),
                     ("account.registration_check", hooks.honeypot_check),
                     ("account.access_check", sanctions.access_check)):
        core_hooks.add(app, name, fn)
    core_hooks.add(app, "nav.link", ("moderation.queue_page", _l("Review queue"), "review"))
    # Notices reach members as notifications (the bell), not as a menu entry of their own.
