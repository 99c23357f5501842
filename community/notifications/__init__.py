"""Notifications: subscriptions, in-app notices with the bell, and e-mail through
the outbox over SMTP (or into the admins' mailbox when no SMTP server is set).

Part of the core (DESIGN.md). Other packages reach people through
``community.notifications.service.notify``; the core's events reach it through
the receivers connected here. See README.md in this folder.
"""


def init_app(app):
    """Blueprint, signal receivers, template hooks and CLI."""
    from flask_babel import lazy_gettext as _l

    from ..template_helpers import add_nav_link
    from . import (admin, cli, delivery, digest, mail, receivers,  # noqa: F401 - routes,
                   views)  # outbox handlers

    mail.check_config(app)
    app.register_blueprint(views.bp)
    views.init_app(app)
    receivers.connect(app)
    app.cli.add_command(cli.notifications_cli)
    add_nav_link(app, "notifications.mailbox", _l("Mailbox"), "admin")
