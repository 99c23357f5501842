"""Nothing a member typed is lost when a form is refused after they sent it.

- The session ended (logged out elsewhere, cookie gone): instead of a redirect that
  drops the text, the login page carries it in hidden fields; after logging in, one
  button (pressed by forms.js) takes it back to the form it came from.
- The CSRF token expired: the form comes back with the text and says so (400).
- Refusals by the rules (rate limit, sanction, closed thread) are the views' own:
  they render the form with the text and the reason.
- Before sending, the browser keeps a draft (forms.js); after a successful post the
  next page says which draft to clear (``posted_from``).

Views that keep text this way are decorated with ``keeps_text``.
"""
from functools import wraps

from flask import current_app, render_template, request, session
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from ..extensions import csrf
from ..forms import LoginForm

CARRY = "carry-"
RESUME = "resume"
# Fields never carried: the old token, the buttons, the marker itself.
_NOT_CARRIED = {"csrf_token", "submit", "preview", RESUME}


def keeps_text(view):
    """``login_required`` for a form view that keeps text: a POST without a session
    gets the login page carrying what was sent. The view's form checks its CSRF token
    itself (``FlaskForm``), so ``token_expired`` can answer at the form: the global
    check (which would answer with an error page) is skipped for it."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        if current_user.is_authenticated:
            return view(*args, **kwargs)
        if request.method != "POST":
            return current_app.login_manager.unauthorized()
        return login_carrying(request.form)
    wrapper.keeps_text = True
    return csrf.exempt(wrapper)


def carried(values):
    """What a member sent, as (name, value) pairs to carry through the login."""
    return [(name, value) for name, value in values.items(multi=True)
            if name not in _NOT_CARRIED and not name.endswith("-csrf_token")]


def login_carrying(values):
    form = LoginForm(formdata=None, data={"next": request.path})
    form.form_errors.append(_("Your session has ended, so nothing was sent. Log in again: "
                              "your text is kept and comes back to the form."))
    return render_template("community/auth/login.html", form=form,
                           carried=carried(values), carry_prefix=CARRY), 401


def carried_back(values):
    """The carried fields of a login form, without their prefix."""
    return [(name[len(CARRY):], value) for name, value in values.items(multi=True)
            if name.startswith(CARRY)]


def resumable(path):
    """Whether ``path`` is a form view that takes carried text back (and only shows
    it: a resumed form never acts before the member sends it again)."""
    try:
        endpoint, _args = current_app.url_map.bind_to_environ(request.environ).match(
            path, method="POST")
    except HTTPException:
        return False
    return getattr(current_app.view_functions.get(endpoint), "keeps_text", False)


def resuming():
    """The carried text came back after a login: show it in the form, do nothing yet."""
    return request.method == "POST" and request.form.get(RESUME) == "1"


def token_expired(form):
    """True when ``form``'s CSRF token was refused: the message goes to the form's
    summary instead of the token field, and the text stays in the form."""
    token = getattr(form, "csrf_token", None)
    if token is None or not token.errors:
        return False
    form.csrf_token.errors = []
    form.form_errors.append(_("This form has expired, so nothing was sent. Your text is "
                              "kept below: please send it again."))
    return True


def posted_from(path):
    """The form at ``path`` was posted: the next page tells forms.js to clear its draft
    (the browser keeps one per form address, in case the post fails)."""
    session["draft_posted"] = path
