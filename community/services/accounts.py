"""Accounts: registration and login with throttling, passwords, language, API tokens."""
import hashlib
import ipaddress
import math
import secrets
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l, ngettext
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from .. import clock, events, hooks
from ..errors import Forbidden, NotFound, RateLimited, ValidationError
from ..extensions import db
from ..models import ApiToken, LoginAttempt, User
from ..models.accounts import ROLES, Registration
from ..permissions import require

PASSWORD_METHOD = "scrypt"
MIN_PASSWORD_LENGTH = 10
COMMON_PASSWORDS = frozenset({
    "password", "passwort", "123456789", "1234567890", "qwertzuiop", "qwertyuiop",
    "iloveyou123", "password123", "passwort123", "letmein123", "welcome123", "hallo12345",
})
# Checked against a dummy hash when the account does not exist, so response time
# does not tell which e-mail addresses are registered.
_DUMMY_HASH = generate_password_hash("dummy-password-for-timing", method=PASSWORD_METHOD)




def hash_password(password):
    return generate_password_hash(
        password, method=current_app.config.get("PASSWORD_HASH_METHOD", PASSWORD_METHOD))


def normalize_email(email, check_deliverability=False):
    try:
        info = validate_email((email or "").strip(), check_deliverability=check_deliverability)
    except EmailNotValidError:
        raise ValidationError(_l("Please enter a valid e-mail address."),
                              fields={"email": _l("Please enter a valid e-mail address.")})
    return info.normalized.lower()


def password_problem(password, email="", name=""):
    """The reason a password is too weak, or None."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        return _l("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(password)) < 4:
        return _l("This password is too easy to guess.")
    local = (email or "").split("@")[0].lower()
    if (local and len(local) >= 4 and local in lowered) or (
            name and len(name) >= 4 and name.lower() in lowered):
        return _l("The password must not contain your name or e-mail address.")
    return None


def _clean_name(name):
    name = " ".join((name or "").split())
    if not 2 <= len(name) <= 60:
        raise ValidationError(_l("Please check the display name."),
                              fields={"name": _l("Use 2 to 60 characters.")})
    return name


def name_key(name):
    """Display names compared as people read them: case and spaces do not count."""
    return "".join((name or "").split()).casefold()


def staff_name_taken(name, user=None):
    """True when ``name`` reads as a staff member's display name (other than ``user``'s):
    a customer must not look like the support team. Staff are few: one query."""
    key = name_key(name)
    return any(name_key(staff_name) == key for staff_id, staff_name in db.session.execute(
        select(User.id, User.name).where(User.role != "customer"))
        if user is None or staff_id != user.id)


STAFF_NAME_TAKEN = _l("This name belongs to our staff. Please choose another display name.")


def find_by_email(email):
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def create_user(email, name, password, role="customer", locale=None, staff_title=None):
    """Create an account; raises ValidationError with per-field messages."""
    fields = {}
    try:
        email = normalize_email(email)
    except ValidationError as exc:
        fields.update(exc.fields)
    try:
        name = _clean_name(name)
    except ValidationError as exc:
        fields.update(exc.fields)
    else:
        if role == "customer" and staff_name_taken(name):
            fields["name"] = STAFF_NAME_TAKEN
    if role not in ROLES:
        fields["role"] = _l("Unknown role.")
    if password is not None:
        problem = password_problem(password, email if "email" not in fields else "", name)
        if problem:
            fields["password"] = problem
    if "email" not in fields and find_by_email(email):
        fields["email"] = _l("An account with this e-mail address already exists.")
    if fields:
        raise ValidationError(_l("Please correct the marked fields."), fields=fields)
    user = User(email=email, name=name, role=role, locale=locale, staff_title=staff_title,
                password_hash=hash_password(password) if password else None,
                created_at=clock.now())
    db.session.add(user)
    db.session.flush()
    events.user_registered.send(current_app._get_current_object(), user=user)
    return user


def _wait(model, condition, limit, window):
    """Seconds until fewer than ``limit`` rows of ``model`` matching ``condition`` were
    created within the last ``window`` (0: fewer already; a limit of 0 is no limit).
    The rows live in the database, so every web host counts the same."""
    if limit <= 0:
        return 0
    now = clock.now()
    newest = db.session.scalars(
        select(model.created_at).where(condition, model.created_at > now - window)
        .order_by(model.created_at.desc()).limit(limit)).all()
    if len(newest) < limit:
        return 0
    # Once the limit-th newest row leaves the window, one more is allowed.
    return max(1, math.ceil((newest[-1] + window - now).total_seconds()))


def network_of(ip):
    """The network an address is counted in: its IPv4 /24 or IPv6 /64."""
    try:
        address = ipaddress.ip_address(ip.split("%")[0])
    except ValueError:
        return ip[:64]
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    network = (ipaddress.IPv4Network((int(address), 24), strict=False) if address.version == 4
               else ipaddress.IPv6Network((int(address), 64), strict=False))
    return str(network)


def _registration_wait(ip):
    config = current_app.config
    window = timedelta(minutes=config["REGISTRATION_WINDOW_MINUTES"])
    return max(_wait(Registration, Registration.ip == ip[:64],
                     config["REGISTRATION_MAX_PER_IP"], window),
               _wait(Registration, Registration.network == network_of(ip),
                     config["REGISTRATION_MAX_PER_NETWORK"], window))


def _minutes(seconds):
    return max(1, math.ceil(seconds / 60))


def register(email, name, password, locale=None, form=None, ip="unknown"):
    """Create a customer's account from the registration form of client address ``ip``.

    Raises RateLimited when too many accounts were registered from the address or its
    network within the window (nothing is counted for a refused registration).
    """
    wait = _registration_wait(ip)
    if wait:
        raise RateLimited(ngettext("Too many accounts were registered from your network "
                                   "recently. Please try again in %(num)d minute.",
                                   "Too many accounts were registered from your network "
                                   "recently. Please try again in %(num)d minutes.",
                                   _minutes(wait)), retry_after=wait)
    for check in hooks.registered("account.registration_check"):
        problem = check(form or {})
        if problem:
            raise ValidationError(problem, code="registration_refused")
    user = create_user(email, name, password, role="customer", locale=locale)
    db.session.add(Registration(ip=ip[:64], network=network_of(ip), created_at=clock.now()))
    db.session.flush()
    return user


def _login_wait(email, ip):
    """Seconds this address must wait before trying ``email`` again (0: it may try now).

    Failures count per (account, address) pair and per address within the short window,
    so an attacker elsewhere never locks the owner out; a slower account-wide limit stops
    attacks spread over many addresses, but spares the addresses the owner logged in
    from before.
    """
    config = current_app.config
    failed = LoginAttempt.succeeded.is_(False)
    window = timedelta(minutes=config["LOGIN_WINDOW_MINUTES"])
    wait = max(_wait(LoginAttempt, failed & (LoginAttempt.email == email) & (LoginAttempt.ip == ip),
                     config["LOGIN_MAX_FAILURES"], window),
               _wait(LoginAttempt, failed & (LoginAttempt.ip == ip),
                     config["LOGIN_MAX_FAILURES_PER_IP"], window))
    account_wait = _wait(LoginAttempt, failed & (LoginAttempt.email == email),
                         config["LOGIN_MAX_FAILURES_PER_ACCOUNT"],
                         timedelta(minutes=config["LOGIN_ACCOUNT_WINDOW_MINUTES"]))
    if account_wait > wait and not _known_address(email, ip):
        wait = account_wait
    return wait


def _known_address(email, ip):
    return db.session.scalar(select(LoginAttempt.id).where(
        LoginAttempt.email == email, LoginAttempt.ip == ip,
        LoginAttempt.succeeded.is_(True)).limit(1)) is not None


def authenticate(email, password, ip):
    """Return the user for valid credentials, and remember the address as one its owner
    logs in from (flushed; the caller commits).

    Raises RateLimited (with ``retry_after``) after too many failures (see
    ``_login_wait``), and ValidationError for wrong credentials (without telling which
    part was wrong).
    """
    email = (email or "").strip().lower()[:254]
    ip = ip[:64]
    wait = _login_wait(email, ip)
    if wait:
        raise RateLimited(ngettext("Too many failed attempts. Please wait %(num)d minute and "
                                   "try again.",
                                   "Too many failed attempts. Please wait %(num)d minutes and "
                                   "try again.", _minutes(wait)), retry_after=wait)
    user = find_by_email(email) if email else None
    valid = check_password_hash(user.password_hash if user and user.password_hash
                                else _DUMMY_HASH, password or "")
    if not (user and user.password_hash and valid):
        db.session.add(LoginAttempt(email=email, ip=ip, created_at=clock.now()))
        db.session.commit()  # the refusal rolls the request back; the count must stay
        raise ValidationError(_l("E-mail address or password is wrong."),
                              fields={"password": _l("E-mail address or password is wrong.")},
                              code="invalid_credentials")
    for check in hooks.registered("account.login_check"):
        problem = check(user)
        if problem:
            raise Forbidden(problem, code="login_refused")
    db.session.add(LoginAttempt(email=email, ip=ip, created_at=clock.now(), succeeded=True))
    db.session.flush()
    return user


def change_password(user, current, new):
    if not check_password_hash(user.password_hash or _DUMMY_HASH, current or ""):
        raise ValidationError(_l("Please correct the marked fields."),
                              fields={"current_password": _l("This is not your current password.")})
    problem = password_problem(new, user.email, user.name)
    if problem:
        raise ValidationError(_l("Please correct the marked fields."),
                              fields={"new_password": problem})
    user.password_hash = hash_password(new)
    user.session_version += 1


def set_password(user, new):
    """Set a password without asking for the old one (CLI, admins)."""
    problem = password_problem(new, user.email, user.name)
    if problem:
        raise ValidationError(problem, fields={"password": problem})
    user.password_hash = hash_password(new)
    user.session_version += 1


def rename(user, name):
    """A member's new display name (a customer's may not read as a staff member's)."""
    require(user, "signed_in")
    name = _clean_name(name)
    if user.role == "customer" and staff_name_taken(name, user):
        raise ValidationError(_l("Please check the display name."),
                              fields={"name": STAFF_NAME_TAKEN})
    user.name = name
    return user


def set_locale(user, locale):
    if locale not in ("", None) and locale not in current_app.config["LANGUAGES"]:
        raise ValidationError(_l("Unknown language."), fields={"locale": _l("Unknown language.")})
    user.locale = locale or None


def _token_hash(plaintext):
    return hashlib.sha256(plaintext.encode()).hexdigest()


def create_token(user, name="API"):
    """Create an API token; returns (token row, plaintext shown once)."""
    require(user, "create_token")
    name = " ".join((name or "").split())[:60] or "API"
    plaintext = "cc_" + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=_token_hash(plaintext),
                     prefix=plaintext[:10], created_at=clock.now())
    db.session.add(token)
    db.session.flush()
    return token, plaintext


def revoke_token(user, token_id):
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        raise NotFound(_l("No such token."))
    token.revoked_at = clock.now()


def active_tokens(user):
    return list(db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc())))


def user_for_token(plaintext):
    """The user of a valid, unrevoked token, or None."""
    if not plaintext:
        return None
    found = db.session.execute(  # the token and its user in one round trip
        select(ApiToken, User).join(User, User.id == ApiToken.user_id).where(
            ApiToken.token_hash == _token_hash(plaintext), ApiToken.revoked_at.is_(None))
    ).first()
    if found is None:
        return None
    token, user = found
    now = clock.now()
    # Written at most once a minute: reads must not turn into a write per request. Its
    # own commit, as the request's may not come (a refused call still used the token).
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        token.last_used_at = now
        db.session.commit()
    return user


def access_refusal(user, write):
    """Why ``user`` may not use the site right now, as a ServiceError to raise, or None.

    Asked for every API call made with a token (``write``: the call changes
    something), through the ``account.access_check`` hook: moderation refuses a
    suspended account everything and a silenced one every write, so a token issued
    before a sanction stops working with it and works again when it ends.
    """
    for check in hooks.registered("account.access_check"):
        refusal = check(user, write)
        if refusal is not None:
            return refusal
    return None


def load_session_user(session_id):
    """Flask-Login's user loader: "<id>:<session_version>"."""
    try:
        user_id, version = (int(part) for part in session_id.split(":"))
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    if user is None or user.session_version != version:
        return None
    return user


def get_user(user_id):
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_l("No such member."))
    return user
