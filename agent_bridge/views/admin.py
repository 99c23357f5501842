"""Admin pages of the bridge: escalation rules per category, urgent terms, canned replies."""
from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from community.forms import ActionForm

from ..services import canned, rules
from ..forms import CannedForm, RuleForm, TermForm
from ..labels import HOLIDAYS, LANGUAGES
from . import act, bp, guard


def _rule_form(category, rule, formdata=None):
    ask_mode = "never" if rule.ask_after is None else ("now" if not rule.ask_after else "after")
    data = {"enabled": rule.enabled,
            "no_reply_after_hours": int(rule.no_reply_after.total_seconds() // 3600),
            "escalate_after_hours": int(rule.escalate_after.total_seconds() // 3600),
            "ask_mode": ask_mode,
            "ask_after_hours": int(rule.ask_after.total_seconds() // 3600)
            if ask_mode == "after" else None,
            "business_hours": rule.business_hours, "holidays": rule.holidays}
    return RuleForm(prefix=f"rule-{category.id}", formdata=formdata, data=data)


def _rules_page(status=200, invalid=None, invalid_id=None):
    rows = [(c, rule, own, invalid if c.id == invalid_id else _rule_form(c, rule, None))
            for c, rule, own in rules.rules_by_category()]
    return render_template("agent_bridge/admin_rules.html", rows=rows, holidays=HOLIDAYS), status


@bp.get("/desk/admin/rules")
@login_required
def rules_page():
    guard("manage_bridge")
    return _rules_page()


@bp.post("/desk/admin/rules/<int:category_id>")
@login_required
def save_rule(category_id):
    guard("manage_bridge")
    category = rules.get_category(category_id)
    form = RuleForm(prefix=f"rule-{category.id}")
    return act(form, lambda: rules.save_rule(
        current_user, category, enabled=form.enabled.data,
        no_reply_after_hours=form.no_reply_after_hours.data,
        escalate_after_hours=form.escalate_after_hours.data, ask_mode=form.ask_mode.data,
        ask_after_hours=form.ask_after_hours.data, business_hours=form.business_hours.data,
        holidays=form.holidays.data),
        _("The rule of %(name)s is saved.", name=category.name),
        url_for("agent_bridge.rules_page"),
        lambda f: _rules_page(status=422, invalid=f, invalid_id=category.id))


def _terms_page(form=None, status=200):
    configured, rows = rules.terms()
    return render_template("agent_bridge/admin_terms.html", configured=configured, rows=rows,
                           form=form or TermForm(), action_form=ActionForm(),
                           languages=LANGUAGES), status


@bp.get("/desk/admin/terms")
@login_required
def terms_page():
    guard("manage_bridge")
    return _terms_page()


@bp.post("/desk/admin/terms")
@login_required
def add_term():
    guard("manage_bridge")
    form = TermForm()
    return act(form, lambda: rules.add_term(current_user, form.language.data, form.term.data),
               _("Term added."), url_for("agent_bridge.terms_page"),
               lambda f: _terms_page(form=f, status=422))


@bp.post("/desk/admin/terms/<int:term_id>/remove")
@login_required
def remove_term(term_id):
    guard("manage_bridge")
    return act(ActionForm(), lambda: rules.remove_term(current_user, term_id),
               _("Term removed."), url_for("agent_bridge.terms_page"),
               lambda f: _terms_page(status=400))


def _canned_page(form=None, status=200, editing=None):
    return render_template("agent_bridge/admin_canned.html", replies=canned.all_replies(),
                           form=form or CannedForm(), editing=editing,
                           action_form=ActionForm()), status


@bp.get("/desk/admin/canned")
@login_required
def canned_page():
    guard("manage_bridge")
    editing = None
    if request.args.get("edit", "").isdigit():
        editing = canned.get(int(request.args["edit"]))
        return _canned_page(form=CannedForm(obj=editing), editing=editing)
    return _canned_page()


@bp.post("/desk/admin/canned")
@login_required
def save_canned():
    guard("manage_bridge")
    form = CannedForm()
    raw = request.args.get("edit", "")
    editing = canned.get(int(raw)) if raw.isdigit() else None
    return act(form, lambda: canned.save(form.title.data, form.body.data, editing),
               _("Canned reply saved."), url_for("agent_bridge.canned_page"),
               lambda f: _canned_page(form=f, status=422, editing=editing))


@bp.post("/desk/admin/canned/<int:reply_id>/delete")
@login_required
def delete_canned(reply_id):
    guard("manage_bridge")
    reply = canned.get(reply_id)
    return act(ActionForm(), lambda: canned.delete(reply), _("Canned reply deleted."),
               url_for("agent_bridge.canned_page"), lambda f: _canned_page(status=400))
