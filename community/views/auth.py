"""Register, log in and out, account settings, API tokens."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from .. import client_ip
from ..services import accounts
from ..errors import Forbidden, RateLimited, ValidationError
from ..extensions import db
from ..forms import (ActionForm, LanguageForm, LoginForm, NameForm, PasswordForm, RegisterForm,
                     TokenForm, apply_errors)
from ..template_helpers import safe_next
from . import keep_text

bp = Blueprint("auth", __name__)


@bp.route("/register", methods=["GET", "POST"])
def register():
    # ``next`` stays in the query string: the form posts back to this same address.
    back = safe_next(request.args.get("next")) or url_for("forum.home")
    if current_user.is_authenticated:
        return redirect(back)
    form = RegisterForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = accounts.register(form.email.data, form.name.data, form.password.data,
                                     locale=_request_locale(), form=request.form.to_dict(),
                                     ip=client_ip())
        except (ValidationError, RateLimited) as error:
            db.session.rollback()
            apply_errors(form, error)
            status = error.status
        else:
            login_user(user)
            flash(_("Welcome, %(name)s! Your account is ready.", name=user.name), "success")
            return redirect(back)
    elif form.errors:
        status = 422
    return render_template("community/auth/register.html", form=form), status


def _request_locale():
    return request.accept_languages.best_match(("en", "de"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("forum.home"))
    form = LoginForm(next=request.args.get("next"))
    text = keep_text.carried_back(request.form)  # a form's text, through the login
    status = 200
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data, form.password.data, client_ip())
        except RateLimited as error:
            apply_errors(form, error)
            status = 429
        except Forbidden as error:
            form.form_errors.append(error.message)
            status = 403
        except ValidationError as error:
            apply_errors(form, error)
            status = 422
        else:
            # Without "keep me logged in" the session ends with the browser.
            login_user(user, remember=form.remember.data)
            flash(_("You are logged in."), "success")
            back = safe_next(form.next.data)
            if text and back and keep_text.resumable(back):
                return render_template("community/auth/resume.html", action=back,
                                       carried=text, resume=keep_text.RESUME)
            return redirect(back or url_for("forum.home"))
    elif form.errors:
        status = 422
    return render_template("community/auth/login.html", form=form, carried=text,
                           carry_prefix=keep_text.CARRY), status


@bp.route("/logout", methods=["POST"])
def logout():
    form = ActionForm()
    if form.validate_on_submit():
        logout_user()
        flash(_("You are logged out."), "info")
    return redirect(url_for("forum.home"))


def _settings_page(status=200, **forms):
    forms.setdefault("name_form", NameForm(prefix="name", name=current_user.name))
    forms.setdefault("password_form", PasswordForm(prefix="pw"))
    forms.setdefault("language_form", LanguageForm(prefix="lang", locale=current_user.locale or ""))
    forms.setdefault("token_form", TokenForm(prefix="tok"))
    return render_template("community/auth/settings.html", tokens=accounts.active_tokens(current_user),
                           revoke_form=ActionForm(), **forms), status


@bp.route("/settings")
@login_required
def settings():
    return _settings_page()


@bp.route("/settings/password", methods=["POST"])
@login_required
def change_password():
    form = PasswordForm(prefix="pw")
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, form.current_password.data,
                                     form.new_password.data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            login_user(current_user._get_current_object())  # new session version
            flash(_("Your password was changed. Other devices are logged out."), "success")
            return redirect(url_for("auth.settings"))
    return _settings_page(status=422, password_form=form)


@bp.route("/settings/name", methods=["POST"])
@login_required
def change_name():
    form = NameForm(prefix="name")
    if form.validate_on_submit():
        try:
            accounts.rename(current_user, form.name.data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            flash(_("Your display name is saved."), "success")
            return redirect(url_for("auth.settings"))
    return _settings_page(status=422, name_form=form)


@bp.route("/settings/language", methods=["POST"])
@login_required
def change_language():
    form = LanguageForm(prefix="lang")
    if form.validate_on_submit():
        accounts.set_locale(current_user, form.locale.data)
        return redirect(url_for("auth.settings"))
    return _settings_page(status=422, language_form=form)


@bp.route("/settings/tokens", methods=["POST"])
@login_required
def create_token():
    form = TokenForm(prefix="tok")
    if form.validate_on_submit():
        token, plaintext = accounts.create_token(current_user, form.name.data)
        return _settings_page(new_token=plaintext, new_token_name=token.name)
    return _settings_page(status=422, token_form=form)


@bp.route("/settings/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id):
    form = ActionForm()
    if form.validate_on_submit():
        accounts.revoke_token(current_user, token_id)
        flash(_("The token was revoked."), "info")
    return redirect(url_for("auth.settings"))
