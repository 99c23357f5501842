"""Privacy by design in the app: the core's parts (export, erasure, redaction,
retention, the record of processing), the export worker, the pages and commands.
Called by ``create_app`` before the features load, so the core's parts come first.
docs/privacy.md describes it for operators and the data protection officer.
"""


def init_app(app):
    from flask_babel import lazy_gettext as _l

    from . import (  # noqa: F401
        hooks,
        outbox,
        privacy_cli,
        privacy_core,
        privacy_exports,
        privacy_models,
        privacy_record,
        privacy_retention,
    )
    from .views import privacy as views

    privacy_core.register(app)
    privacy_retention.register(app)
    privacy_record.register_core(app)
    outbox.register_handler(app, privacy_exports.KIND, privacy_exports.build)
    app.register_blueprint(views.bp)
    views.init_app(app)
    privacy_cli.init_app(app)
    hooks.add(app, "nav.link", ("privacy.retention_page", _l("Data retention"),
                                "manage_privacy"))
