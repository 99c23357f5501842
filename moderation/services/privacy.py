"""Moderation's share of privacy by design (community/services/privacy.py): what its
tables hold about a member (export), what an erasure removes, and the audit entries
of erasures and redactions, which name the member or post and the kinds of data,
never the data.

Moderation keeps its records of decisions (sanctions, notices, the audit log) after
an erasure: they are about an account that stays, anonymised, and they are needed
to defend against abuse (Art. 17(3)(e) GDPR). The member's own free text (flag
comments, appeals) goes.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from community.privacy import record as privacy_record
from community.extensions import db
from community.privacy.record import Activity
from community.services import privacy
from community.services.privacy import ExportPart

from ..models import Flag, MemberTrust, Notice, ReviewItem, Sanction
from . import audit, decisions, items


def iso(value):
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def _flags(user):
    """Flags the member raised (not who resolved them)."""
    return [{"post_id": f.post_id, "reason": f.reason, "text": f.text, "state": f.state,
             "created_at": iso(f.created_at), "resolved_at": iso(f.resolved_at)}
            for f in db.session.scalars(select(Flag).where(Flag.user_id == user.id)
                                        .order_by(Flag.id))]


def _reviews(user):
    """Reviews of the member's posts and their appeals, without the moderators' names
    and without who flagged them."""
    return [{"kind": i.kind, "post_id": i.post_id, "state": i.state,
             "reasons": [r.get("code") for r in (i.reasons or [])],
             "appeal": i.text if i.kind == "appeal" else None, "resolution": i.resolution,
             "resolution_reason": i.resolution_reason, "created_at": iso(i.created_at),
             "resolved_at": iso(i.resolved_at)}
            for i in db.session.scalars(select(ReviewItem).where(ReviewItem.user_id == user.id)
                                        .order_by(ReviewItem.id))]


def _sanctions(user):
    return [{"kind": s.kind, "reason_code": s.reason_code, "reason": s.reason,
             "starts_at": iso(s.starts_at), "ends_at": iso(s.ends_at),
             "lifted_at": iso(s.lifted_at), "lift_reason": s.lift_reason}
            for s in db.session.scalars(select(Sanction).where(Sanction.user_id == user.id)
                                        .order_by(Sanction.id))]


def _notices(user):
    return [{"kind": n.kind, "post_id": n.post_id, "thread_id": n.thread_id,
             "reason_code": n.reason_code, "reason": n.reason, "appealable": n.appealable,
             "appealed_at": iso(n.appealed_at), "created_at": iso(n.created_at)}
            for n in db.session.scalars(select(Notice).where(Notice.user_id == user.id)
                                        .order_by(Notice.id))]


def _trust(user):
    row = db.session.get(MemberTrust, user.id)
    return [{"level": row.level, "set_at": iso(row.set_at)}] if row is not None else []


PARTS = (
    ExportPart("flags", _l("Posts you reported"), ("mod_flags",), _flags),
    ExportPart("reviews", _l("Reviews of your posts and your appeals"), ("mod_review_items",),
               _reviews),
    ExportPart("sanctions", _l("Restrictions on your account"), ("mod_sanctions",), _sanctions),
    ExportPart("moderation_notices", _l("Moderation decisions you were told about"),
               ("mod_notices",), _notices),
    ExportPart("trust", _l("Your trust level, when set by a moderator"), ("mod_member_trust",),
               _trust),
)

NOT_PERSONAL = (
    ("mod_audit_log", ("the moderators' own record of their actions (kept for "
                       "accountability); what it decided about a member is in their sanctions "
                       "and notices")),
    ("mod_category_settings", "which admin last changed a category's moderation mode"),
    ("mod_blocked_words", "which admin added a blocked word"),
    ("mod_post_fingerprints", ("a one-way digest of a post's text to notice repeated "
                               "spam; nothing readable")),
)


ACTIVITY = Activity(
    "moderation", _l("Moderation and defence against abuse"),
    _l("Keeping the community lawful and civil: reports, reviews, restrictions, statements "
       "of reasons and appeals (Art. 16, 17 and 20 of the Digital Services Act)"),
    _l("Art. 6(1)(c) and (f) GDPR: legal duties of a hosting service, legitimate interest "
       "in a safe community"),
    _l("Reports and their comments, review decisions, restrictions with their reasons, "
       "appeals, trust levels, the moderators' audit log"),
    kept=_l("As long as the account exists; decisions and the audit log also after an "
            "erasure, without the member's own words"))


def register(app):
    for part in PARTS:
        privacy.register_export(app, part)
    for table, reason in NOT_PERSONAL:
        privacy.register_not_personal(app, table, reason)
    privacy_record.register(app, ACTIVITY)
    from community import hooks as core_hooks
    core_hooks.add(app, "privacy.erase", erase)
    core_hooks.add(app, "privacy.redact", redact)


def erase(erasure):
    """The member's own words go (flag comments, appeal texts); the records of
    decisions stay with the anonymised account. One audit entry says who erased whom
    and why."""
    user = erasure.user
    erasure.count("flag_texts", db.session.execute(
        update(Flag).where(Flag.user_id == user.id, Flag.text != "").values(text="")
        .execution_options(synchronize_session=False)).rowcount)
    erasure.count("appeal_texts", db.session.execute(
        update(ReviewItem).where(ReviewItem.user_id == user.id, ReviewItem.kind == "appeal",
                                 ReviewItem.text != "").values(text="")
        .execution_options(synchronize_session=False)).rowcount)
    audit.record(erasure.actor, "member.erase", "user", user.id,
                 reason_code="spam" if erasure.spam else "erasure", reason=erasure.reason,
                 mode=erasure.mode)


def redact(redaction):
    """An audit entry naming the post and the kinds of data; and when the post was in
    the queue only for "private data" flags, the redaction settles them (upheld)."""
    post, actor = redaction.post, redaction.actor
    item = items.open_item(post.id)
    open_flags = items.open_flags(post.id)
    if item is not None and item.kind == "flagged" and open_flags \
            and all(flag.reason == "private_data" for flag in open_flags):
        decisions.settle_flags(actor, post, "upheld")
        items.claim(item, actor, "superseded", item.version, reason="redacted")
        redaction.count("flags_settled", len(open_flags))
    audit.record(actor, "post.redact", "post", post.id, reason_code="private_data",
                 kinds=redaction.kinds, thread_id=post.thread_id)
