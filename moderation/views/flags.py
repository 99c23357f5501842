"""Members flag a post."""
from flask import render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from community.services import threads
from community.errors import NotFound
from community.permissions import can

from ..forms import FlagForm
from ..services import flags
from . import act, bp, guard


def _visible_post(post_id):
    """404 for posts the member may not see: a flag form must not reveal them."""
    post = threads.get_post(post_id)
    if not can(current_user, "view_post", post):
        raise NotFound(_l("This post does not exist."))
    return post, threads.get_thread(post.thread_id)


@bp.route("/flag/<int:post_id>", methods=["GET", "POST"])
@login_required
def flag(post_id):
    post, thread = _visible_post(post_id)
    guard("flag", post)
    form = FlagForm()
    existing = flags.my_flag(current_user, post)

    def page(form, status=200):
        return render_template("moderation/flag.html", form=form, post=post, thread=thread,
                               existing=existing), status

    if existing is not None or not form.is_submitted():
        return page(form)
    return act(form, lambda: flags.flag_post(current_user, post, form.reason.data, form.text.data),
               _("Thank you. The moderators will look at this post."),
               url_for("threads.post", post_id=post.id), lambda f: page(f, 422))
