"""Notifications: subscriptions, in-app notices with the bell, and e-mail through
the outbox over SMTP (or into the admins' mailbox when no SMTP server is set).

Part of the core (docs/architecture.md). The core's events reach it through the receivers
connected in ``init_app``; other packages reach people through ``notify`` below.
docs/operations.md, section "Notifications and e-mail", describes the behaviour.
"""

# The kinds other packages send (see kinds.py for all kinds and their texts).
MODERATION = "moderation"            # a decision on a member's post or report
SANCTION = "sanction"                # a restriction on a member's account, or its end
SUPPORT_REQUEST = "support_request"  # the support team asks a member for something


def notify(user, kind, *, thread=None, post=None, actor=None, data=None, key=None):
    """Tell ``user`` (a User or a user id) about something; the stable entry point
    for the moderation and agent bridge packages. Returns the ``Notification``, or
    None when nobody was told (the same ``key`` again, or the actor themselves).

    Call it inside the transaction of the change that causes it (it flushes, never
    commits): the in-app notification and the e-mail job are committed with it.

    - ``kind``: ``MODERATION``, ``SANCTION``, ``SUPPORT_REQUEST`` (or a core kind
      from kinds.py); an unknown kind raises ValueError.
    - ``thread`` / ``post``: what it is about. The thread's title is only shown
      to a recipient who may see the thread.
    - ``actor``: who did it (never told about their own action).
    - ``data`` (JSON): ``decision`` a moderation notice code (``post_hidden``,
      ``silenced``, ... see ``kinds.DECISIONS``), ``reason`` shown to the
      recipient, ``until`` ISO datetime a sanction ends, ``message`` the text of a
      support request (shown in the app only, never e-mailed), ``url`` a path on
      this site the notification opens (``/mod/notices``); other URLs are ignored.
    - ``key``: names the event, e.g. ``f"moderation.notice:{notice.id}"``; each
      (key, recipient) is told once however often this is called, so pass one
      whenever the caller may run twice (an outbox handler that is retried).
    """
    from . import service
    return service.notify(user, kind, thread=thread, post=post, actor=actor, data=data,
                          key=key)


def init_app(app):
    """Blueprint, signal receivers, template hooks, the mention links and CLI."""
    from flask_babel import lazy_gettext as _l

    from datetime import timedelta

    from .. import hooks, markup, outbox
    from . import (admin, cli, delivery, digest, mail, mentions,  # noqa: F401 - routes,
                   receivers, views)  # outbox handlers

    mail.check_config(app)
    markup.use(mentions.link_mentions)
    app.register_blueprint(views.bp)
    views.init_app(app)
    receivers.connect(app)
    app.cli.add_command(cli.notifications_cli)
    hooks.add(app, "nav.link", ("notifications.mailbox", _l("Mailbox"), "admin"))
    for kind, handler in ((receivers.MENTIONS, receivers.mentions_after_edit),
                          (mail.SEND, mail.send), (digest.DIGEST, digest.compose_digest),
                          (delivery.COMPOSE, delivery.compose)):
        outbox.register_handler(app, kind, handler)
    outbox.register_periodic(app, "notifications.digest", timedelta(minutes=10),
                             digest.queue_due_digests)
