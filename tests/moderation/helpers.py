"""Helpers that act through the real pages, as a member or moderator would."""
from sqlalchemy import func, select

from community.extensions import db
from community.models import Category, Post, PostRevision, Thread, User, Vote
from moderation.models import AuditEntry, Flag, Notice, ReviewItem

CONTENT = (Thread, Post, PostRevision, Vote, User, Flag)


def thread_path(thread):
    return f"/t/{thread.id}-{thread.slug}"


def ask(testapp, category, title="My router keeps losing the connection",
        body="Since Monday the DSL line drops every evening around 8 pm.", tags=""):
    form = testapp.get("/ask").forms["ask-form"]
    form["category"], form["title"], form["body"], form["tags"] = category.slug, title, body, tags
    return form.submit("submit", expect_errors=True)


def reply(testapp, thread, body="Have you tried a different DSL filter?"):
    form = testapp.get(thread_path(thread)).forms["reply-form"]
    form["body"] = body
    return form.submit("submit", expect_errors=True)


def flag(testapp, post, reason="spam", text=""):
    page = testapp.get(f"/mod/flag/{post.id}")
    form = page.forms["flag-form"]
    form["reason"] = reason
    form["text"] = text
    return form.submit(expect_errors=True)


def queue_form(testapp, item_id):
    return testapp.get("/mod").forms[f"item-form-{item_id}"]


def decide(testapp, item_id, action, reason_code="", reason="", form=None):
    form = form or queue_form(testapp, item_id)
    prefix = f"item-{item_id}-"
    form[prefix + "reason_code"] = reason_code
    form[prefix + "reason"] = reason
    return form.submit(prefix + "action", value=action, expect_errors=True)


def post_action(testapp, post, action, reason_code="", reason=""):
    form = testapp.get(f"/mod/posts/{post.id}").forms["post-action-form"]
    form["reason_code"], form["reason"] = reason_code, reason
    return form.submit("action", value=action, expect_errors=True)


def open_item(post):
    db.session.expire_all()
    return db.session.scalar(select(ReviewItem).where(ReviewItem.open_post_id == post.id))


def audit_entries(action=None):
    db.session.expire_all()
    query = select(AuditEntry).order_by(AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    return list(db.session.scalars(query))


def notices_for(user, kind=None):
    """``user``: a user or a user id."""
    db.session.expire_all()
    user_id = getattr(user, "id", user)
    query = select(Notice).where(Notice.user_id == user_id).order_by(Notice.id)
    if kind:
        query = query.where(Notice.kind == kind)
    return list(db.session.scalars(query))


def row_counts():
    """Rows of every content table: moderation may add rows, never remove one."""
    db.session.expire_all()
    return {model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
            for model in CONTENT}


def category_counters(category):
    """A category's counters as stored, and as recomputed from scratch."""
    db.session.expire_all()
    category = db.session.get(Category, category.id)
    visible = [t for t in db.session.scalars(select(Thread).where(
        Thread.category_id == category.id, Thread.visibility == "visible"))]
    posts = sum(db.session.scalar(select(func.count(Post.id)).where(
        Post.thread_id == t.id, Post.visibility == "visible")) for t in visible)
    stored = (category.thread_count, category.post_count, category.solved_count,
              category.last_thread_id)
    latest = max(visible, key=lambda t: (t.last_activity_at, t.id), default=None)
    computed = (len(visible), posts, sum(1 for t in visible if t.accepted_post_id),
                latest.id if latest else None)
    return stored, computed
