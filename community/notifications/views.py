"""Pages of notifications: the list, watch buttons, settings, one-click unsubscribe.
Each handler loads (404), checks (403), calls one service function, commits once."""
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from .. import hooks
from ..services import categories, listing, threads
from ..errors import NotFound, ValidationError
from ..extensions import csrf, db
from ..forms import ActionForm, apply_errors
from ..models import User
from ..permissions import require
from ..template_helpers import thread_url
from . import links, preferences, service
from .forms import preferences_form
from .kinds import KINDS
from .present import describe

bp = Blueprint("notifications", __name__)
PER_PAGE = 30


@bp.get("/notifications")
@login_required
def index():
    require(current_user, "signed_in")
    page = service.page_for(current_user, listing.page_number(request.args.get("page")), PER_PAGE)
    items = [describe(current_user, n, url_for) for n in page.items]
    return render_template("community/notifications/index.html", page=page, items=items,
                           action_form=ActionForm())


@bp.get("/notifications/count")
@login_required
def count():
    """The bell's number, for the page's script when the member returns to the tab."""
    require(current_user, "signed_in")
    response = jsonify(unread=current_user.unread_notifications or 0)
    response.cache_control.no_store = True
    return response


@bp.get("/notifications/<int:notification_id>")
@login_required
def open_notification(notification_id):
    """Follow a notification: it is marked read and leads to what it is about."""
    require(current_user, "signed_in")
    notification = service.get_notification(current_user, notification_id)
    if notification is None:
        abort(404)
    target = describe(current_user, notification, url_for).url
    service.mark_read(current_user, [notification.id])
    return redirect(target or url_for("notifications.index"))


@bp.post("/notifications/<int:notification_id>/read")
@login_required
def mark_read(notification_id):
    require(current_user, "signed_in")
    service.mark_read(current_user, [notification_id])
    return redirect(url_for("notifications.index"))


@bp.post("/notifications/read")
@login_required
def mark_all_read():
    require(current_user, "signed_in")
    service.mark_all_read(current_user)
    flash(_("All notifications are marked as read."), "success")
    return redirect(url_for("notifications.index"))


@bp.post("/t/<int:thread_id>/watch")
@login_required
def watch_thread(thread_id):
    thread = threads.get_thread(thread_id)
    service.watch_thread(current_user, thread)
    flash(_("You are watching this question: you will be told about new answers."), "success")
    return redirect(thread_url(thread))


@bp.post("/t/<int:thread_id>/unwatch")
@login_required
def unwatch_thread(thread_id):
    thread = threads.get_thread(thread_id)
    service.unwatch_thread(current_user, thread)
    flash(_("You no longer watch this question."), "info")
    return redirect(thread_url(thread))


@bp.post("/c/<slug>/watch")
@login_required
def watch_category(slug):
    category = categories.get_by_slug(slug)
    service.watch_category(current_user, category)
    flash(_("You are watching this category: you will be told about new questions."), "success")
    return redirect(url_for("forum.category", slug=category.slug))


@bp.post("/c/<slug>/unwatch")
@login_required
def unwatch_category(slug):
    category = categories.get_by_slug(slug)
    service.unwatch_category(current_user, category)
    flash(_("You no longer watch this category."), "info")
    return redirect(url_for("forum.category", slug=category.slug))


@bp.route("/settings/notifications", methods=["GET", "POST"])
@login_required
def settings():
    require(current_user, "signed_in")
    form = preferences_form(current_user)
    if form.validate_on_submit():
        try:
            preferences.set_preferences(current_user, form.choices(),
                                        auto_subscribe=form.auto_subscribe.data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            flash(_("Your notification settings are saved."), "success")
            return redirect(url_for("auth.settings", _anchor="notifications"))
    status = 422 if form.errors else 200
    return render_template("community/notifications/settings.html", form=form), status


def _unsubscribe_target(token):
    parsed = links.read_unsubscribe_token(token)
    user = db.session.get(User, parsed[0]) if parsed else None
    if user is None:
        raise NotFound(_("This link is not valid. Please use the link from your latest e-mail "
                         "or change your settings after logging in."))
    return user, [kind for kind in parsed[1] if kind in KINDS]


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token):
    """The List-Unsubscribe link: GET asks for confirmation; POST (the confirm
    button, or a mail client's one-click "List-Unsubscribe=One-Click") unsubscribes.
    No login and no CSRF token: the signed token is the authorization."""
    user, kinds = _unsubscribe_target(token)
    labels = [KINDS[kind].label for kind in kinds]
    if request.method == "POST":
        preferences.stop_email(user, kinds)
        return render_template("community/notifications/unsubscribed.html", labels=labels)
    return render_template("community/notifications/unsubscribe.html", labels=labels,
                           address=_masked(user.email))


def _masked(address):
    local, _at, domain = address.partition("@")
    return f"{local[:1]}…@{domain}"


def thread_banner(thread):
    """Watch / stop watching under the thread title (one query, signed-in readers only)."""
    if not current_user.is_authenticated:
        return Markup("")
    return Markup(render_template("community/notifications/_watch_thread.html", thread=thread,
                                  watching=service.is_watching_thread(current_user, thread)))


def category_watching(category):
    """For ``_watch_category.html``: None for visitors, else whether they watch."""
    if not current_user.is_authenticated:
        return None
    return service.is_watching_category(current_user, category)


def init_app(app):
    hooks.add(app, "template.thread_banner", thread_banner)
    app.jinja_env.globals.update(
        category_watching=category_watching,
        notification_settings_form=lambda: preferences_form(current_user, display_only=True))
