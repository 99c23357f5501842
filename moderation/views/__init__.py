"""HTML views under /mod. Each handler loads (404), checks a capability (403), calls
one service, commits once and redirects or renders."""
from flask import Blueprint
from flask_login import current_user

from community.permissions import require
from community.views.actions import act  # noqa: F401 - used by the view modules

bp = Blueprint("moderation", __name__, url_prefix="/mod")


def guard(capability, obj=None):
    require(current_user, capability, obj)



def init_app(app):
    from . import admin, audit, flags, members, notices, posts, queue, threads  # noqa: F401
    app.register_blueprint(bp)
