"""A moderator's decision on a post, from the queue or the post's tools page:
visibility through the core service (counters stay right), flags settled, the
author and flaggers told, one audit entry."""
from community.services import threads

from . import audit, items, notices

VISIBILITY = {"approve": "visible", "reject": "hidden", "hide": "hidden", "delete": "deleted",
              "restore": "visible"}
FLAG_OUTCOME = {"approve": "dismissed", "dismiss": "dismissed", "restore": "dismissed",
                "reject": "upheld", "hide": "upheld", "delete": "upheld"}
AUTHOR_NOTICE = {"approve": "post_approved", "reject": "post_rejected", "hide": "post_hidden",
                 "delete": "post_deleted", "restore": "post_restored"}
AUDIT_ACTION = {"dismiss": "flags.dismiss"}
NEEDS_REASON = ("reject", "hide", "delete")


def apply(moderator, post, action, reason_code="", reason="", item=None):
    old = post.visibility
    new = VISIBILITY.get(action)
    if action == "dismiss" and item is not None and item.auto_hidden and old == "hidden":
        new = "visible"  # the flags hid it; dismissing them brings it back
    with audit.action():  # hiding an accepted answer un-accepts it: no second entry for that
        if new and new != old:
            threads.set_post_visibility(moderator, post, new)
    flaggers = settle_flags(moderator, post, FLAG_OUTCOME[action])
    kind = AUTHOR_NOTICE.get(action) or ("post_restored" if new and new != old else None)
    if kind and post.author_id != moderator.id:
        notices.notify(post.author_id, kind, post=post, reason_code=reason_code, reason=reason)
    return audit.record(moderator, AUDIT_ACTION.get(action, f"post.{action}"), "post", post.id,
                        reason_code, reason, before=old, after=post.visibility,
                        thread_id=post.thread_id, flags=len(flaggers))


def settle_flags(moderator, post, outcome):
    """Uphold or dismiss the post's open flags and tell each flagger."""
    flaggers = items.close_flags(post.id, moderator, outcome)
    kind = "flag_upheld" if outcome == "upheld" else "flag_dismissed"
    for flagger_id in flaggers:
        notices.notify(flagger_id, kind, post=post)
    return flaggers
