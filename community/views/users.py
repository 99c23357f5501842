"""Public member profiles."""
from flask import Blueprint, redirect, request
from flask_login import current_user

from .. import reader_parts
from ..services import listing, read_marks
from ..template_helpers import user_url
from ..text import slugify

bp = Blueprint("users", __name__)


@bp.route("/u/<int:user_id>")
@bp.route("/u/<int:user_id>-<slug>")
def profile(user_id, slug=None):
    user = listing.user_profile(user_id)
    if slug != slugify(user.name):
        return redirect(user_url(user), code=301)
    tab = request.args.get("tab", "threads")
    page = listing.page_number(request.args.get("page"))
    if tab == "answers":
        items = listing.user_answers(user, page=page)
    elif tab == "accepted":
        items = listing.user_answers(user, page=page, accepted_only=True)
    else:
        tab = "threads"
        items = listing.list_threads(author=user, sort="newest", page=page, per_page=20)
    new_replies = read_marks.with_new_replies(current_user, items.items) \
        if tab == "threads" else set()
    return reader_parts.render("community/profile.html", user=user, tab=tab, items=items,
                               stats=listing.profile_stats(user), new_replies=new_replies)
