"""The service dashboard (agents, admins)."""
from flask import render_template, request
from flask_babel import gettext as _
from flask_login import login_required

from . import charts
from ..services import metrics
from . import bp, guard


@bp.get("/desk/dashboard")
@login_required
def dashboard():
    guard("view_service_dashboard")
    days = int(request.args["days"]) if request.args.get("days", "").isdigit() else 7
    figures = metrics.dashboard(days)
    series = figures.series
    graphs = [
        charts.bar_chart(_("Questions and escalations per day"),
                         [(_("Questions"), series["asked"]),
                          (_("Escalations"), series["escalated"])]),
        charts.bar_chart(_("Solved per day"),
                         [(_("By the community"), series["solved_community"]),
                          (_("By the support team"), series["solved_agent"])]),
    ]
    if "deflected" in series:
        graphs.append(charts.bar_chart(_("Deflections per day"),
                                       [(_("Deflections"), series["deflected"])]))
    return render_template("agent_bridge/dashboard.html", figures=figures, charts=graphs,
                           windows=metrics.WINDOWS)
