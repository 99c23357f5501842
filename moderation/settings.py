"""Moderation settings: ``FORUM_MOD_*`` environment variables, else these defaults.

Applied by ``init_app``; explicit ``create_app`` overrides win. They appear in the
one settings table in docs/operations.md (``flask --app community config docs``).
"""
from community.config import Setting, apply_feature_settings


SETTINGS = [
    Setting("MOD_TRUST_APPROVED_POSTS", 2,
            "A new member's first posts, this many, wait for review in categories that "
            "pre-moderate new members; trust needs this many approved posts."),
    Setting("MOD_TRUST_MIN_DAYS", 0,
            "Days since joining before a member earns trust; raise it to keep new accounts "
            "under the link and rate limits for longer."),
    Setting("MOD_NEW_MEMBER_MAX_LINKS", 2,
            "Links a new member's post may contain before it is held for review."),
    Setting("MOD_NEW_MEMBER_RATE_POSTS", 3,
            "Posts a new member may write within the rate window."),
    Setting("MOD_NEW_MEMBER_RATE_MINUTES", 10, "Length of the new members' rate window."),
    Setting("MOD_NEW_MEMBER_MIN_HOURS", 24,
            "Hours after joining during which a member's posts count against the new members' "
            "rate window whatever their trust level (earned or set by hand)."),
    Setting("MOD_FLAGS_TO_HIDE", 3, "Flags from distinct members that hide a post until reviewed."),
    Setting("MOD_REPEAT_WINDOW_HOURS", 24, "Window in which repeated text is noticed."),
    Setting("MOD_REPEAT_MIN_LENGTH", 40,
            "Shorter texts (\"Thanks, that worked!\") are never treated as repeated."),
    Setting("MOD_REPEAT_OTHER_ACCOUNTS", 2,
            "Held when this many other accounts posted the same text in the window (the "
            "same author repeating a text is held at once)."),
    Setting("MOD_QUEUE_PER_PAGE", 20, "Items per page of the review queue and audit log."),
]


def apply(app, environ=None):
    apply_feature_settings(app, SETTINGS, environ)
