"""HTML views of the agent bridge: the desk (/desk), its admin pages, the
dashboard, and the customer-facing pieces on threads. Each handler loads (404),
checks a capability (403), calls one service, commits once and redirects or renders."""
from flask import Blueprint
from flask_login import current_user

from community.permissions import require
from community.views.actions import act  # noqa: F401 - used by the view modules

bp = Blueprint("agent_bridge", __name__)


def guard(capability, obj=None):
    require(current_user, capability, obj)



def init_app(app):
    from . import admin, customer, dashboard, desk, ticket  # noqa: F401 - routes
    app.register_blueprint(bp)
