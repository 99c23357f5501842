"""customer-community: the core application.

``create_app`` builds the app in small steps and then loads the feature packages
named in ``FORUM_FEATURES`` (moderation, search, agent_bridge), each through its
own ``init_app(app)``. The core never imports them by name.
"""
import importlib
import os

from flask import Flask, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from . import config as config_module

__all__ = ["create_app"]


def create_app(overrides=None):
    settings = config_module.load(overrides=overrides)
    app = Flask(
        __name__,
        instance_path=settings["INSTANCE_PATH"],
        template_folder=str(config_module.PROJECT_ROOT / "templates"),
        static_folder="static",
    )
    app.config.update(settings)
    os.makedirs(app.instance_path, exist_ok=True)
    configure_logging(app)
    configure_extensions(app)
    configure_templates(app)
    configure_security(app)
    configure_blueprints(app)
    configure_notifications(app)
    configure_privacy(app)
    configure_cli(app)
    configure_operations(app)
    configure_features(app)
    return app


def configure_logging(app):
    from . import logging_setup
    logging_setup.configure(app)


def configure_extensions(app):
    from . import commit, hooks
    from .services.accounts import load_session_user
    from .extensions import babel, csrf, db, login_manager, migrate
    from .i18n import select_locale, select_timezone

    hooks.init_app(app)
    db.init_app(app)
    commit.init_app(app)
    migrate.init_app(app, db, directory=str(config_module.PROJECT_ROOT / "migrations"),
                     render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone,
                   default_translation_directories=str(
                       config_module.PROJECT_ROOT / "community" / "translations"))
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_session_user)

    from flask_babel import lazy_gettext
    login_manager.login_message = lazy_gettext("Please log in to continue.")


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """WAL and enforced foreign keys for the embedded SQLite database."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def configure_templates(app):
    from . import reader_parts, template_helpers
    template_helpers.init_app(app)
    reader_parts.init_app(app)


def configure_security(app):
    from . import inputs
    from .security import init_app
    init_app(app)
    inputs.init_app(app)


def configure_blueprints(app):
    from . import api, views
    views.init_app(app)
    api.init_app(app)


def configure_notifications(app):
    from . import notifications
    notifications.init_app(app)


def configure_privacy(app):
    """Export, erasure, redaction and retention; the features add their parts."""
    from .privacy import setup as privacy_setup
    privacy_setup.init_app(app)


def configure_cli(app):
    from . import cli
    cli.init_app(app)


def configure_operations(app):
    """What an operator of several hosts needs: request ids and JSON logs, metrics, the
    probes, versioned static URLs and the workers' heartbeats."""
    from . import heartbeat, logging_setup, metrics, static_urls
    from .views import health
    logging_setup.init_app(app)
    metrics.init_app(app)
    static_urls.init_app(app)
    heartbeat.init_app(app)
    app.register_blueprint(health.bp)


def configure_features(app):
    app.extensions["forum_features"] = []
    for name in app.config["FORUM_FEATURES"]:
        module = importlib.import_module(name)
        module.init_app(app)
        app.extensions["forum_features"].append(name)


def client_ip():
    """The client's address (ProxyFix has applied FORUM_PROXY_COUNT proxies' X-Forwarded-For)."""
    return request.remote_addr or "unknown"
