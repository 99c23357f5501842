"""Reason codes and what people read for them, in one place for forms, pages and CSV."""
from flask_babel import lazy_gettext as _l

FLAG_REASONS = {
    "spam": _l("Spam or advertising"),
    "abusive": _l("Abusive or disrespectful"),
    "off_topic": _l("Off-topic"),
    "private_data": _l("Private data exposed"),
    "needs_official_answer": _l("Needs an official answer"),
    "other": _l("Something else"),
}
# Flags with these reasons go straight to the top of the review queue.
URGENT_FLAG_REASONS = ("private_data", "needs_official_answer")

DECISION_REASONS = {
    "spam": _l("Spam or advertising"),
    "abusive": _l("Abusive or disrespectful"),
    "off_topic": _l("Off-topic"),
    "private_data": _l("Private data exposed"),
    "duplicate": _l("Duplicate"),
    "rules": _l("Breaks the community rules"),
    "other": _l("Other reason"),
}

HOLD_REASONS = {
    "category": _l("Everything in this category is reviewed first"),
    "new_member": _l("New member: first posts are reviewed"),
    "links": _l("Too many links for a new member"),
    "repeated": _l("Same text posted repeatedly"),
    "blocked_words": _l("Contains blocked words"),
    "edited": _l("Edited to contain suspicious content"),
    "held": _l("Held by another check"),
}

RESOLUTIONS = {
    "approve": _l("approved"), "reject": _l("rejected"), "hide": _l("hid"),
    "delete": _l("deleted"), "restore": _l("restored"), "dismiss": _l("dismissed the flags on"),
    "escalate": _l("escalated to support"), "grant": _l("granted the appeal on"),
    "deny": _l("denied the appeal on"), "superseded": _l("handled"),
}

MODES = {
    "open": _l("Open: posts appear at once"),
    "new_members": _l("New members pre-moderated"),
    "all": _l("Everything pre-moderated"),
}

TRUST_LEVELS = {
    "new": _l("New member"),
    "member": _l("Member"),
    "trusted": _l("Trusted member"),
}

SANCTIONS = {"silence": _l("Silenced (read-only)"), "suspend": _l("Suspended (no login)")}

NOTICES = {
    "post_approved": _l("Your post was approved and is now visible to everyone."),
    "post_rejected": _l("Your post was not published."),
    "post_hidden": _l("Your post was hidden."),
    "post_deleted": _l("Your post was removed from public view."),
    "post_restored": _l("Your post is visible again."),
    "post_edited": _l("A moderator edited your post."),
    "flag_upheld": _l("Thank you: the moderators acted on the post you flagged."),
    "flag_dismissed": _l("The moderators reviewed the post you flagged and kept it."),
    "silenced": _l("You can read but not post."),
    "suspended": _l("Your account is suspended."),
    "sanction_lifted": _l("Your restriction was lifted."),
    "appeal_granted": _l("Your appeal was granted."),
    "appeal_denied": _l("Your appeal was reviewed and the decision stands."),
}


def label(table, code):
    return table.get(code, code)
