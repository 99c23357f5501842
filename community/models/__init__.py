"""Database models of the core. Feature packages add their own tables."""
from .accounts import ApiToken, LoginAttempt, User
from .forum import Category, Post, PostRevision, ReadMark, Tag, Thread, Vote, thread_tags
from .outbox import OutboxMessage

# Tables of the notifications subpackage (registered with the metadata here).
from ..notifications.models import (  # noqa: E402
    CategorySubscription, MailMessage, Notification, NotificationPreference, ThreadSubscription)

__all__ = [
    "ApiToken", "Category", "CategorySubscription", "LoginAttempt", "MailMessage",
    "Notification", "NotificationPreference", "OutboxMessage", "Post", "PostRevision", "ReadMark",
    "Tag", "Thread", "ThreadSubscription", "User", "Vote", "thread_tags",
]
