"""Members as moderators see them: history, trust, sanctions; role and staff title for admins."""
from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select

from community import clock
from community.services import accounts
from community.errors import NotFound
from community.extensions import db
from community.models import User

from ..forms import LiftForm, SanctionForm, StaffForm, TrustForm
from ..labels import DECISION_REASONS, SANCTIONS, TRUST_LEVELS
from ..services import audit, members, queue, sanctions, trust
from . import act, bp, guard


def _forms(user, **given):
    forms = {
        "trust": TrustForm(prefix="trust", formdata=None,
                           data={"level": trust.manual_level(user) or "auto"}),
        "staff": StaffForm(prefix="staff", formdata=None,
                           data={"role": user.role, "staff_title": user.staff_title or ""}),
        "sanction": SanctionForm(prefix="sanction", formdata=None),
        "lift": LiftForm(prefix="lift", formdata=None),
    }
    forms.update(given)
    return forms


def _page(user, status=200, **given):
    return render_template(
        "moderation/member.html", member=user, forms=_forms(user, **given),
        level=trust.trust_level(user), manual=trust.manual_level(user),
        history=queue.author_history({user.id})[user.id], posts=members.recent_posts(user),
        sanctions=sanctions.history(user.id), now=clock.now(),
        audit_entries=audit.search(target_type="user", target_id=user.id, per_page=50).items,
        labels={"decision": DECISION_REASONS, "sanction": SANCTIONS, "trust": TRUST_LEVELS}), status


@bp.get("/users")
@login_required
def members_page():
    guard("review")
    q = (request.args.get("q") or "").strip()
    found = []
    if q:
        pattern = f"%{q.lower()}%"
        found = list(db.session.scalars(
            select(User).where(or_(func.lower(User.name).like(pattern),
                                   func.lower(User.email).like(pattern)))
            .order_by(User.name).limit(50)))
    staff = list(db.session.scalars(select(User).where(User.role != "customer")
                                    .order_by(User.role, User.name).limit(200)))
    return render_template("moderation/members.html", q=q, found=found, staff=staff)


@bp.get("/users/<int:user_id>")
@login_required
def member(user_id):
    guard("review")
    return _page(accounts.get_user(user_id))


def _back(user):
    return url_for("moderation.member", user_id=user.id)


@bp.post("/users/<int:user_id>/trust")
@login_required
def member_trust(user_id):
    user = accounts.get_user(user_id)
    guard("set_trust", user)
    form = TrustForm(prefix="trust")
    return act(form, lambda: trust.set_trust(current_user, user, form.level.data, form.reason.data),
               _("Trust level saved."), _back(user), lambda f: _page(user, 422, trust=f))


@bp.post("/users/<int:user_id>/staff")
@login_required
def member_staff(user_id):
    user = accounts.get_user(user_id)
    guard("manage_staff", user)
    form = StaffForm(prefix="staff")

    return act(form, lambda: members.set_staff(current_user, user, form.role.data,
                                               form.staff_title.data),
               _("Role and staff title saved."), _back(user),
               lambda f: _page(user, 422, staff=f))


@bp.post("/users/<int:user_id>/sanctions")
@login_required
def member_sanction(user_id):
    user = accounts.get_user(user_id)
    guard("sanction", user)
    form = SanctionForm(prefix="sanction")

    def call():  # runs after validation: duration is one of the choices
        days = None if form.duration.data == "permanent" else int(form.duration.data)
        return sanctions.impose(current_user, user, form.kind.data, days,
                                form.reason_code.data, form.reason.data)
    return act(form, call,
               _("The sanction applies now; the member was told why."), _back(user),
               lambda f: _page(user, 422, sanction=f))


@bp.post("/users/<int:user_id>/sanctions/<int:sanction_id>/lift")
@login_required
def member_lift(user_id, sanction_id):
    user = accounts.get_user(user_id)
    guard("sanction", user)
    sanction = sanctions.get(sanction_id)
    if sanction.user_id != user.id:
        raise NotFound(_("No such sanction."))
    form = LiftForm(prefix="lift")
    return act(form, lambda: sanctions.lift(current_user, sanction, form.reason.data),
               _("The sanction was lifted."), _back(user), lambda f: _page(user, 422, lift=f))
