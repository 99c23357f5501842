"""Register, log in and out, remember me, passwords, language, API tokens, CLI."""
from datetime import timedelta

from community import clock
from community.models import User
from tests.conftest import PASSWORD, login


def register(testapp, email="new@example.com", name="Neue Kundin", password="a sound passphrase"):
    form = testapp.get("/register").forms["register-form"]
    form["email"], form["name"], form["password"] = email, name, password
    return form.submit(expect_errors=True)


def test_register_logs_the_new_member_in(testapp, app):
    page = register(testapp).follow()
    assert "Welcome, Neue Kundin" in page.text
    assert "Log out" in page.text
    user = User.query.filter_by(email="new@example.com").one()
    assert user.role == "customer"
    assert user.password_hash.startswith("scrypt:")
    assert "a sound passphrase" not in user.password_hash


def test_register_errors_keep_the_input_and_name_the_field(testapp, make_user):
    make_user(email="taken@example.com")
    page = register(testapp, email="Taken@Example.com", name="Karl", password="short")
    assert page.status_int == 422
    assert "An account with this e-mail address already exists." in page.text
    assert "Use at least 10 characters." in page.text
    form = page.forms["register-form"]
    assert form["email"].value == "Taken@Example.com"
    assert form["name"].value == "Karl"
    assert form["password"].value == ""  # never echoed back

    page = register(testapp, email="not-an-address", name="Karl", password="passwort123")
    assert "Please enter a valid e-mail address." in page.text
    assert "This password is too easy to guess." in page.text


def test_login_logout_and_wrong_password(testapp, make_user):
    user = make_user(name="Lena")
    form = testapp.get("/login").forms["login-form"]
    form["email"], form["password"] = user.email, "wrong password!"
    page = form.submit(status=422)
    assert "E-mail address or password is wrong." in page.text
    assert page.forms["login-form"]["email"].value == user.email

    page = login(testapp, user)
    assert "You are logged in." in page.text
    page = testapp.post(
        "/logout", {"csrf_token": page.html.find("input", {"name": "csrf_token"})["value"]}).follow()
    assert "You are logged out." in page.text
    assert "Log in" in page.text


def test_login_redirects_back_to_the_page_that_asked(testapp, make_user):
    user = make_user()
    page = testapp.get("/ask").follow()
    form = page.forms["login-form"]
    form["email"], form["password"] = user.email, PASSWORD
    assert form.submit().location.endswith("/ask")


def test_remember_me_sets_a_long_lived_cookie(testapp, make_user):
    user = make_user()
    login(testapp, user)
    assert "remember_token" not in testapp.cookies
    testapp.reset()
    response = testapp.get("/login")
    form = response.forms["login-form"]
    form["email"], form["password"], form["remember"] = user.email, PASSWORD, True
    response = form.submit()
    remember = [v for k, v in response.headerlist if k == "Set-Cookie" and "remember_token" in v]
    assert remember and "Expires=" in remember[0] and "HttpOnly" in remember[0]
    # The browser forgets the session cookie; the remember cookie logs the member back in.
    del testapp.cookies["session"]
    assert user.name in testapp.get("/").text


def test_change_password(testapp, make_user):
    user = make_user()
    login(testapp, user)
    form = testapp.get("/settings").forms["password-form"]
    form["pw-current_password"], form["pw-new_password"] = "not my password", "a brand new secret"
    page = form.submit(status=422)
    assert "This is not your current password." in page.text
    form = page.forms["password-form"]
    form["pw-current_password"], form["pw-new_password"] = PASSWORD, "a brand new secret"
    page = form.submit().follow()
    assert "Your password was changed." in page.text
    testapp.reset()
    assert "You are logged in." in login(testapp, user, password="a brand new secret").text


def test_language_setting_beats_accept_language(testapp, make_user):
    page = testapp.get("/", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert '<html lang="de">' in page.text
    page = testapp.get("/", headers={"Accept-Language": "en-US"})
    assert '<html lang="en">' in page.text
    user = make_user()
    login(testapp, user)
    form = testapp.get("/settings").forms["language-form"]
    form["lang-locale"] = "de"
    form.submit().follow()
    assert '<html lang="de">' in testapp.get("/", headers={"Accept-Language": "en"}).text


def test_api_tokens_are_created_shown_once_and_revoked(testapp, make_user):
    user = make_user()
    login(testapp, user)
    form = testapp.get("/settings").forms["token-form"]
    form["tok-name"] = "My chatbot"
    page = form.submit()
    token = page.html.find(id="new-token").text
    assert token.startswith("cc_")
    headers = {"Authorization": f"Bearer {token}"}
    assert testapp.get("/api/v1/categories", headers=headers).status_int == 200
    settings = testapp.get("/settings")
    assert token not in settings.text
    assert "My chatbot" in settings.text
    revoke = [f for f in settings.forms.values() if "/revoke" in (f.action or "")][0]
    revoke.submit().follow()
    response = testapp.get("/api/v1/categories", headers=headers, status=401)
    assert response.json["error"]["code"] == "unauthorized"


def test_cli_creates_users_tokens_and_categories(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--email", "Mod@Example.com", "--name", "Maria",
                                 "--role", "moderator", "--password", "moderate carefully"])
    assert result.exit_code == 0, result.output
    assert User.query.filter_by(email="mod@example.com").one().role == "moderator"
    result = runner.invoke(args=["users", "create", "--email", "mod@example.com", "--name", "X",
                                 "--password", "moderate carefully"])
    assert result.exit_code != 0
    assert "already exists" in result.output
    result = runner.invoke(args=["users", "token", "mod@example.com"])
    assert result.exit_code == 0 and result.output.strip().startswith("cc_")
    result = runner.invoke(args=["categories", "create", "--name", "Geräte & Zubehör",
                                 "--description", "Smartphones, Router"])
    assert result.exit_code == 0, result.output
    assert "/c/geraete-zubehoer" in result.output


def test_session_cookie_flags(testapp, make_user):
    user = make_user()
    form = testapp.get("/login").forms["login-form"]
    form["email"], form["password"] = user.email, PASSWORD
    response = form.submit()
    cookies = [v for k, v in response.headerlist if k == "Set-Cookie"]
    assert cookies and all("HttpOnly" in c and "SameSite=Lax" in c for c in cookies)
    assert not any("Secure" in c for c in cookies)  # plain HTTP here; HTTPS adds Secure


def test_login_throttling_moves_with_the_clock(testapp, make_user):
    user = make_user()
    for _ in range(5):
        form = testapp.get("/login").forms["login-form"]
        form["email"], form["password"] = user.email, "wrong password!"
        form.submit(status=422)
    form = testapp.get("/login").forms["login-form"]
    form["email"], form["password"] = user.email, PASSWORD
    page = form.submit(status=429)
    assert "Too many failed attempts" in page.text
    clock.travel(timedelta(minutes=16))
    assert "You are logged in." in login(testapp, user).text


def test_features_can_refuse_a_login_or_a_registration(app, testapp, make_user, monkeypatch):
    from community import hooks
    user = make_user()
    registry = app.extensions[hooks.KEY]
    monkeypatch.setitem(registry, "account.login_check", [lambda u: "Suspended until tomorrow."])
    monkeypatch.setitem(registry, "account.registration_check",
                        [lambda form: "Bot detected." if form.get("website") else None])
    form = testapp.get("/login").forms["login-form"]
    form["email"], form["password"] = user.email, PASSWORD
    page = form.submit(status=403)
    assert "Suspended until tomorrow." in page.text
    page = register(testapp)
    assert page.status_int == 302
    testapp.reset()
    form = testapp.get("/register").forms["register-form"]
    form["email"], form["name"], form["password"] = "bot@example.com", "Bot", "a sound passphrase"
    page = testapp.post("/register", dict(form.submit_fields(), website="http://spam.example"),
                        status=422)
    assert "Bot detected." in page.text
