"""Privacy by design in the app: the core's parts (export, erasure, redaction,
retention, the record of processing), the export worker, the pages and commands.
Called by ``create_app`` before the features load, so the core's parts come first.
docs/privacy.md describes it for operators and the data protection officer.
"""


def init_app(app):
    from flask_babel import lazy_gettext as _l

    from .. import hooks, outbox
    from ..views import privacy as views
    from . import cli, core, exports, models, record, retention  # noqa: F401 (models: the tables)

    core.register(app)
    retention.register(app)
    record.register_core(app)
    outbox.register_handler(app, exports.KIND, exports.build)
    app.register_blueprint(views.bp)
    views.init_app(app)
    cli.init_app(app)
    hooks.add(app, "nav.link", ("privacy.retention_page", _l("Data retention"),
                                "manage_privacy"))
