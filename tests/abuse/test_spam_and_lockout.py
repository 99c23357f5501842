"""Spam and lockout (issue 12, point 8): registrations are limited per address and per
network, a fresh account's posting rate is limited whatever trust it earned, and failed
logins are throttled per (account, address) with a slower account-wide limit that spares
the owner's known addresses. Refusals are 429s, with Retry-After on the login and
registration forms and in the API; the counts live in the database, so several web hosts
share them."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from webtest import TestApp

from community import clock
from community.services import accounts
from community.extensions import db
from community.models import Post, User
from moderation.services import spam, trust
from tests.conftest import PASSWORD, isolated

LINKS = "See https://deals.example.com and https://more-deals.example.com"
# The defaults, spelled out: the numbers below rely on them, and a suite may relax
# limits for fixtures that post or register quickly.
LIMITS = dict(REGISTRATION_MAX_PER_IP=5, REGISTRATION_MAX_PER_NETWORK=20,
              REGISTRATION_WINDOW_MINUTES=60, LOGIN_MAX_FAILURES=5, LOGIN_WINDOW_MINUTES=15,
              LOGIN_MAX_FAILURES_PER_IP=20, LOGIN_MAX_FAILURES_PER_ACCOUNT=50,
              LOGIN_ACCOUNT_WINDOW_MINUTES=60, MOD_NEW_MEMBER_MIN_HOURS=24,
              MOD_NEW_MEMBER_RATE_POSTS=3, MOD_NEW_MEMBER_RATE_MINUTES=10,
              MOD_NEW_MEMBER_MAX_LINKS=2, MOD_TRUST_APPROVED_POSTS=2, MOD_TRUST_MIN_DAYS=0)


@pytest.fixture
def app(make_app):
    app = make_app(**LIMITS)
    with app.app_context():
        yield app
        db.session.remove()


def visitor(app, ip):
    """A browser at client address ``ip``."""
    return TestApp(isolated(app), extra_environ={"REMOTE_ADDR": ip, "HTTP_HOST": "localhost"})


def register(session, email, name="Neue Kundin", password="a sound passphrase"):
    form = session.get("/register").forms["register-form"]
    form["email"], form["name"], form["password"] = email, name, password
    return form.submit(expect_errors=True)


def log_in(session, email, password):
    form = session.get("/login").forms["login-form"]
    form["email"], form["password"] = email, password
    return form.submit(expect_errors=True)


def accounts_count():
    return db.session.scalar(select(func.count(User.id)))


def assert_refused_for(response, seconds):
    assert response.status_int == 429
    assert response.headers["Retry-After"] == str(seconds)


# --- Registration -------------------------------------------------------------------------------

def test_registrations_are_limited_per_address_with_retry_after(app):
    clock.freeze()
    bot = visitor(app, "203.0.113.7")
    for n in range(5):  # FORUM_REGISTRATION_MAX_PER_IP
        assert register(bot, f"bot{n}@example.com").status_int == 302
        bot.reset()  # logged out again, as the next "visitor"
    before = accounts_count()
    page = register(bot, "bot5@example.com", name="Sixth Bot")
    assert_refused_for(page, 3600)
    assert "Too many accounts were registered from your network recently" in page.text
    assert "60 minutes" in page.text
    form = page.forms["register-form"]
    assert (form["email"].value, form["name"].value, form["password"].value) == (
        "bot5@example.com", "Sixth Bot", "")  # kept, except the password
    assert accounts_count() == before

    # Another network is not affected; the limited address may register again later.
    assert register(visitor(app, "192.0.2.50"), "person@example.com").status_int == 302
    clock.travel(timedelta(minutes=45))
    assert_refused_for(register(bot, "bot5@example.com"), 15 * 60)
    clock.travel(timedelta(minutes=15, seconds=1))
    assert register(bot, "bot5@example.com").status_int == 302


def test_registrations_are_limited_per_network(app):
    clock.freeze()
    for n in range(20):  # FORUM_REGISTRATION_MAX_PER_NETWORK, one per address of a /24
        page = register(visitor(app, f"198.51.100.{n + 1}"), f"farm{n}@example.com")
        assert page.status_int == 302
    page = register(visitor(app, "198.51.100.200"), "farm20@example.com")
    assert_refused_for(page, 3600)
    assert register(visitor(app, "198.51.101.1"), "next-door@example.com").status_int == 302


def test_ipv6_networks_are_counted_per_64(make_app):
    app = make_app(**dict(LIMITS, REGISTRATION_MAX_PER_NETWORK=2))
    with app.app_context():
        for n in (1, 2):
            assert register(visitor(app, f"2001:db8:1:2::{n}"), f"v6-{n}@example.com"
                            ).status_int == 302
        assert register(visitor(app, "2001:db8:1:2:ffff::9"), "v6-3@example.com"
                        ).status_int == 429
        assert register(visitor(app, "2001:db8:1:3::1"), "v6-4@example.com").status_int == 302
    assert accounts.network_of("203.0.113.77") == "203.0.113.0/24"
    assert accounts.network_of("::ffff:203.0.113.77") == "203.0.113.0/24"
    assert accounts.network_of("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64"
    assert accounts.network_of("unknown") == "unknown"


# --- New members' posting rate ------------------------------------------------------------------

@pytest.fixture
def newcomer(make_user, make_thread):
    """A brand-new account and an open category's thread (posts are approved at once)."""
    thread = make_thread()
    user = make_user(name="Fresh Account")
    token, plaintext = accounts.create_token(user)
    db.session.commit()
    return {"user": user, "thread": thread, "auth": {"Authorization": f"Bearer {plaintext}"}}


def reply_form(session, thread, body):
    form = session.get(f"/t/{thread.id}-{thread.slug}").forms["reply-form"]
    form["body"] = body
    return form.submit("submit", expect_errors=True)


def test_a_fresh_account_cannot_post_links_at_full_speed_though_it_earned_trust(
        app, browser, newcomer):
    clock.freeze()
    user, thread = newcomer["user"], newcomer["thread"]
    session = browser(user)
    for n in range(3):  # FORUM_MOD_NEW_MEMBER_RATE_POSTS
        assert reply_form(session, thread, f"{LINKS} (number {n})").status_int == 302
    assert trust.trust_level(user) == "member"  # 2 approved posts, FORUM_MOD_TRUST_MIN_DAYS=0
    page = reply_form(session, thread, f"{LINKS} (number 3)")
    assert page.status_int == 429
    assert "New members can write 3 posts within 10 minutes" in page.text
    assert page.forms["reply-form"]["body"].value == f"{LINKS} (number 3)"
    response = session.post_json(f"/api/v1/threads/{thread.id}/posts", {"body": LINKS},
                                 headers=newcomer["auth"], status=429)
    assert response.json["error"]["code"] == "rate_limited"
    assert response.headers["Retry-After"] == "600"
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Post.id)).where(Post.author_id == user.id)) == 3

    clock.travel(timedelta(minutes=10, seconds=1))  # the window moved on: 3 more
    for n in range(3):
        session.post_json(f"/api/v1/threads/{thread.id}/posts", {"body": f"{LINKS} ({n})"},
                          headers=newcomer["auth"], status=201)
    response = session.post_json(f"/api/v1/threads/{thread.id}/posts", {"body": LINKS},
                                 headers=newcomer["auth"], status=429)
    assert response.headers["Retry-After"] == "600"


def test_the_rate_ends_with_the_minimum_age_even_for_hand_set_trust(app, newcomer, moderator):
    user, thread, auth = newcomer["user"], newcomer["thread"], newcomer["auth"]
    trust.set_trust(moderator, user, "trusted", reason="Known from the old forum")
    db.session.commit()
    api = visitor(app, "198.51.100.20")
    for n in range(3):
        api.post_json(f"/api/v1/threads/{thread.id}/posts", {"body": f"Answer number {n}"},
                      headers=auth, status=201)
    api.post_json(f"/api/v1/threads/{thread.id}/posts", {"body": "Answer number 3"}, headers=auth,
                  status=429)
    clock.travel(timedelta(hours=24))  # FORUM_MOD_NEW_MEMBER_MIN_HOURS
    assert not spam.rate_applies(user, "trusted")
    for n in range(5):
        api.post_json(f"/api/v1/threads/{thread.id}/posts", {"body": f"Later answer {n}"},
                      headers=auth, status=201)


# --- Login --------------------------------------------------------------------------------------

OWNER_ADDRESS = "198.51.100.9"


@pytest.fixture
def owner(app, make_user):
    """An account whose owner logged in from OWNER_ADDRESS before."""
    user = make_user(name="Olga Owner")
    assert log_in(visitor(app, OWNER_ADDRESS), user.email, PASSWORD).status_int == 302
    return user


def test_failures_from_one_address_do_not_lock_the_owner_out(app, owner):
    clock.freeze()
    attacker = visitor(app, "203.0.113.66")
    for _ in range(5):  # FORUM_LOGIN_MAX_FAILURES per (account, address)
        assert log_in(attacker, owner.email, "guess guess guess").status_int == 422
    page = log_in(attacker, owner.email, PASSWORD)  # even the right password: throttled
    assert_refused_for(page, 15 * 60)
    assert "Too many failed attempts. Please wait 15 minutes" in page.text
    assert "You are logged in." in log_in(visitor(app, OWNER_ADDRESS), owner.email,
                                          PASSWORD).follow().text
    # An address that never failed (a new device of the owner) is not throttled either.
    assert log_in(visitor(app, "192.0.2.10"), owner.email, PASSWORD).status_int == 302
    clock.travel(timedelta(minutes=14))
    assert_refused_for(log_in(attacker, owner.email, PASSWORD), 60)
    assert "Please wait 1 minute and try again." in log_in(attacker, owner.email, PASSWORD).text
    clock.travel(timedelta(minutes=1, seconds=1))
    assert log_in(attacker, owner.email, PASSWORD).status_int == 302


def test_an_attack_from_many_addresses_is_stopped_account_wide_but_not_at_home(app, owner):
    clock.freeze()
    for n in range(10):  # 10 addresses x 5 = FORUM_LOGIN_MAX_FAILURES_PER_ACCOUNT
        attacker = visitor(app, f"10.0.{n}.1")
        for _ in range(5):
            assert log_in(attacker, owner.email, "guess guess guess").status_int == 422
        assert log_in(attacker, owner.email, "guess guess guess").status_int == 429
    page = log_in(visitor(app, "10.0.99.1"), owner.email, PASSWORD)  # the 11th address
    assert_refused_for(page, 60 * 60)  # FORUM_LOGIN_ACCOUNT_WINDOW_MINUTES
    assert "Please wait 60 minutes" in page.text
    assert log_in(visitor(app, "10.0.99.2"), owner.email, "guess").status_int == 429
    home = visitor(app, OWNER_ADDRESS)
    assert log_in(home, owner.email, PASSWORD).status_int == 302  # known address: spared
    clock.travel(timedelta(minutes=60, seconds=1))
    assert log_in(visitor(app, "10.0.99.1"), owner.email, PASSWORD).status_int == 302
