"""One post's moderation page: its flags, revisions, history and actions."""
from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from community.services import accounts, threads

from ..forms import PostActionForm
from ..labels import DECISION_REASONS, FLAG_REASONS, HOLD_REASONS
from ..services import audit, items, posts
from . import act, bp, guard


def _page(post, form=None, status=200):
    thread = threads.get_thread(post.thread_id)
    return render_template(
        "moderation/post.html", post=post, thread=thread, author=accounts.get_user(post.author_id),
        form=form or PostActionForm(formdata=None, data={"expected": post.visibility}),
        item=items.open_item(post.id), flags=posts.all_flags(post),
        revisions=posts.revisions(post),
        history=audit.search(target_type="post", target_id=post.id, per_page=50).items,
        allowed=[a for a, starts in posts.ALLOWED_FROM.items() if post.visibility in starts],
        labels={"flag": FLAG_REASONS, "hold": HOLD_REASONS, "decision": DECISION_REASONS}), status


@bp.get("/posts/<int:post_id>")
@login_required
def post_tools(post_id):
    guard("review")
    return _page(threads.get_post(post_id))


@bp.post("/posts/<int:post_id>")
@login_required
def post_action(post_id):
    guard("review")
    post = threads.get_post(post_id)
    form = PostActionForm()
    messages = {"hide": _("The post is hidden."), "delete": _("The post is deleted (soft)."),
                "restore": _("The post is visible again.")}
    return act(form, lambda: posts.moderate(current_user, post, form.action.data,
                                            form.expected.data, form.reason_code.data,
                                            form.reason.data),
               messages.get(form.action.data), url_for("moderation.post_tools", post_id=post_id),
               lambda f: _page(post, f, 422))
