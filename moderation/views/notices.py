"""A member's moderation notices (statements of reasons) and their appeals."""
from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..forms import AppealForm
from ..labels import DECISION_REASONS, NOTICES
from ..services import appeals, notices
from . import act, bp, guard


def _page(status=200, invalid=None, invalid_id=None):
    items = notices.for_member(current_user)
    forms = {n.id: invalid if n.id == invalid_id else AppealForm(prefix=f"appeal-{n.id}",
                                                                  formdata=None)
             for n in items}
    return render_template("moderation/notices.html", notices=items, forms=forms,
                           labels={"notice": NOTICES, "decision": DECISION_REASONS}), status


@bp.get("/notices")
@login_required
def notices_page():
    guard("view_notices")
    return _page()


@bp.post("/notices/<int:notice_id>/appeal")
@login_required
def appeal(notice_id):
    guard("view_notices")
    notice = appeals.get_notice(current_user, notice_id)
    form = AppealForm(prefix=f"appeal-{notice.id}")
    return act(form, lambda: appeals.appeal(current_user, notice, form.text.data),
               _("Your appeal was sent. A moderator will look at it."),
               url_for("moderation.notices_page"),
               lambda f: _page(422, f, notice.id))
