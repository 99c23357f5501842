"""Thread pages, asking, replying, editing, helpful votes, accepted answers, preview."""
from flask import (Blueprint, current_app, flash, jsonify, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from .. import markup
from ..services import categories, listing, threads
from ..errors import RateLimited, ValidationError
from ..extensions import db
from ..forms import ActionForm, AskForm, EditForm, ReplyForm, apply_errors, confirmations
from ..permissions import require
from ..template_helpers import post_url, thread_url
from .actions import press

bp = Blueprint("threads", __name__)

# Refusals shown at the form, with the member's text kept (a feature may rate-limit).
FORM_ERRORS = (ValidationError, RateLimited)


def _refusal_page(error):
    """Roll back a refused write; the page a feature renders for it (the private-data
    warning), or None to show the errors at the form."""
    db.session.rollback()
    page = getattr(error, "page", None)
    return page() if page is not None else None


def _per_page():
    return current_app.config["POSTS_PER_PAGE"]


@bp.route("/t/<int:thread_id>")
@bp.route("/t/<int:thread_id>-<slug>")
def show(thread_id, slug=None, reply_form=None, status=200, preview=None):
    page = listing.page_number(request.args.get("page"))
    view = listing.thread_page(thread_id, current_user, page=page, per_page=_per_page())
    if slug != view.thread.slug and request.method == "GET":
        return redirect(thread_url(view.thread, page=page), code=301)
    return render_template("community/thread.html", view=view, thread=view.thread,
                           me=current_user._get_current_object(),
                           reply_form=reply_form or ReplyForm(), action_form=ActionForm(),
                           preview=preview), status


@bp.route("/p/<int:post_id>")
def post(post_id):
    post = threads.get_post(post_id)
    thread = threads.get_thread(post.thread_id)
    require(current_user, "view_post", post)
    return redirect(post_url(post, thread, page=listing.post_page(post, current_user,
                                                                   _per_page())))


@bp.route("/ask", methods=["GET", "POST"])
@login_required
def ask():
    form = AskForm(category=request.args.get("category"))
    form.category.choices = [SelectChoice(c.slug, c.name) for c in categories.all_categories()]
    preview = None
    status = 200
    if form.validate_on_submit():
        if form.preview.data:
            preview = markup.render(form.body.data)
        else:
            try:
                thread = threads.create_thread(current_user, categories.get_by_slug(form.category.data),
                                               form.title.data, form.body.data, form.tags.data,
                                               confirmed=confirmations(request.form))
            except FORM_ERRORS as error:
                if (page := _refusal_page(error)) is not None:
                    return page
                apply_errors(form, error)
                status = error.status
            else:
                if thread.visibility == "pending":
                    flash(_("Thanks! Your question will be visible to everyone once a moderator "
                            "has reviewed it."), "info")
                return redirect(thread_url(thread))
    elif form.errors:
        status = 422
    return render_template("community/ask.html", form=form, preview=preview), status


@bp.route("/t/<int:thread_id>/reply", methods=["POST"])
@login_required
def reply(thread_id):
    thread = threads.get_thread(thread_id)
    form = ReplyForm()
    if not form.validate_on_submit():
        return show(thread_id, thread.slug, reply_form=form, status=422)
    if form.preview.data:
        return show(thread_id, thread.slug, reply_form=form, preview=markup.render(form.body.data))
    try:
        post = threads.reply(current_user, thread, form.body.data,
                             confirmed=confirmations(request.form))
    except FORM_ERRORS as error:
        if (page := _refusal_page(error)) is not None:
            return page
        apply_errors(form, error)
        return show(thread_id, thread.slug, reply_form=form, status=error.status)
    if post.visibility == "pending":
        flash(_("Thanks! Your answer will be visible to everyone once a moderator has reviewed it."),
              "info")
    return redirect(url_for("threads.post", post_id=post.id))


@bp.route("/p/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit(post_id):
    post = threads.get_post(post_id)
    require(current_user, "edit_post", post)
    thread = threads.get_thread(post.thread_id)
    tags = ", ".join(t.name for t in threads.load_tags(thread)) if post.is_question else ""
    form = EditForm(data={"body": post.body, "title": thread.title, "tags": tags}
                    if request.method == "GET" else None)
    preview, status = None, 200
    if form.validate_on_submit():
        if form.preview.data:
            preview = markup.render(form.body.data)
        else:
            try:
                threads.edit_post(current_user, post, form.body.data,
                                  title=form.title.data if post.is_question else None,
                                  tags=form.tags.data if post.is_question else None,
                                  reason=form.reason.data, confirmed=confirmations(request.form))
            except FORM_ERRORS as error:
                if (page := _refusal_page(error)) is not None:
                    return page
                apply_errors(form, error)
                status = error.status
            else:
                return redirect(url_for("threads.post", post_id=post.id))
    elif form.errors:
        status = 422
    return render_template("community/edit.html", form=form, post=post, thread=thread,
                           preview=preview), status


def _action(post_id, act):
    """POST buttons on a post: CSRF, one service call, commit, back to the post."""
    press(lambda: act(threads.get_post(post_id)))
    if request.accept_mimetypes.best == "application/json":
        return jsonify(ok=True)
    return redirect(url_for("threads.post", post_id=post_id))


@bp.route("/p/<int:post_id>/helpful", methods=["POST"])
@login_required
def helpful(post_id):
    def act(post):
        voted = threads.toggle_helpful(current_user, post)
        return _("Marked as helpful.") if voted else _("Your vote was taken back.")
    return _action(post_id, act)


@bp.route("/p/<int:post_id>/accept", methods=["POST"])
@login_required
def accept(post_id):
    def act(post):
        threads.accept_answer(current_user, post)
        return _("This answer is now the accepted answer.")
    return _action(post_id, act)


@bp.route("/p/<int:post_id>/unaccept", methods=["POST"])
@login_required
def unaccept(post_id):
    def act(post):
        thread = threads.get_thread(post.thread_id)
        if thread.accepted_post_id == post.id:
            threads.remove_accepted_answer(current_user, thread)
        return _("The thread has no accepted answer now.")
    return _action(post_id, act)


@bp.route("/preview", methods=["POST"])
@login_required
def preview():
    """Rendered HTML of Markdown, for the live preview of the editors."""
    body = request.form.get("body", "")
    return jsonify(html=markup.render(body[:50_000]))
