"""Globals and filters for Jinja templates."""
import json
from dataclasses import dataclass
from datetime import timezone
from functools import lru_cache
from urllib.parse import urlsplit

from flask import g, request, url_for
from babel import dates as babel_dates
from flask_babel import format_date, get_locale, get_timezone
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from . import clock, formats, hooks, permissions
from .text import slugify
from .i18n import LANGUAGE_NAMES, THEMES, current_theme

# What each ``badge(kind)`` of templates/macros.html says unless given a text.
BADGE_LABELS = {
    "solved": _l("Solved"), "closed": _l("Closed"), "unanswered": _l("Unanswered"),
    "pinned": _l("Pinned"), "accepted": _l("Accepted answer"), "official": _l("Official answer"),
    "pending": _l("Awaiting review"), "hidden": _l("Hidden"), "deleted": _l("Deleted"),
    "visible": _l("Visible"), "moderator": _l("Moderator"), "agent": _l("Support team"),
    "admin": _l("Administrator"),
}


def thread_url(thread, page=None, _external=False, **kwargs):
    if page and page > 1:
        kwargs["page"] = page
    return url_for("threads.show", thread_id=thread.id, slug=thread.slug, _external=_external,
                   **kwargs)


def post_url(post, thread, page=1, _external=False):
    return thread_url(thread, page=page, _external=_external, _anchor=f"post-{post.id}")


@lru_cache(maxsize=16384)
def _cached_slug(text):
    return slugify(text)


def user_url(user):
    return url_for("users.profile", user_id=user.id, slug=_cached_slug(user.name))


class UrlPattern:
    """``url_for(endpoint, **values)`` for many values of ``keys``: built once by url_for,
    then filled in (a page of 200 posts needs 200 such links per action)."""

    def __init__(self, endpoint, *keys, **fixed):
        # Sentinels the URL map accepts for any converter (int or string) and that no
        # other part of the URL contains.
        sentinels = {key: str(2_147_483_600 + n) for n, key in enumerate(keys)}
        url = url_for(endpoint, **{k: int(v) for k, v in sentinels.items()}, **fixed)
        self.parts, self.order = [url], []
        for key, sentinel in sentinels.items():
            *before, last = self.parts
            head, found, tail = last.partition(sentinel)
            if not found:
                raise ValueError(f"{endpoint}: {key} does not appear in {url}")
            self.parts = [*before, head, tail]
            self.order.append(keys.index(key))

    def __call__(self, *values):
        out = [self.parts[0]]
        for index, part in zip(self.order, self.parts[1:]):
            out.append(str(values[index]))
            out.append(part)
        return "".join(out)


@dataclass
class PostPage:
    """What every post of a page shares, worked out once for ``post_card`` (macros.html):
    the reader, whether they may accept answers, the CSRF field, the reader's helpful
    votes and the URL patterns of the post's links and buttons."""
    me: object
    signed_in: bool
    may_accept: bool
    csrf: object
    my_votes: set
    urls: dict
    labels: dict = None

    def actions(self, post, accepted, thread, feature_hooks):
        """The buttons under ``post`` for this reader (``part('post_actions')`` of
        _reader_parts.html): helpful, accept, edit, then the features' links. Built as
        strings, not by a macro: a member's thread page fills them for every post on
        every request (a macro per post was a third of the page's CPU)."""
        urls, csrf, out = self.urls, self.csrf, []
        if not post.is_question:
            if self.signed_in and permissions.can(self.me, "vote_helpful", post):
                voted = post.id in self.my_votes
                out.append(
                    f'<form class="inline" method="post" action="{urls["helpful"](post.id)}"'
                    f' data-helpful>{csrf}<button type="submit" class="vote'
                    f'{" voted" if voted else ""}" aria-pressed="{"true" if voted else "false"}">'
                    f'{_icon("thumb")}<span data-label>'
                    f'{self.labels["undo_helpful" if voted else "helpful"]}</span></button></form>')
            if self.may_accept and post.visibility == "visible":
                if accepted:
                    out.append(f'<form class="inline" method="post" '
                               f'action="{urls["unaccept"](post.id)}">{csrf}<button '
                               f'type="submit">{self.labels["unaccept"]}</button></form>')
                else:
                    out.append(f'<form class="inline" method="post" '
                               f'action="{urls["accept"](post.id)}">{csrf}<button type="submit" '
                               f'class="accept">{_icon("check")}{self.labels["accept"]}'
                               f'</button></form>')
        if self.signed_in and permissions.can(self.me, "edit_post", post):
            out.append(f'<a class="button" href="{urls["edit"](post.id)}">'
                       f'{self.labels["edit"]}</a>')
        out.extend(html for html in (str(hook(post, thread)) for hook in feature_hooks) if html)
        return Markup("\n".join(out))


def _icon(name):
    """As the ``icon`` macro of macros.html."""
    return f'<span class="icon icon-{name}" aria-hidden="true"></span>'


ACTION_LABELS = {
    "helpful": _l("Helpful"), "undo_helpful": _l("Undo helpful"),
    "accept": _l("Accept this answer"), "unaccept": _l("Remove accepted answer"),
    "edit": _l("Edit"),
}


def _action_labels():
    """The buttons' labels, translated once per page."""
    return {name: escape(str(text)) for name, text in ACTION_LABELS.items()}


def post_page(thread, me, my_votes=(), csrf=""):
    signed_in = bool(me.is_authenticated)
    urls = {name: UrlPattern(endpoint, "post_id") for name, endpoint in (
        ("post", "threads.post"), ("helpful", "threads.helpful"), ("accept", "threads.accept"),
        ("unaccept", "threads.unaccept"), ("edit", "threads.edit"))}
    urls["user"] = UrlPattern("users.profile", "user_id", "slug")
    return PostPage(me=me, signed_in=signed_in,
                    may_accept=signed_in and permissions.can(me, "accept_answer", thread),
                    csrf=csrf if signed_in else "", my_votes=set(my_votes), urls=urls,
                    labels=_action_labels() if signed_in else {})


def thread_state(thread):
    """The badge a thread gets in lists and on its page: solved, closed, unanswered or None."""
    status = thread.public_status
    if status in ("solved", "closed"):
        return status
    return "unanswered" if thread.reply_count == 0 else None


def staff_label(user):
    """What a staff member's badge says (their title, else their role), None for customers."""
    if user.role == "customer":
        return None
    return user.staff_title or BADGE_LABELS.get(user.role)


def safe_next(target):
    """``target`` when it is a path on this site, else None (an open redirect otherwise).
    Browsers read "/\\host" and "/<tab>/host" as "//host", so those are refused too."""
    if (not target or not target.startswith("/") or target[1:2] in ("/", "\\")
            or any(ord(c) < 33 or c == "\\" for c in target) or urlsplit(target).netloc):
        return None
    return target


def here():
    """The current page's path and query, for a form to come back to."""
    return request.full_path.rstrip("?") if request.method == "GET" else request.path


def page_url(page, **kwargs):
    args = {**request.view_args, **request.args.to_dict(), **kwargs, "page": page}
    if page == 1:
        args.pop("page")
    return url_for(request.endpoint, **args)


def stored_html(html):
    """Mark post HTML safe: it was sanitized by community.markup when it was written."""
    return Markup(html or "")


# Localized dates and numbers, Babel's patterns parsed once per locale (formats.py).
dt = formats.dt


def when(value):
    """A short time for lists: the time for today, else the date (the full moment is
    the element's title)."""
    if not value:
        return ""
    tz = get_timezone()
    local = value.replace(tzinfo=timezone.utc).astimezone(tz)
    today = clock.now().replace(tzinfo=timezone.utc).astimezone(tz).date()
    locale = str(get_locale() or "en")
    if local.date() == today:
        return babel_dates.format_time(local, "short", locale=locale)
    return babel_dates.format_date(local.date(), "short", locale=locale)


def iso(value):
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else ""


def json_ld(data):
    """A JSON-LD block; '<', '>' and '&' escaped so no text can close the script element."""
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">{text}</script>')


def qa_page_data(view):
    """schema.org QAPage for the thread page: the question, its accepted answer and the
    other answers shown on this page."""
    from .markup import plain_text
    thread = view.thread

    def answer(post):
        return {"@type": "Answer", "text": plain_text(post.body_html),
                "dateCreated": iso(post.created_at), "upvoteCount": post.helpful_count,
                "url": url_for("threads.post", post_id=post.id, _external=True),
                "author": {"@type": "Person", "name": post.author.name}}

    question = {"@type": "Question", "name": thread.title,
                "text": plain_text(view.question.body_html), "answerCount": thread.reply_count,
                "dateCreated": iso(view.question.created_at),
                "author": {"@type": "Person", "name": view.question.author.name}}
    if view.accepted is not None and view.accepted.visibility == "visible":
        question["acceptedAnswer"] = answer(view.accepted)
    suggested = [answer(p) for p in view.replies.items
                 if p.visibility == "visible" and p.id != thread.accepted_post_id]
    if suggested:
        question["suggestedAnswer"] = suggested
    return {"@context": "https://schema.org", "@type": "QAPage", "mainEntity": question}


def init_app(app):
    @app.context_processor
    def navigation():
        # Once per request: every render_template (a page, and the banners and
        # notices its hooks render) runs the context processors again.
        if "nav_items" not in g:
            from flask_login import current_user
            g.nav_items = [{"url": url_for(endpoint), "label": label}
                           for endpoint, label, capability in hooks.registered("nav.link", app=app)
                           if permissions.can(current_user, capability)]
        return {"nav_items": g.nav_items}

    app.jinja_env.globals.update(
        can=permissions.can, thread_url=thread_url, qa_page_data=qa_page_data, post_url=post_url,
        user_url=user_url,
        page_url=page_url, get_locale=get_locale, LANGUAGE_NAMES=LANGUAGE_NAMES,
        THEMES=THEMES, current_theme=current_theme, BADGE_LABELS=BADGE_LABELS,
        post_page=post_page, thread_state=thread_state, staff_label=staff_label, here=here,
        site_name=lambda: app.config["SITE_NAME"],
        has_endpoint=lambda endpoint: endpoint in app.view_functions,
        # The template.* hooks of community/hooks.py: callables returning Markup.
        post_action_hooks=hooks.registered("template.post_actions", app=app),
        thread_banner_hooks=hooks.registered("template.thread_banner", app=app),
        ask_form_hooks=hooks.registered("template.ask_form", app=app),
        write_notice_hooks=hooks.registered("template.write_notice", app=app),
        register_form_hooks=hooks.registered("template.register_form", app=app),
    )
    app.jinja_env.filters.update(
        stored_html=stored_html, dt=dt, when=when, iso=iso, number=formats.number,
        date=lambda v, fmt="medium": format_date(v, fmt) if v else "", json_ld=json_ld,
        slug=_cached_slug,
    )
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.add_extension("jinja2.ext.do")
