"""Globals and filters for Jinja templates."""
import json
from datetime import timezone
from functools import lru_cache

from flask import request, url_for
from babel import dates as babel_dates
from flask_babel import format_date, format_decimal, get_locale, get_timezone
from markupsafe import Markup

from . import hooks, permissions
from .text import slugify
from .i18n import LANGUAGE_NAMES


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


def page_url(page, **kwargs):
    args = {**request.view_args, **request.args.to_dict(), **kwargs, "page": page}
    if page == 1:
        args.pop("page")
    return url_for(request.endpoint, **args)


def stored_html(html):
    """Mark post HTML safe: it was sanitized by community.markup when it was written."""
    return Markup(html or "")


@lru_cache(maxsize=16384)
def _format_datetime(value, fmt, locale, tzinfo):
    return babel_dates.format_datetime(value.replace(tzinfo=timezone.utc), fmt, tzinfo=tzinfo,
                                       locale=locale)


def dt(value, fmt="medium"):
    """Localized date and time; cached, since the same posts are shown again and again."""
    if not value:
        return ""
    return _format_datetime(value, fmt, str(get_locale() or "en"), get_timezone())


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
        from flask_login import current_user
        items = [{"url": url_for(endpoint), "label": label}
                 for endpoint, label, capability in hooks.registered("nav.link", app=app)
                 if permissions.can(current_user, capability)]
        return {"nav_items": items}

    app.jinja_env.globals.update(
        can=permissions.can, thread_url=thread_url, qa_page_data=qa_page_data, post_url=post_url, user_url=user_url,
        page_url=page_url, get_locale=get_locale, LANGUAGE_NAMES=LANGUAGE_NAMES,
        site_name=lambda: app.config["SITE_NAME"],
        has_endpoint=lambda endpoint: endpoint in app.view_functions,
        # The template.* hooks of community/hooks.py: callables returning Markup.
        post_action_hooks=hooks.registered("template.post_actions", app=app),
        thread_banner_hooks=hooks.registered("template.thread_banner", app=app),
        ask_form_hooks=hooks.registered("template.ask_form", app=app),
        register_form_hooks=hooks.registered("template.register_form", app=app),
    )
    app.jinja_env.filters.update(
        stored_html=stored_html, dt=dt, iso=iso, number=format_decimal,
        date=lambda v, fmt="medium": format_date(v, fmt) if v else "", json_ld=json_ld,
        slug=_cached_slug,
    )
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.add_extension("jinja2.ext.do")
