"""Moderation's capabilities, and the conditions it adds to the core's (registered
for the app that loads moderation, by ``init_app``)."""
from community.permissions import has_role, is_moderator, restrict, rule


def _signed_in(user):
    return user is not None and getattr(user, "is_authenticated", False)


@rule("flag")
def _flag(user, post):
    return (_signed_in(user) and post is not None and user.id != post.author_id
            and post.visibility == "visible")


@rule("review")
def _review(user, obj):
    """Review queue, post and thread tools, member pages, audit log."""
    return is_moderator(user)


@rule("set_trust")
def _set_trust(user, member):
    return is_moderator(user) and (member is None or not member.is_staff)


@rule("sanction")
def _sanction(user, member):
    """Moderators sanction customers; admins anyone but themselves."""
    if member is None:
        return is_moderator(user)
    if has_role(user, "admin"):
        return member.id != user.id
    return is_moderator(user) and member.role == "customer"


@rule("manage_staff")
def _manage_staff(user, member):
    """Roles and staff titles."""
    return has_role(user, "admin") and (member is None or member.id != user.id)


@rule("manage_blocked_words")
def _manage_blocked_words(user, obj):
    return has_role(user, "admin")


@rule("manage_categories")
def _manage_categories(user, obj):
    return has_role(user, "admin")


@rule("view_notices")
def _view_notices(user, obj):
    return _signed_in(user)


@rule("appeal")
def _appeal(user, notice):
    return (_signed_in(user) and notice is not None and notice.user_id == user.id
            and notice.appealable and notice.appealed_at is None)


# -- conditions on the core's capabilities ------------------------------------------

def _silenced(user):
    from .services.sanctions import active
    return _signed_in(user) and active(user.id) is not None


def _locked(thread_id):
    from .services.threadtools import state_of
    return state_of(thread_id).locked


def _not_silenced(user, obj):
    """A silenced or suspended member reads but does not write."""
    return not _silenced(user)


def _post_not_locked(user, post):
    """A locked thread is frozen for members: no edits, no votes."""
    return is_moderator(user) or not _locked(post.thread_id)


def _thread_not_locked(user, thread):
    return is_moderator(user) or not _locked(thread.id)


# Every write a member makes, the agent bridge's included (capabilities are names,
# so restricting one a feature not loaded here registers costs nothing).
WRITES = ("ask", "reply", "edit_post", "vote_helpful", "accept_answer", "flag", "watch",
          "create_token", "escalate_thread", "answer_private_request", "send_private_details")


def init_app(app):
    for name in WRITES:
        restrict(app, name, _not_silenced)
    for name in ("edit_post", "vote_helpful"):
        restrict(app, name, _post_not_locked)
    restrict(app, "accept_answer", _thread_not_locked)
