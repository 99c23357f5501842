"""Holding posts for review: pre-moderation by trust and category, spam heuristics.

``policy`` is the core's ``write.visibility`` hook; the core asks
it before a post exists, so the reasons wait on ``g`` until the post_created /
thread_created receiver turns them into a review item.
"""
from flask import current_app, g

from community.services import threads
from community.extensions import db

from . import items, spam, trust


def policy(user, category, thread, title, body):
    if not getattr(user, "is_authenticated", False) or user.is_staff:
        return None
    level = trust.trust_level(user)
    spam.check_rate(user, level)
    reasons = []
    mode = trust.category_mode(category.id)
    if mode == "all":
        reasons.append({"code": "category"})
    elif mode == "new_members" and trust.first_posts_wait(user, level):
        reasons.append({"code": "new_member"})
    if level != "trusted":
        reasons += content_reasons(user, level, title, body)
        if spam.repeated(user, body):
            reasons.append({"code": "repeated"})
    g._moderation_hold = (user.id, reasons)
    return "pending" if reasons else None


def content_reasons(user, level, title, body):
    reasons = []
    if level == "new":
        links = spam.count_links(body)
        if links > current_app.config["MOD_NEW_MEMBER_MAX_LINKS"]:
            reasons.append({"code": "links", "detail": str(links)})
    words = spam.blocked_words_in(title, body)
    if words:
        reasons.append({"code": "blocked_words", "detail": ", ".join(words)})
    return reasons


def after_post_created(post, user):
    """Receiver work for a new post: remember its text, open the hold if it waits."""
    spam.remember(post)
    if post.visibility != "pending":
        return
    stashed = g.pop("_moderation_hold", None)
    reasons = stashed[1] if stashed and stashed[0] == user.id else []
    hold(post, reasons or [{"code": "held"}])  # held by another feature's policy


def hold(post, reasons):
    items.lock_post(post)
    item = items.open_or_create(post, "pending", reasons=reasons)
    if item.kind == "flagged":  # edited into spam: it now waits for approval like any hold
        item.kind = "pending"
    known = list(item.reasons or [])
    item.reasons = known + [r for r in reasons if r not in known]
    db.session.flush()
    return item


def after_post_edited(post, thread, user):
    """An author who edits spam into a published post sends it back to the queue."""
    if user.id != post.author_id or user.is_staff or post.visibility != "visible":
        return
    level = trust.trust_level(user)
    if level == "trusted":
        return
    reasons = content_reasons(user, level, thread.title if post.is_question else None, post.body)
    if reasons:
        threads.set_post_visibility(user, post, "pending")
        hold(post, [{"code": "edited"}] + reasons)
