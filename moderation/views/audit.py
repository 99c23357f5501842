"""The audit log: filterable, paginated, exportable as CSV. Read-only by design."""
import csv
import io
import json

from flask import Response, current_app, render_template, request
from flask_login import login_required
from wtforms.fields.choices import SelectChoice

from community.services import listing
from community.errors import ValidationError
from community.forms import apply_errors

from ..forms import AuditFilterForm
from ..services import audit
from . import bp, guard

CSV_COLUMNS = ("id", "created_at", "actor_id", "actor", "action", "target_type", "target_id",
               "reason_code", "reason", "details")


def _cell(value):
    """Text a spreadsheet would run as a formula is prefixed with an apostrophe."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _filters():
    form = AuditFilterForm(request.args)
    form.action.choices = [SelectChoice("", "—")] + [SelectChoice(a, a) for a in audit.ACTIONS]
    form.validate()
    filters = {name: request.args.get(name) or None
               for name in ("actor", "action", "target_type", "target_id", "since", "until")}
    if form.target_id.errors:
        filters["target_id"] = None
    return form, filters


@bp.get("/audit")
@login_required
def audit_log():
    guard("review")
    form, filters = _filters()
    try:
        page = audit.search(page=listing.page_number(request.args.get("page")),
                            per_page=current_app.config["MOD_QUEUE_PER_PAGE"] * 2, **filters)
    except ValidationError as error:
        apply_errors(form, error)
        return render_template("moderation/audit.html", form=form, page=None), 422
    return render_template("moderation/audit.html", form=form, page=page)


@bp.get("/audit.csv")
@login_required
def audit_csv():
    guard("review")
    _form, filters = _filters()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for entry in audit.export(**filters):
        writer.writerow([_cell(v) for v in (
            entry.id, entry.created_at.isoformat(), entry.actor_id or "",
            entry.actor.name if entry.actor else "automatic", entry.action, entry.target_type,
            entry.target_id or "", entry.reason_code, entry.reason,
            json.dumps(entry.details, ensure_ascii=False, sort_keys=True))])
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=audit-log.csv"})
