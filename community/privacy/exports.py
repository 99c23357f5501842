"""A member's data export (Art. 15 and 20 GDPR): requested on the settings page or
through the API, built by the worker, downloadable by the member alone for
``FORUM_PRIVACY_EXPORT_DAYS``.

The ZIP holds one JSON file per kind of data (``posts.json``, ``votes.json``...: the
``privacy.export`` parts of the core and the loaded features), ``export.json`` saying
what is in it, and ``index.html``, the same readable in a browser. It is built from
the database as it is when the worker runs, and stored in the database, since the
host that serves the download need not be the worker that built it.
"""
import io
import json
import zipfile
from datetime import timedelta

from flask import Response, current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import clock, outbox
from ..errors import NotFound
from ..extensions import db
from ..models import User
from ..notifications import notify
from ..notifications.links import site_path
from ..permissions import require
from .models import DataExport
from ..services import privacy

KIND = "privacy.export"
# A member who asks again within this time gets the export they already have.
AGAIN_AFTER = timedelta(hours=24)


def _days():
    return timedelta(days=current_app.config["PRIVACY_EXPORT_DAYS"])


def latest(user):
    """The member's newest export that is pending, or ready and not expired; or None."""
    export = db.session.scalar(select(DataExport).where(DataExport.user_id == user.id)
                               .order_by(DataExport.id.desc()).limit(1))
    if export is None or export.status == "failed" or is_expired(export):
        return None
    return export


def is_expired(export):
    return export.expires_at is not None and export.expires_at <= clock.now()


def request_export(user, source="settings"):
    """Start building the member's export. One at a time: while one is being built,
    or for a day after one was made, that one is returned. Returns (export, started)."""
    require(user, "signed_in")
    if privacy.is_erased(user):
        raise NotFound(_l("No such member."))
    current = latest(user)
    if current is not None and (current.status == "pending"
                                or clock.now() - current.requested_at < AGAIN_AFTER):
        return current, False
    export = DataExport(user_id=user.id, status="pending", requested_at=clock.now())
    db.session.add(export)
    db.session.flush()
    outbox.enqueue(KIND, {"export_id": export.id}, key=f"{KIND}:{export.id}")
    privacy.log("export", user=user, actor=user, source=source)
    return export, True


def build(payload):
    """The worker's handler: build the ZIP, store it, tell the member (in the app and,
    by their choice, by e-mail) with a link that works for them only."""
    export = db.session.get(DataExport, payload["export_id"])
    if export is None or export.status != "pending":
        return
    user = db.session.get(User, export.user_id)
    export.data = zip_bytes(user)
    export.size = len(export.data)
    export.status = "ready"
    export.ready_at = clock.now()
    export.expires_at = export.ready_at + _days()
    notify(user, "privacy", data={"url": site_path("privacy.download", export_id=export.id)},
           key=f"{KIND}:{export.id}")


def downloadable(user, export_id):
    """The member's own ready, unexpired export; anyone else's is "not found"."""
    export = db.session.get(DataExport, export_id)
    if export is None or export.user_id != getattr(user, "id", None) \
            or export.status != "ready" or is_expired(export):
        raise NotFound(_l("This download does not exist or has expired. Please request your "
                          "data again on the settings page."))
    return export


def response(export):
    """The ZIP as a download; never kept by a cache or a shared proxy."""
    answer = Response(export.data, mimetype="application/zip")
    answer.headers["Content-Disposition"] = (
        f'attachment; filename="community-data-{export.ready_at:%Y%m%d}.zip"')
    answer.headers["Cache-Control"] = "no-store, private"
    return answer


# --- The ZIP --------------------------------------------------------------------------------

def _json(value):
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")


def zip_bytes(user):
    """The member's data as a ZIP (bytes)."""
    parts = privacy.export_parts()
    data = {part.kind: part.collect(user) for part in parts}
    generated = clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    locale = user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(locale):
        manifest = {"site": current_app.config["SITE_NAME"], "member_id": user.id,
                    "generated_at": generated,
                    "files": [{"file": f"{part.kind}.json", "title": str(part.title),
                               "rows": len(data[part.kind])} for part in parts]}
        index = render_template("community/privacy/export_index.html", parts=parts, data=data,
                                user=user, generated=generated,
                                site=current_app.config["SITE_NAME"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.html", index.encode("utf-8"))
        archive.writestr("export.json", _json(manifest))
        for part in parts:
            archive.writestr(f"{part.kind}.json", _json(data[part.kind]))
    return buffer.getvalue()
