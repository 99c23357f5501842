"""In real Chromium, the privacy journeys of issue 17 as people make them: a customer
downloads their data on a phone and later deletes their account; a moderator removes a
phone number from a post on a desktop; an admin writes the imprint, reads the retention
page and the record of processing, and a visitor finds the imprint in the footer.
axe-core finds nothing critical or serious on these pages, in English and German, and no
page scrolls sideways on the phone.
"""
import io
import zipfile

import pytest

from community import outbox
from community.extensions import db
from community.services import accounts, categories, threads
from tests.conftest import PASSWORD
from tests.e2e.conftest import LOCALES, SIZES, check_page, log_in

pytestmark = pytest.mark.e2e

PHONE_NUMBER = "0171 2345678"
QUESTION = "Router loses the line after the storm"


@pytest.fixture
def live_app(live_app):
    with live_app.app_context():
        category = categories.all_categories()[0]
        carla = accounts.create_user("carla@example.com", "Carla Quellmalz", PASSWORD)
        accounts.create_user("mona@example.com", "Mona Moderator", PASSWORD, role="moderator")
        accounts.create_user("ada@example.com", "Ada Admin", PASSWORD, role="admin")
        thread = threads.create_thread(
            carla, category, QUESTION,
            f"Since the storm the DSL light blinks. Call me back on {PHONE_NUMBER}, please.",
            confirmed=("public_data",))   # she confirmed the warning
        threads.reply(accounts.find_by_email("bruno@example.com"), thread,
                      "Check the splitter first, Carla, storms often damage it.")
        db.session.commit()
        outbox.drain()
        db.session.remove()
    return live_app


def run_worker(app):
    with app.app_context():
        outbox.drain()
        db.session.remove()


@pytest.mark.parametrize("size", list(SIZES))
def test_a_customer_downloads_their_data_then_deletes_the_account(live_app, live_server,
                                                                 open_page, shots, size):
    from playwright.sync_api import expect

    page = open_page(size)
    log_in(page, live_server, "carla@example.com")
    page.goto(live_server + "/settings#privacy")
    check_page(page, "settings")
    page.get_by_role("button", name="Download my data").click()
    expect(page.locator(".flash")).to_contain_text("We are putting your data together")
    expect(page.locator(".export-pending")).to_be_visible()

    run_worker(live_app)       # the worker builds the ZIP and notifies her
    page.goto(live_server + "/notifications")
    check_page(page, "notifications with the export")
    page.goto(live_server + "/settings#privacy")
    with page.expect_download() as download:
        page.locator("#export-download").click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    names = set(archive.namelist())
    assert {"index.html", "export.json", "threads.json", "posts.json"} <= names
    assert QUESTION in archive.read("threads.json").decode()
    posts = archive.read("posts.json").decode()
    assert "Since the storm" in posts and "Check the splitter" not in posts   # hers only
    shots(page, f"privacy-settings-{size}")

    page.get_by_role("link", name="Delete my account…").click()
    check_page(page, "delete account")
    page.get_by_role("button", name="Delete my account").click()      # nothing filled in
    expect(page.locator(".error-summary")).to_be_visible()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("I understand").check()
    shots(page, f"privacy-delete-{size}")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.locator(".flash")).to_contain_text("Your account was deleted")
    page.get_by_role("link", name=QUESTION).first.click()
    expect(page.locator(".post").first).to_contain_text("Former member")
    expect(page.locator("main")).not_to_contain_text("Carla Quellmalz")
    expect(page.locator(".post").first).to_contain_text("Since the storm")   # posts stay
    check_page(page, "thread after the deletion")
    page.goto(live_server + "/settings")                 # logged out
    assert "/login" in page.url
    log_in_again = page.locator("#login-form")
    page.locator("#email").fill("carla@example.com")
    page.locator("#password").fill(PASSWORD)
    log_in_again.locator("[type=submit]").click()
    expect(page.locator(".error-summary, .flash")).to_be_visible()
    assert "/login" in page.url                          # the account is gone


@pytest.mark.parametrize("locale", list(LOCALES))
def test_a_moderator_redacts_a_phone_number(live_app, live_server, open_page, shots, locale):
    from playwright.sync_api import expect

    page = open_page("desktop", locale)
    log_in(page, live_server, "mona@example.com")
    page.goto(live_server + "/")
    page.get_by_role("link", name=QUESTION).first.click()
    page.locator(".post").first.locator("a.redact").click()
    check_page(page, "redact")
    found = page.locator("#redact-form input[name=span]")
    expect(found).to_have_count(1)
    expect(page.locator("#redact-form label code")).to_have_text(PHONE_NUMBER)
    shots(page, f"privacy-redact-{locale}")
    page.locator("#redact-form [type=submit]").click()
    expect(page.locator(".flash")).to_be_visible()
    first = page.locator(".post").first
    expect(first).to_contain_text("[removed: personal data]")
    expect(first).not_to_contain_text(PHONE_NUMBER)
    run_worker(live_app)       # Whoosh follows at the worker's next run
    page.goto(live_server + "/search?q=2345678")
    expect(page.locator("main")).not_to_contain_text(QUESTION)


@pytest.mark.parametrize("size", list(SIZES))
def test_an_admin_writes_the_imprint_and_reads_retention_and_the_record(
        live_app, live_server, open_page, shots, size):
    from playwright.sync_api import expect

    page = open_page(size, "de")
    log_in(page, live_server, "ada@example.com")
    page.goto(live_server + "/admin/privacy")
    check_page(page, "retention")
    shots(page, f"privacy-retention-{size}")
    page.goto(live_server + "/admin/privacy/record")
    check_page(page, "record of processing")
    with live_app.app_context():
        carla = accounts.find_by_email("carla@example.com").id
    page.goto(live_server + f"/admin/privacy/members/{carla}")
    check_page(page, "what is held about a member")
    shots(page, f"privacy-member-{size}")
    page.goto(live_server + "/admin/privacy/pages/imprint/de")
    check_page(page, "edit the imprint")
    page.locator("textarea").fill("## Anbieter\n\nBeispiel Telekom GmbH, Musterstraße 1, "
                                  "10115 Berlin")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator(".flash")).to_be_visible()

    visitor = open_page(size, "de")
    visitor.goto(live_server + "/")
    visitor.locator("footer").get_by_role("link", name="Impressum").click()
    expect(visitor.locator("main")).to_contain_text("Beispiel Telekom GmbH")
    check_page(visitor, "imprint")
    visitor.goto(live_server + "/")
    visitor.locator("footer").get_by_role("link", name="Datenschutz").click()
    check_page(visitor, "privacy policy")
    shots(visitor, f"privacy-policy-{size}")
