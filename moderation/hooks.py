"""Moderation on the core's pages: links under posts, thread banners, the notice
above a writing form, the registration honeypot, the merged-thread redirect and the
login veto."""
import functools

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import bindparam, select

from community import clock
from community.extensions import db
from community.permissions import can
from community.template_helpers import thread_url

from . import cache
from .services import notices, sanctions, spam, standing, threadtools

HONEYPOT_FIELD = "website"


def _prefix(endpoint):
    """URL of ``endpoint`` without its trailing post id, built once per request."""
    return cache.memo("prefix", endpoint, lambda: url_for(endpoint, post_id=0)[:-1])


def post_actions(post, thread):
    """Under each post: "Moderate" for moderators, "Flag" for members who may flag.
    Called for every post of a page, so it must not query the database."""
    user = current_user._get_current_object()
    if not user.is_authenticated:
        return ""
    parts = []
    if cache.memo("may_review", user.id, lambda: can(user, "review")):
        parts.append(_link("moderate", post.id))
    elif can(user, "flag", post):
        parts.append(_link("flag", post.id))
    if user.id == post.author_id and post.edited_by_id not in (None, post.author_id):
        reason = _edit_reasons(user.id, thread.id).get(post.id)
        text = _("Edited by a moderator: %(reason)s", reason=reason) if reason else \
            _("Edited by a moderator.")
        parts.append(Markup('<span class="meta moderation-note">{}</span>').format(text))
    return Markup(" ").join(parts)


def _link(kind, post_id):
    """The "Moderate" or "Flag" link of a post: the link made once per request, the
    post's id put in (a page has one per post)."""
    before, after = cache.memo("post_link", kind, lambda: _link_parts(kind))
    return Markup(f"{before}{post_id}{after}")


def _link_parts(kind):
    if kind == "moderate":
        html = Markup('<a class="moderate" href="{}\x00">{}</a>').format(
            _prefix("moderation.post_tools"), _("Moderate"))
    else:
        html = Markup('<a class="flag" href="{}\x00" rel="nofollow">{}</a>').format(
            _prefix("moderation.flag"), _("Flag"))
    before, _sep, after = str(html).partition("\x00")
    return before, after


def _edit_reasons(user_id, thread_id):
    return cache.memo("edit_reasons", (user_id, thread_id),
                      lambda: notices.edit_reasons(user_id, thread_id))


def thread_banner(thread):
    user = current_user
    sanction = sanctions.active(user.id) if user.is_authenticated else None
    return Markup(render_template("moderation/_thread_banner.html", thread=thread,
                                  state=threadtools.state_of(thread.id), sanction=sanction,
                                  until=sanctions.until_text(sanction) if sanction else "",
                                  may_review=can(user, "review")))


def write_notice(action, target):
    """The core's ``template.write_notice`` hook: above the ask, reply and edit forms,
    what the member's text would meet: a sanction (the form is not shown then), a
    review before it appears, the new members' rate. Edits are neither reviewed first
    nor counted in the rate."""
    user = current_user._get_current_object()
    if not user.is_authenticated:
        return ""
    sanction = sanctions.active(user.id)
    if sanction is None and action == "edit":
        return ""
    if sanction is not None:
        where = None
    elif action == "reply":
        where = standing.for_thread(user, target)
    else:
        where = standing.for_ask(user, target)
    if sanction is None and where == standing.NOTHING:
        return ""
    return Markup(render_template(
        "moderation/_write_notice.html", action=action, sanction=sanction, standing=where,
        until=sanctions.until_text(sanction) if sanction else "",
        reason=sanctions.reason_of(sanction) if sanction else ""))


def honeypot_field(form):
    return Markup(render_template("moderation/_honeypot.html", name=HONEYPOT_FIELD))


def honeypot_check(form):
    """The ``account.registration_check`` hook: only bots fill the hidden field."""
    if (form.get(HONEYPOT_FIELD) or "").strip():
        return _("We could not create this account. Please try again.")
    return None


def redirect_merged_thread():
    """On the thread page: load the thread's marks, the reader's sanction and standing
    (for the reply form's notice) in one statement (the page has a fixed query budget),
    and send the address of a thread merged into another to that thread."""
    if request.endpoint != "threads.show":
        return None
    thread_id = request.view_args.get("thread_id")
    user = current_user
    signed_in = user.is_authenticated
    customer = signed_in and not user.is_staff   # what the reply form's notice tells
    params = {"thread_id": thread_id}
    if signed_in:
        params.update(user_id=user.id, now=clock.now(), window_start=spam.rate_window_start())
    row = db.session.execute(_thread_statement(signed_in, customer), params).one()
    marks = threadtools.remember_marks(thread_id, row)
    if signed_in:
        sanctions.remember_active(user.id, row[3])
        if customer:
            standing.remember(user, thread_id, row[4:])
    if marks.merged_into is not None:
        return redirect(thread_url(marks.merged_into), code=301)
    return None


@functools.cache
def _thread_statement(signed_in, customer):
    """Built once per process and kind of reader: read on every thread page."""
    thread_id, user_id = bindparam("thread_id"), bindparam("user_id")
    columns = threadtools.marks_columns(thread_id)
    if signed_in:
        columns.append(sanctions.active_id_column(user_id, bindparam("now")))
    if customer:
        columns += standing.thread_columns(user_id, thread_id, bindparam("window_start"))
    return select(*columns)
