"""Thread pages, asking, replying, editing, helpful votes, accepted answers, preview."""
from flask import (Blueprint, abort, current_app, flash, jsonify, redirect, render_template,
                   request, url_for)
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from .. import markup, page_cache, reader_parts
from ..services import categories, listing, read_marks, threads
from ..errors import Conflict, Forbidden, NotFound, RateLimited, ValidationError
from ..extensions import db
from ..forms import ActionForm, AskForm, EditForm, ReplyForm, apply_errors, confirmations
from ..notifications import service as notifications
from ..permissions import can, is_moderator, require
from ..template_helpers import post_page, post_url, thread_url
from .actions import press
from .keep_text import keeps_text, posted_from, resuming, token_expired

bp = Blueprint("threads", __name__)
bp.record_once(lambda state: page_cache.init_app(state.app))

# Refusals shown at the form, with the member's text kept: a rate limit, a sanction
# or a thread closed since the form was loaded (keep_text.py: lost sessions, tokens).
FORM_ERRORS = (ValidationError, RateLimited, Forbidden, Conflict)


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
@page_cache.cached(page_cache.thread_version)
def show(thread_id, slug=None, reply_form=None, status=200, preview=None):
    page = listing.page_number(request.args.get("page"))
    me = current_user._get_current_object()
    # A member's page in two steps (reader_parts.py): the skeleton every reader of
    # these posts gets, from the cache when its version is there (then the posts'
    # texts are not even loaded), and the member's own parts.
    key = version = skeleton = None
    if _may_share(me, reply_form, preview):
        key, version, skeleton = reader_parts.for_member(page_cache.thread_version,
                                                         thread_id, slug)
    view = listing.thread_page(thread_id, me, page=page, per_page=_per_page(),
                               texts=skeleton is None)
    if not view.same_for_everyone and key is not None:
        key = version = None   # their own pending reply is on it: rendered for them alone
        if skeleton is not None:
            skeleton = None
            view = listing.thread_page(thread_id, me, page=page, per_page=_per_page())
    if slug != view.thread.slug and request.method == "GET":
        return redirect(thread_url(view.thread, page=page), code=301)
    new_elsewhere = False
    if me.is_authenticated:
        notifications.mark_thread_read(me, view.thread)  # the bell below shows the rest
        shown = [view.question, *view.replies.items] + ([view.accepted] if view.accepted else [])
        new_elsewhere = read_marks.read(me, view.thread, shown)
    action_form = ActionForm()
    body = reader_parts.render(
        "community/thread.html", key=key, version=version, skeleton=skeleton, view=view,
        thread=view.thread, me=me, reply_form=reply_form or ReplyForm(),
        action_form=action_form, preview=preview, new_elsewhere=new_elsewhere,
        posts={p.id: p for p in (view.question, view.accepted, *view.replies.items) if p},
        shared=post_page(view.thread, me, view.my_votes,
                         action_form.csrf_token() if me.is_authenticated else ""))
    return body, status


def _may_share(me, reply_form, preview):
    """Whether to look for a kept skeleton: not for a form sent back with its errors or
    a preview, nor for moderators, who see hidden posts too (``thread_page`` says
    whether the reader sees what everyone sees; this spares them a look that fails)."""
    return reply_form is None and preview is None and not is_moderator(me)


@bp.route("/t/<int:thread_id>/new")
@login_required
def first_new(thread_id):
    """The first reply the member has not seen yet (or the thread's last page)."""
    thread = threads.get_thread(thread_id)
    if not can(current_user, "view_thread", thread):   # as the thread page: no such thread
        raise NotFound(_("This thread does not exist."))
    post = read_marks.first_new(current_user, thread)
    if post is None:
        return redirect(thread_url(thread))
    return redirect(post_url(post, thread, page=listing.post_page(post, current_user,
                                                                   _per_page())))


@bp.route("/p/<int:post_id>")
def post(post_id):
    post = threads.get_post(post_id)
    thread = threads.get_thread(post.thread_id)
    require(current_user, "view_post", post)
    return redirect(post_url(post, thread, page=listing.post_page(post, current_user,
                                                                   _per_page())))


@bp.route("/ask", methods=["GET", "POST"])
@keeps_text
def ask():
    form = AskForm(category=request.args.get("category"))
    form.category.choices = [SelectChoice(c.slug, c.name) for c in categories.all_categories()]
    preview = None
    status = 200
    if resuming():
        pass
    elif form.validate_on_submit():
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
                posted_from(request.path)
                return redirect(thread_url(thread))
    elif token_expired(form):
        status = 400
    elif form.errors:
        status = 422
    return render_template("community/ask.html", form=form, preview=preview,
                           category=_chosen(form)), status


def _chosen(form):
    """The category the ask form has chosen, for the notice above it."""
    return categories.find_by_slug(form.category.data) if form.category.data else None


@bp.route("/t/<int:thread_id>/reply", methods=["POST"])
@keeps_text
def reply(thread_id):
    thread = threads.get_thread(thread_id)
    form = ReplyForm()
    if resuming():
        return show(thread_id, thread.slug, reply_form=form)
    if not form.validate_on_submit():
        return show(thread_id, thread.slug, reply_form=form,
                    status=400 if token_expired(form) else 422)
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
    posted_from(request.path)
    return redirect(url_for("threads.post", post_id=post.id))


@bp.route("/p/<int:post_id>/edit", methods=["GET", "POST"])
@keeps_text
def edit(post_id):
    post = threads.get_post(post_id)
    if not _may_edit(post):
        # The notice says why (a sanction); the form is not shown.
        return render_template("community/edit.html", form=None, post=post, thread=None), 403
    thread = threads.get_thread(post.thread_id)
    tags = ", ".join(t.name for t in threads.load_tags(thread)) if post.is_question else ""
    form = EditForm(data={"body": post.body, "title": thread.title, "tags": tags}
                    if request.method == "GET" else None)
    preview, status = None, 200
    if resuming():
        pass
    elif form.validate_on_submit():
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
    elif token_expired(form):
        status = 400
    elif form.errors:
        status = 422
    return render_template("community/edit.html", form=form, post=post, thread=thread,
                           preview=preview), status


def _may_edit(post):
    """Whether the edit form is shown. Its author gets it back with what they sent even
    when refused now (sanctioned, locked since): the refusal stands at the form."""
    if can(current_user, "edit_post", post):
        return True
    return request.method == "POST" and post.author_id == current_user.id


def _action(post_id, act):
    """POST buttons on a post: CSRF, one service call, commit, back to the post."""
    press(lambda: act(threads.get_post(post_id)))
    if wants_json():
        return jsonify(ok=True)
    return redirect(url_for("threads.post", post_id=post_id))


def wants_json():
    return request.accept_mimetypes.best == "application/json"


@bp.route("/p/<int:post_id>/helpful", methods=["POST"])
@login_required
def helpful(post_id):
    if wants_json():
        return _helpful_json(post_id)

    def act(post):
        voted = threads.toggle_helpful(current_user, post)
        return _("Marked as helpful.") if voted else _("Your vote was taken back.")
    return _action(post_id, act)


def _helpful_json(post_id):
    """The page's script votes without leaving the page: what the button and the count
    say now. A refusal is the error page's status, and the script submits the form."""
    if not ActionForm().validate_on_submit():
        abort(400)
    post = threads.get_post(post_id)
    voted = threads.toggle_helpful(current_user, post)
    count = post.helpful_count
    return jsonify(voted=voted, count=count,
                   label=_("Undo helpful") if voted else _("Helpful"),
                   count_text=ngettext("%(num)s person found this helpful",
                                       "%(num)s people found this helpful", count),
                   message=_("Marked as helpful.") if voted else _("Your vote was taken back."))


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
