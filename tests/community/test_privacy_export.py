"""A member downloads their data (Art. 15 and 20 GDPR): requested on the settings page
or through the API, built by the worker, announced in the app and by e-mail, served to
them alone for seven days; an operator writes the same ZIP with the command line."""
import io
import json
import zipfile
from datetime import timedelta

from community import clock
from community.extensions import db
from community.notifications.mail import text_part
from community.notifications.models import MailMessage
from tests.community import privacy_world
from tests.community.privacy_world import (
    ANNA,
    ANNA_DETAIL,
    ANNA_IP,
    BOB,
    BOB_DETAIL,
    BOB_IP,
    drain,
)

world = privacy_world.world


def unzip(body):
    archive = zipfile.ZipFile(io.BytesIO(body))
    return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def request_on_settings_page(session):
    page = session.get("/settings")
    return page.forms["export-form"].submit().follow()


def test_a_member_downloads_everything_held_about_them_and_nothing_of_others(world, testapp):
    page = request_on_settings_page(testapp)
    assert "We are putting your data together" in page.text
    assert "export-form" not in page.forms  # one at a time
    drain()

    page = testapp.get("/notifications")
    assert "Your data export is ready to download" in page.text
    mail = db.session.scalars(db.select(MailMessage).where(
        MailMessage.recipient == ANNA["email"]).order_by(MailMessage.id.desc())).first()
    assert "Your data export is ready to download" in text_part(mail.raw)
    link = next(word for word in text_part(mail.raw).split() if "/settings/privacy/exports/" in word)
    answer = testapp.get(link.replace("http://127.0.0.1:5000", ""))
    assert answer.content_type == "application/zip"
    assert answer.headers["Cache-Control"] == "no-store, private"
    files = unzip(answer.body)

    kinds = {entry["file"] for entry in json.loads(files["export.json"])["files"]}
    assert {"profile.json", "posts.json", "votes.json", "flags.json", "notifications.json",
            "notification_settings.json", "emails.json", "tickets.json", "private_details.json",
            "sanctions.json", "logins.json", "api_tokens.json"} <= kinds
    data = {name[:-5]: json.loads(text) for name, text in files.items()
            if name.endswith(".json") and name != "export.json"}
    assert data["profile"][0]["email"] == ANNA["email"]
    question = next(p for p in data["posts"] if p["is_question"])
    assert question["body"].endswith("three o'clock sharp.")
    assert question["earlier_versions"][0]["body"].endswith("three o'clock.")
    assert question["earlier_versions"][0]["title"] == "Router restarts every night"
    assert [v["post_id"] for v in data["votes"]] == [world.bob_reply.id]
    assert data["flags"][0]["text"] == "Looks like an advert to me"
    assert data["sanctions"][0]["kind"] == "silence"
    assert data["private_details"][0]["answer"] == ANNA_DETAIL
    assert data["tickets"][0]["ticket_id"] == world.ticket.id
    assert {"mention", "support_request", "sanction"} <= {n["kind"] for n in data["notifications"]}
    assert any("Router restarts" in m["subject"] for m in data["emails"])
    assert any(login["ip"] == ANNA_IP for login in data["logins"])
    assert [t["name"] for t in data["api_tokens"]] == ["Annegret's phone app"]
    assert set(data["api_tokens"][0]) == {"name", "created_at", "last_used_at", "revoked_at"}
    assert "Router restarts every night at three" in files["index.html"]

    everything = "\n".join(files.values())
    for other in (BOB["email"], BOB_DETAIL, BOB_IP, "Bodo's CRM", "cc_"):
        assert other not in everything
    assert all(p["body"] != world.bob_reply.body for p in data["posts"])


def test_the_download_is_the_members_alone_and_ends_after_seven_days(world, testapp, browser):
    request_on_settings_page(testapp)
    drain()
    link = testapp.get("/settings").click(linkid="export-download").request.path
    assert testapp.get(link).status_int == 200
    assert browser(world.bob).get(link, status=404)
    assert browser().get(link).status_int == 302  # to the login page
    clock.travel(timedelta(days=7, minutes=1))
    assert testapp.get(link, status=404)
    assert "export-download" not in testapp.get("/settings").text


def test_an_api_client_starts_the_export_and_downloads_it(world, testapp):
    headers = world.anna_api
    state = testapp.get("/api/v1/me/export", headers=headers).json
    assert state["status"] == "pending" and state["download_url"] is None
    assert testapp.get("/api/v1/me/export/download", headers=headers, status=404)
    assert testapp.get("/api/v1/me/export", headers=headers).json["id"] == state["id"]
    drain()
    state = testapp.get("/api/v1/me/export", headers=headers).json
    assert state["status"] == "ready" and state["size"] > 0
    answer = testapp.get(state["download_url"].replace("http://localhost", ""), headers=headers)
    assert json.loads(unzip(answer.body)["profile.json"])[0]["email"] == ANNA["email"]
    # Another member's token reaches their own export, never Anna's.
    other = testapp.get("/api/v1/me/export", headers=world.bob_api).json
    assert other["id"] != state["id"] and other["status"] == "pending"
    assert testapp.get("/api/v1/me/export", status=401)


def test_an_operator_writes_the_export_with_the_command_line(world, app, tmp_path):
    target = tmp_path / "anna.zip"
    result = app.test_cli_runner().invoke(args=["users", "export", ANNA["email"],
                                                "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    files = unzip(target.read_bytes())
    assert ANNA_DETAIL in files["private_details.json"]
    assert BOB["email"] not in "".join(files.values())
    result = app.test_cli_runner().invoke(args=["users", "export", "nobody@example.org",
                                                "--output", str(target)])
    assert result.exit_code != 0 and "No user" in result.output


def test_a_silenced_member_may_still_take_their_data(world, testapp):
    """Anna is silenced (read-only) in the world: her rights do not depend on it."""
    page = request_on_settings_page(testapp)
    assert "We are putting your data together" in page.text


def test_a_second_request_the_same_day_returns_the_first_export(world, testapp):
    request_on_settings_page(testapp)
    drain()
    first = testapp.get("/settings").click(linkid="export-download").request.path
    page = request_on_settings_page(testapp)
    assert "already being prepared or ready" in page.text
    assert page.click(linkid="export-download").request.path == first
    clock.travel(timedelta(days=1, minutes=1))
    request_on_settings_page(testapp)
    drain()
    assert testapp.get("/settings").click(linkid="export-download").request.path != first
