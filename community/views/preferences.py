"""The language and theme switches in every page's menu and footer: a visitor's
choice is kept in a cookie, a member's language in their settings as well."""
from flask import Blueprint, abort, current_app, make_response, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..errors import ValidationError
from ..forms import ActionForm
from ..i18n import COOKIE_MAX_AGE, LANGUAGE_COOKIE, THEME_COOKIE, THEMES
from ..services import accounts
from ..template_helpers import safe_next

bp = Blueprint("preferences", __name__)


def _back():
    """Back to the page the switch was on; the page's script needs no page (204)."""
    if request.accept_mimetypes.best == "application/json":
        response = make_response("", 204)
        del response.headers["Content-Type"]
        return response
    return redirect(safe_next(request.form.get("next")) or url_for("forum.home"))


def _keep(response, name, value):
    response.set_cookie(name, value, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True)
    return response


@bp.post("/language")
def language():
    if not ActionForm().validate_on_submit():
        abort(400)
    locale = request.form.get("locale", "")
    if current_user.is_authenticated:
        accounts.set_locale(current_user, locale)
    elif locale not in current_app.config["LANGUAGES"]:
        raise ValidationError(_l("Unknown language."), fields={"locale": _l("Unknown language.")})
    response = _back()
    if not locale:  # a member's "as my browser says"
        response.delete_cookie(LANGUAGE_COOKIE)
        return response
    return _keep(response, LANGUAGE_COOKIE, locale)


@bp.post("/theme")
def theme():
    if not ActionForm().validate_on_submit():
        abort(400)
    choice = request.form.get("theme", "")
    if choice not in THEMES:
        raise ValidationError(_l("Unknown theme."), fields={"theme": _l("Unknown theme.")})
    response = _back()
    if choice == "auto":
        response.delete_cookie(THEME_COOKIE)
        return response
    return _keep(response, THEME_COOKIE, choice)
