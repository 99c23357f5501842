"""Transparency: the imprint and the privacy policy, written by admins in German and
English and linked in every footer; and the record of processing activities (Art. 30
GDPR), generated from the parts of the site that run and the retention in force."""
import pytest


def edit(session, name, locale, text):
    page = session.get("/admin/privacy").click(href=f"/admin/privacy/pages/{name}/{locale}")
    form = page.forms["legal-page-form"]
    form["body"] = text
    return form.submit()


def test_admins_write_the_imprint_in_both_languages_and_every_page_links_it(browser, admin,
                                                                              testapp):
    assert "This page has not been written yet." in testapp.get("/").click(href="/imprint").text
    session = browser(admin)
    edit(session, "imprint", "de", "**Beispiel GmbH**, Hauptstraße 1, 10115 Berlin\n\n"
                                   "<script>alert(1)</script>").follow()
    edit(session, "imprint", "en", "**Example Ltd**, 1 High Street, Berlin").follow()
    german = testapp.get("/imprint", headers={"Accept-Language": "de"})
    assert "<strong>Beispiel GmbH</strong>" in german.text and "<script>alert" not in german.text
    assert "Example Ltd" in testapp.get("/imprint", headers={"Accept-Language": "en"}).text
    # Written in German only: English readers get the German page rather than nothing.
    edit(session, "privacy", "de", "Wir verarbeiten Ihre Daten nach der DSGVO.").follow()
    policy = testapp.get("/").click(href="/privacy")
    assert "Wir verarbeiten Ihre Daten" in policy.text
    # The policy always says how long what is kept, from the settings in force.
    assert "Stored e-mails: 30 days" in policy.html.select_one("#retention").get_text(" ")
    # The editor shows what is saved.
    assert "Beispiel GmbH" in session.get("/admin/privacy/pages/imprint/de").text


@pytest.mark.parametrize("path", ["/admin/privacy/pages/imprint/de", "/admin/privacy/record",
                                  "/admin/privacy"])
def test_only_admins_edit_and_read_the_record(browser, make_user, path):
    assert browser(make_user(role="moderator")).get(path, status=403)
    assert browser(make_user()).get(path, status=403)


def test_unknown_pages_do_not_exist(browser, admin):
    assert browser(admin).get("/admin/privacy/pages/about/de", status=404)
    assert browser(admin).get("/admin/privacy/pages/imprint/fr", status=404)


def test_the_record_lists_what_runs_with_its_retention(browser, admin, make_app):
    record = browser(admin).get("/admin/privacy").click(href="/admin/privacy/record")
    text = record.html.get_text(" ")
    for activity in ("Member accounts and the community", "Security of logins and registrations",
                     "Moderation and defence against abuse", "Search and similar questions",
                     "Customer support"):
        assert activity in text
    assert "after 90 days FORUM_BRIDGE_PRIVATE_DETAILS_DAYS" in " ".join(text.split())
    assert "Not set (FORUM_PRIVACY_CONTROLLER)" in text


def test_the_record_follows_the_configuration(make_app):
    from webtest import TestApp

    from community.extensions import db
    from community.services import accounts
    from tests.conftest import PASSWORD, isolated, login
    app = make_app(FORUM_FEATURES=(), PRIVACY_LOGIN_DAYS=14, SMTP_HOST="mail.example.com",
                   PRIVACY_CONTROLLER="Example Telecom GmbH, Berlin")
    with app.app_context():
        admin = accounts.create_user("ada@example.com", "Ada Admin", PASSWORD, role="admin")
        db.session.commit()
        session = TestApp(isolated(app), extra_environ={"HTTP_HOST": "localhost"})
        login(session, admin)
        text = " ".join(session.get("/admin/privacy/record").html.get_text(" ").split())
    assert "Customer support" not in text and "Moderation" not in text
    assert "after 14 days FORUM_PRIVACY_LOGIN_DAYS" in text
    assert "The e-mail provider at mail.example.com" in text
    assert "Example Telecom GmbH, Berlin" in text
