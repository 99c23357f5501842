"""Every form of the core, sent with a mistake, comes back filled in with the member's
text, the error right next to the field it is about (inside the field's box, linked
with aria-describedby and marked aria-invalid), and nothing saved."""
from sqlalchemy import func, select

from community import hooks
from community.extensions import db
from community.models import ApiToken, Post, Thread, User
from tests.conftest import PASSWORD, login


def field_box(page, form_id, name):
    """The ``.field`` box of the input ``name`` in form ``form_id``."""
    form = page.html.find("form", id=form_id)
    assert form is not None, form_id
    control = form.find(attrs={"name": name})
    assert control is not None, name
    box = control.find_parent(class_="field")
    assert box is not None, name
    return control, box


def assert_error_at(page, form_id, name, message):
    control, box = field_box(page, form_id, name)
    errors = [p.get_text() for p in box.select("p.error")]
    assert message in errors, (name, errors)
    assert "has-error" in box["class"]
    assert control.get("aria-invalid") == "true"
    described = page.html.find(id=control["aria-describedby"])
    assert message in described.get_text()


def assert_no_error_at(page, form_id, name):
    control, box = field_box(page, form_id, name)
    assert not box.select("p.error"), name
    assert control.get("aria-invalid") is None


def count(model):
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_register(testapp, make_user):
    make_user(email="taken@example.com")
    users = count(User)
    form = testapp.get("/register").forms["register-form"]
    form["email"], form["name"], form["password"] = "taken@example.com", "Karla Kunde", "kurz"
    page = form.submit(status=422)
    assert_error_at(page, "register-form", "email",
                    "An account with this e-mail address already exists.")
    assert_error_at(page, "register-form", "password", "Use at least 10 characters.")
    assert_no_error_at(page, "register-form", "name")
    form = page.forms["register-form"]
    assert (form["email"].value, form["name"].value) == ("taken@example.com", "Karla Kunde")
    form["email"], form["name"], form["password"] = "no-at-sign", "K", PASSWORD
    page = form.submit(status=422)
    assert_error_at(page, "register-form", "email", "Please enter a valid e-mail address.")
    assert_error_at(page, "register-form", "name", "Use 2 to 60 characters.")
    assert page.forms["register-form"]["email"].value == "no-at-sign"
    assert count(User) == users


def test_login(testapp, make_user):
    user = make_user()
    form = testapp.get("/login").forms["login-form"]
    form["email"], form["password"] = user.email, "not the password"
    page = form.submit(status=422)
    assert_error_at(page, "login-form", "password", "E-mail address or password is wrong.")
    assert page.forms["login-form"]["email"].value == user.email
    assert page.forms["login-form"]["password"].value == ""  # never echoed back
    form = page.forms["login-form"]
    form["email"] = ""
    page = form.submit(status=422)
    assert_error_at(page, "login-form", "email", "This field is required.")


def test_ask(testapp, make_user, make_category):
    make_category(name="Billing")
    mobile = make_category(name="Mobile")
    login(testapp, make_user())
    form = testapp.get("/ask").forms["ask-form"]
    form["category"], form["title"] = mobile.slug, "SIM?"
    form["body"] = "My SIM card stopped working after the update."
    form["tags"] = "sim, x"
    page = form.submit("submit", status=422)
    assert_error_at(page, "ask-form", "title",
                    "Please describe your question in at least 8 characters.")
    assert_error_at(page, "ask-form", "tags", "Each tag needs at least 2 characters.")
    assert_no_error_at(page, "ask-form", "body")
    form = page.forms["ask-form"]
    assert form["category"].value == mobile.slug
    assert form["body"].value == "My SIM card stopped working after the update."
    assert (form["title"].value, form["tags"].value) == ("SIM?", "sim, x")
    form["body"] = ""
    page = form.submit("submit", status=422)
    assert_error_at(page, "ask-form", "body", "This field is required.")
    assert page.forms["ask-form"]["title"].value == "SIM?"
    assert count(Thread) == 0


def test_reply(testapp, make_user, make_thread):
    thread = make_thread()
    login(testapp, make_user())
    form = testapp.get(f"/t/{thread.id}-{thread.slug}").forms["reply-form"]
    form["body"] = "Restart."
    page = form.submit("submit", status=422)
    assert_error_at(page, "reply-form", "body", "Please write at least 10 characters.")
    assert page.forms["reply-form"]["body"].value == "Restart."
    # The thread is still shown around the form.
    assert page.html.find("h1").get_text() == thread.title
    assert count(Post) == 1


def test_edit(testapp, make_user, make_thread):
    author = make_user()
    thread = make_thread(author=author, title="Router keeps rebooting", tags=["router"])
    login(testapp, author)
    form = testapp.get(f"/p/{thread.first_post_id}/edit").forms["edit-form"]
    form["title"], form["tags"] = "Router", "router, a, b2, c3, d4, e5"
    form["body"] = "It reboots every night at three."
    form["reason"] = "more detail"
    page = form.submit("submit", status=422)
    assert_error_at(page, "edit-form", "title",
                    "Please describe your question in at least 8 characters.")
    assert_error_at(page, "edit-form", "tags", "Use at most 5 tags.")
    form = page.forms["edit-form"]
    assert form["body"].value == "It reboots every night at three."
    assert (form["title"].value, form["reason"].value) == ("Router", "more detail")
    form["title"], form["tags"], form["body"] = "Router keeps rebooting at night", "router", "x"
    page = form.submit("submit", status=422)
    assert_error_at(page, "edit-form", "body", "Please write at least 10 characters.")
    assert page.forms["edit-form"]["title"].value == "Router keeps rebooting at night"
    db.session.expire_all()
    assert db.session.get(Thread, thread.id).title == "Router keeps rebooting"


def test_password(testapp, make_user):
    user = make_user(name="Petra Passwort")
    login(testapp, user)
    form = testapp.get("/settings").forms["password-form"]
    form["pw-current_password"], form["pw-new_password"] = PASSWORD, "petra passwort 1"
    page = form.submit(status=422)
    assert_error_at(page, "password-form", "pw-new_password",
                    "The password must not contain your name or e-mail address.")
    assert_no_error_at(page, "password-form", "pw-current_password")
    form = page.forms["password-form"]
    form["pw-current_password"], form["pw-new_password"] = "wrong one", "a fine new secret"
    page = form.submit(status=422)
    assert_error_at(page, "password-form", "pw-current_password",
                    "This is not your current password.")
    # The rest of the settings page is there, with its own forms untouched.
    assert {"language-form", "token-form"} <= set(page.forms)


def test_language_setting(testapp, make_user):
    login(testapp, make_user())
    page = testapp.get("/settings")
    csrf = page.forms["language-form"]["lang-csrf_token"].value
    page = testapp.post("/settings/language", {"lang-locale": "xx", "lang-csrf_token": csrf},
                        status=422)
    assert_error_at(page, "language-form", "lang-locale", "Not a valid choice.")


def test_token_name(testapp, make_user):
    login(testapp, make_user())
    form = testapp.get("/settings").forms["token-form"]
    name = "My very long integration name for the CRM of the whole company, v2"
    form["tok-name"] = name
    page = form.submit(status=422)
    assert_error_at(page, "token-form", "tok-name", "Field cannot be longer than 60 characters.")
    assert page.forms["token-form"]["tok-name"].value == name
    assert "new-token" not in page.text
    form = page.forms["token-form"]
    form["tok-name"] = ""
    page = form.submit(status=422)
    assert_error_at(page, "token-form", "tok-name", "This field is required.")
    assert count(ApiToken) == 0


def test_a_features_rate_limit_keeps_the_text(app, testapp, make_user, make_thread, monkeypatch):
    """A feature may refuse a post for now (``RateLimited``, 429) from a visibility
    policy; the member gets the form back with the text and the reason."""
    from community.errors import RateLimited

    def slow_down(user, category, thread, title, body):
        raise RateLimited("Please wait two minutes before you post again.", retry_after=120,
                          fields={"body": "Please wait two minutes before you post again."})

    thread = make_thread()
    login(testapp, make_user())
    monkeypatch.setitem(app.extensions[hooks.KEY], "write.visibility", [slow_down])
    form = testapp.get(f"/t/{thread.id}-{thread.slug}").forms["reply-form"]
    form["body"] = "Have you tried the other cable?"
    page = form.submit("submit", status=429)
    assert_error_at(page, "reply-form", "body", "Please wait two minutes before you post again.")
    assert page.headers["Retry-After"] == "120"
    assert page.forms["reply-form"]["body"].value == "Have you tried the other cable?"
    form = testapp.get("/ask").forms["ask-form"]
    form["title"], form["body"] = "Which cable do I need?", "The router has two ports."
    page = form.submit("submit", status=429)
    assert_error_at(page, "ask-form", "body", "Please wait two minutes before you post again.")
    assert page.forms["ask-form"]["title"].value == "Which cable do I need?"
    assert count(Post) == 1
