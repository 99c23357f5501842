"""The review queue."""
from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from community.services import listing

from ..forms import ItemActionForm
from ..labels import DECISION_REASONS, FLAG_REASONS, HOLD_REASONS, RESOLUTIONS, TRUST_LEVELS
from ..services import queue, trust
from . import act, bp, guard


def _item_form(item):
    return ItemActionForm(prefix=f"item-{item.id}", formdata=None, data={"version": item.version})


def _page(status=200, invalid=None):
    kind = request.args.get("kind") if request.args.get("kind") in queue.KINDS else None
    page = queue.open_items(page=listing.page_number(request.args.get("page")),
                            per_page=current_app.config["MOD_QUEUE_PER_PAGE"], kind=kind)
    forms = {e.item.id: invalid if invalid is not None and invalid._prefix == f"item-{e.item.id}-"
             else _item_form(e.item) for e in page.items}
    trust_levels = trust.levels([e.item.user for e in page.items],
                                {e.item.user_id: e.author.get("visible", 0) for e in page.items})
    return render_template("moderation/queue.html", page=page, forms=forms, kind=kind,
                           kinds=queue.KINDS, actions=queue.ACTIONS, trust_levels=trust_levels,
                           labels={"flag": FLAG_REASONS, "hold": HOLD_REASONS,
                                   "decision": DECISION_REASONS, "trust": TRUST_LEVELS,
                                   "resolution": RESOLUTIONS}), status


@bp.get("")
@login_required
def queue_page():
    guard("review")
    return _page()


@bp.post("/items/<int:item_id>")
@login_required
def decide(item_id):
    guard("review")
    form = ItemActionForm(prefix=f"item-{item_id}")
    labels = {"approve": _("Approved."), "reject": _("Rejected; the author was told why."),
              "delete": _("Deleted (soft): the post is kept but no longer public."),
              "hide": _("Hidden; the author was told why."),
              "dismiss": _("Flags dismissed; the flaggers were told."),
              "escalate": _("Escalated to the support team."),
              "grant": _("Appeal granted."), "deny": _("Appeal denied.")}
    return act(form, lambda: queue.resolve(current_user, item_id, form.action.data,
                                           form.version.data, form.reason_code.data,
                                           form.reason.data, form.urgent.data),
               labels.get(form.action.data), url_for("moderation.queue_page"),
               lambda f: _page(status=422, invalid=f))
