"""The kinds of notification: what each means, its default e-mail choice, and the
sentence shown for it in the app and in e-mails (translated when shown)."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

EMAIL_CHOICES = ("immediately", "digest", "never")
EMAIL_CHOICE_LABELS = {"immediately": _l("E-mail at once"), "digest": _l("Daily digest"),
                       "never": _l("No e-mail")}


@dataclass(frozen=True)
class Kind:
    name: str
    label: object          # on the settings page: what the member is told about
    default: str           # e-mail choice for members who did not choose
    content: bool          # about a public post: only sent while that post is visible
    headline: object       # %(actor)s and %(title)s are filled in


KINDS = {kind.name: kind for kind in (
    Kind("reply", _l("Answers in questions I watch"), "immediately", True,
         _l("%(actor)s answered in “%(title)s”")),
    Kind("official", _l("Official answers from the support team in questions I watch"),
         "immediately", True, _l("%(actor)s from the support team answered in “%(title)s”")),
    Kind("accepted", _l("My answer was accepted"), "immediately", True,
         _l("%(actor)s accepted your answer in “%(title)s”")),
    Kind("helpful", _l("My answer was marked helpful"), "digest", True,
         _l("%(actor)s found your answer in “%(title)s” helpful")),
    Kind("mention", _l("Someone mentioned me"), "immediately", True,
         _l("%(actor)s mentioned you in “%(title)s”")),
    Kind("new_thread", _l("New questions in categories I watch"), "digest", True,
         _l("%(actor)s asked “%(title)s”")),
    Kind("moderation", _l("Moderation decisions about my posts and reports"), "immediately",
         False, _l("A moderator made a decision about your post")),
    Kind("support_request", _l("Private requests from the support team"), "immediately", False,
         _l("The support team has a request for you")),
    Kind("sanction", _l("Restrictions on my account"), "immediately", False,
         _l("There is news about your account")),
    Kind("privacy", _l("My data exports"), "immediately", False,
         _l("Your data export is ready to download")),
)}

# ``data["decision"]`` of moderation and sanction notifications (codes of the
# moderation package's notices); unknown codes fall back to the kind's headline.
DECISIONS = {
    "post_approved": _l("A moderator approved your post"),
    "post_rejected": _l("A moderator did not publish your post"),
    "post_hidden": _l("A moderator hid your post"),
    "post_deleted": _l("A moderator removed your post"),
    "post_restored": _l("A moderator restored your post"),
    "post_edited": _l("A moderator edited your post"),
    "flag_upheld": _l("A moderator acted on your report. Thank you!"),
    "flag_dismissed": _l("A moderator reviewed your report and left the post as it is"),
    "appeal_granted": _l("Your appeal was granted"),
    "appeal_denied": _l("Your appeal was not granted"),
    "silenced": _l("You cannot post for a while"),
    "suspended": _l("Your account is suspended"),
    "sanction_lifted": _l("The restriction on your account was lifted"),
}
UNAVAILABLE = _l("This content is no longer available.")
SOMEONE = _l("Someone")


def headline(notification, actor_name, title):
    """The sentence for a notification; ``title`` is None when the recipient may
    not see the thread."""
    kind = KINDS.get(notification.kind)
    if kind is None:
        return str(UNAVAILABLE)
    data = notification.data or {}
    if kind.content:
        if title is None:
            return str(UNAVAILABLE)
        return str(kind.headline) % {"actor": actor_name or str(SOMEONE), "title": title}
    decision = DECISIONS.get(data.get("decision"))
    return str(decision or kind.headline)
