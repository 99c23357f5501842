"""Model rows to the JSON of API v1. The one place that decides which fields leave the
server: public fields only (never e-mail addresses, tokens, ticket data or notes).

Each function takes rows whose relationships the caller has loaded already
(``listing`` does that); relationships are ``raise_on_sql``, so a field that would
need another query fails loudly in the tests instead of costing a query per row.
"""
from flask import url_for

from ..template_helpers import thread_url


def iso(value):
    """ISO 8601 in UTC with ``Z`` (times are stored as naive UTC), or None."""
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def category(row):
    return {"id": row.id, "slug": row.slug, "name": row.name, "description": row.description}


def author(user, staff_title=False):
    data = {"id": user.id, "name": user.name, "role": user.role}
    if staff_title:
        data["staff_title"] = user.staff_title
    return data


def thread(row, author_row=None):
    """A thread as lists show it. ``author_row`` when ``row.author`` is not loaded."""
    return {
        "id": row.id,
        "title": row.title,
        "slug": row.slug,
        "url": thread_url(row, _external=True),
        "category": {"slug": row.category.slug, "name": row.category.name},
        "status": row.public_status,
        "visibility": row.visibility,
        "accepted_post_id": row.accepted_post_id,
        "reply_count": row.reply_count,
        "helpful_count": row.helpful_count,
        "tags": [tag.name for tag in row.tags],
        "author": author(author_row or row.author),
        "created_at": iso(row.created_at),
        "last_activity_at": iso(row.last_activity_at),
    }


def post(row, author_row=None):
    """A post. ``author_row`` when ``row.author`` is not loaded."""
    return {
        "id": row.id,
        "thread_id": row.thread_id,
        "number": row.number,
        "url": url_for("threads.post", post_id=row.id, _external=True),
        "author": author(author_row or row.author, staff_title=True),
        "body_html": row.body_html,
        "visibility": row.visibility,
        "helpful_count": row.helpful_count,
        "is_official": row.is_official,
        "created_at": iso(row.created_at),
        "edited_at": iso(row.edited_at),
    }


def thread_detail(view):
    """``listing.ThreadView``: the thread, its question first, then one page of replies."""
    data = thread(view.thread, author_row=view.question.author)
    data["accepted_post"] = post(view.accepted) if view.accepted else None
    data["posts"] = [post(view.question)] + [post(reply) for reply in view.replies.items]
    data["page"] = view.replies.page
    data["pages"] = view.replies.pages
    data["total_replies"] = view.replies.total
    return data


def thread_state(row):
    return {"id": row.id, "status": row.public_status, "accepted_post_id": row.accepted_post_id}


def thread_page(page):
    """``listing.Page`` of threads."""
    return {"threads": [thread(row) for row in page.items], "page": page.page,
            "pages": page.pages, "total": page.total}
