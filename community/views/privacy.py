"""Privacy pages: a member's export and account deletion (settings), the download,
what is held about a member and their erasure (moderators, admins), redaction of a
post (moderators, agents), data retention and the record of processing (admins),
and the imprint and privacy policy (everyone).

Each handler loads (404), checks the capability (403), calls one service and renders.
"""
from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from markupsafe import Markup
from sqlalchemy import select

from .. import hooks

from ..privacy import exports as privacy_exports
from ..privacy import pages as privacy_pages
from ..privacy import record as privacy_record
from ..privacy import retention as privacy_retention
from ..errors import ValidationError
from ..extensions import db
from ..forms import ActionForm, apply_errors
from ..models import LoginAttempt
from ..permissions import can, require
from ..privacy.forms import (
    KIND_LABELS,
    DeleteAccountForm,
    EraseMemberForm,
    LegalPageForm,
    RedactForm,
)
from ..privacy.models import PrivacyLog
from ..services import accounts, privacy, threads
from ..template_helpers import UrlPattern, post_url, safe_next

bp = Blueprint("privacy", __name__)


def init_app(app):
    hooks.add(app, "template.post_actions", redact_link)
    app.jinja_env.globals["privacy_export"] = lambda: privacy_exports.latest(current_user)
    app.jinja_env.globals["legal_page_names"] = privacy_pages.PAGES
    app.jinja_env.filters["masked_ip"] = privacy_retention.mask_ip


def redact_link(post, thread):
    """"Redact" under each post for moderators and agents (no query: roles only)."""
    user = current_user
    if not user.is_authenticated or not can(user, "redact_post", post):
        return ""
    if "privacy_redact_url" not in g:
        g.privacy_redact_url = UrlPattern("privacy.redact", "post_id")
    return Markup('<a class="redact" href="{}" rel="nofollow">{}</a>').format(
        g.privacy_redact_url(post.id), _("Redact personal data"))


# --- The member's own data ----------------------------------------------------------------------

@bp.post("/settings/privacy/export")
@login_required
def request_export():
    if ActionForm().validate_on_submit():
        _export, started = privacy_exports.request_export(current_user, source="settings")
        flash(_("We are putting your data together. You will be notified when it is ready to "
                "download.") if started else
              _("Your data export is already being prepared or ready below."), "info")
    return redirect(url_for("auth.settings", _anchor="privacy"))


@bp.get("/settings/privacy/exports/<int:export_id>")
@login_required
def download(export_id):
    return privacy_exports.response(privacy_exports.downloadable(current_user, export_id))


@bp.route("/settings/privacy/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    form = DeleteAccountForm()
    status = 200
    if form.validate_on_submit():
        try:
            privacy.erase_own(current_user._get_current_object(), form.password.data,
                              delete_posts=form.delete_posts.data)
        except ValidationError as error:
            db.session.rollback()
            apply_errors(form, error)
            status = 422
        else:
            logout_user()
            flash(_("Your account was deleted. Goodbye, and thank you for your help in the "
                    "community."), "success")
            return redirect(url_for("forum.home"))
    elif form.errors:
        status = 422
    return render_template("community/privacy/delete.html", form=form), status


# --- Moderators and admins ----------------------------------------------------------------------

def _member_page(member, form=None, status=200):
    require(current_user, "view_member_data", member)
    held = [(part.title, len(part.collect(member))) for part in privacy.export_parts()]
    logins = list(db.session.scalars(select(LoginAttempt).where(LoginAttempt.email == member.email)
                                     .order_by(LoginAttempt.id.desc()).limit(20)))
    record = list(db.session.scalars(select(PrivacyLog).where(PrivacyLog.user_id == member.id)
                                     .order_by(PrivacyLog.id.desc()).limit(50)))
    may_erase = can(current_user, "erase_member", member) and not privacy.is_erased(member)
    return render_template("community/privacy/member.html", member=member, held=held,
                           logins=logins, record=record, erased=privacy.is_erased(member),
                           form=(form or EraseMemberForm()) if may_erase else None), status


@bp.get("/admin/privacy/members/<int:user_id>")
@login_required
def member(user_id):
    return _member_page(accounts.get_user(user_id))


@bp.post("/admin/privacy/members/<int:user_id>/erase")
@login_required
def erase_member(user_id):
    member = accounts.get_user(user_id)
    require(current_user, "erase_member", member)
    form = EraseMemberForm()
    if not form.validate_on_submit():
        return _member_page(member, form, 422)
    try:
        privacy.erase(member, current_user, form.reason.data, delete_posts=form.delete_posts.data,
                      spam=form.spam.data)
    except ValidationError as error:
        db.session.rollback()
        apply_errors(form, error)
        return _member_page(member, form, 422)
    flash(_("The account was erased: it is “%(name)s” now.", name=member.name), "success")
    return redirect(url_for("privacy.member", user_id=member.id))


@bp.route("/p/<int:post_id>/redact", methods=["GET", "POST"])
@login_required
def redact(post_id):
    post = threads.get_post(post_id)
    require(current_user, "redact_post", post)
    thread = threads.get_thread(post.thread_id)
    spans = privacy.detect(post.body)
    form = RedactForm()
    status = 200
    if form.validate_on_submit():
        found = {post.body[s.start:s.end]: s.kind for s in spans}
        chosen = [text for text in request.form.getlist("span") if text]
        texts = chosen + ([form.text.data] if (form.text.data or "").strip() else [])
        kinds = [found.get(text, "other") for text in chosen]
        if (form.text.data or "").strip():
            kinds.append(form.kind.data)
        try:
            privacy.redact(post, current_user, texts, kinds)
        except ValidationError as error:
            db.session.rollback()
            apply_errors(form, error)
            status = 422
        else:
            flash(_("The personal data was removed from the post, its earlier versions and "
                    "every copy."), "success")
            return redirect(safe_next(request.args.get("next"))
                            or post_url(post, thread))
    elif form.errors:
        status = 422
    return render_template("community/privacy/redact.html", post=post, thread=thread,
                           spans=spans, form=form, kind_labels=KIND_LABELS), status


# --- Admins -------------------------------------------------------------------------------------

@bp.get("/admin/privacy")
@login_required
def retention_page():
    require(current_user, "manage_privacy")
    return render_template("community/privacy/retention.html",
                           rules=privacy_retention.report(), totals=privacy_retention.totals(),
                           age=privacy_retention.age_in_days, pages=privacy_pages.PAGES,
                           locales=privacy_pages.LOCALES)


@bp.get("/admin/privacy/record")
@login_required
def record_page():
    require(current_user, "manage_privacy")
    return render_template("community/privacy/record.html", record=privacy_record.record(),
                           text=privacy_record.text)


@bp.route("/admin/privacy/pages/<name>/<locale>", methods=["GET", "POST"])
@login_required
def edit_page(name, locale):
    require(current_user, "manage_privacy")
    privacy_pages.check(name, locale)
    form = LegalPageForm(data=None if request.method == "POST" else
                         {"body": privacy_pages.source(name, locale)})
    status = 200
    if form.validate_on_submit():
        try:
            privacy_pages.save(current_user, name, locale, form.body.data)
        except ValidationError as error:
            db.session.rollback()
            apply_errors(form, error)
            status = 422
        else:
            flash(_("The page was saved."), "success")
            return redirect(url_for("privacy.retention_page", _anchor="pages"))
    elif form.errors:
        status = 422
    return render_template("community/privacy/edit_page.html", form=form, name=name,
                           locale=locale, title=privacy_pages.PAGES[name]), status


# --- Everyone -----------------------------------------------------------------------------------

def _legal(name):
    page = privacy_pages.page(name, str(get_locale() or "en"))
    rules = privacy.retention_rules() if name == "privacy" else []  # days only: no counting
    return render_template("community/privacy/page.html", name=name, page=page,
                           title=privacy_pages.PAGES[name], rules=rules)


@bp.get("/imprint")
def imprint():
    return _legal("imprint")


@bp.get("/privacy")
def policy():
    return _legal("privacy")
