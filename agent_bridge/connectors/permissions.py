"""Capabilities of the connectors."""
from community.permissions import has_role, rule


@rule("manage_connectors")
def _manage_connectors(user, obj):
    return has_role(user, "admin")


@rule("share_contact")
def _share_contact(user, thread):
    """Only the asker decides whether the helpdesk sees their e-mail address."""
    return getattr(user, "is_authenticated", False) and thread is not None \
        and user.id == thread.author_id
