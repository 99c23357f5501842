"""The audit log: filters, CSV export, append-only."""
import csv
import io
from datetime import timedelta

import pytest

from community import clock
from community.extensions import db
from moderation.models import AuditEntry

from .helpers import audit_entries, post_action


@pytest.fixture
def history(browser, make_thread, make_reply, make_user, moderator, admin):
    """Three actions by two people on two days."""
    post = make_reply(make_thread())
    mod = browser(moderator)
    post_action(mod, post, "hide", "spam", "Link farm")
    clock.travel(timedelta(days=2))
    post_action(mod, post, "restore", reason="=HYPERLINK(\"http://evil.example.com\")")
    boss = browser(admin)
    form = boss.get("/mod/blocked-words").forms["blocked-words-form"]
    form["words"] = "gratis handy"
    form.submit()
    return post


def test_audit_page_lists_and_filters(browser, history, moderator, admin):
    mod = browser(moderator)
    page = mod.get("/mod/audit")
    assert "3 entries" in page.text
    assert "post.hide" in page.text and "Link farm" in page.text
    page = mod.get("/mod/audit", {"actor": "Ada"})
    assert "1 entry" in page.text and "blocked_word.add" in page.text
    page = mod.get("/mod/audit", {"action": "post.restore"})
    assert "1 entry" in page.text
    page = mod.get("/mod/audit", {"actor": str(moderator.id), "target_type": "post",
                                  "target_id": str(history.id)})
    assert "2 entries" in page.text
    today = clock.now().strftime("%Y-%m-%d")
    assert "2 entries" in mod.get("/mod/audit", {"since": today}).text
    assert "1 entry" in mod.get("/mod/audit", {"until": (clock.now() - timedelta(days=1))
                                                .strftime("%Y-%m-%d")}).text
    page = mod.get("/mod/audit", {"since": "yesterday"}, expect_errors=True)
    assert page.status_int == 422 and "Use the form YYYY-MM-DD." in page.text


def test_audit_csv_export(browser, history, moderator):
    response = browser(moderator).get("/mod/audit.csv", {"action": "blocked_word"})
    assert response.content_type == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["action"] for r in rows] == ["blocked_word.add"]
    assert rows[0]["actor"] == "Ada Admin"
    assert rows[0]["details"] == '{"words": ["gratis handy"]}'
    everything = list(csv.DictReader(io.StringIO(browser(moderator).get("/mod/audit.csv").text)))
    assert [r["action"] for r in everything] == ["post.hide", "post.restore", "blocked_word.add"]
    assert everything[0]["reason"] == "Link farm" and everything[0]["reason_code"] == "spam"
    assert everything[1]["reason"].startswith("'=HYPERLINK")  # no formula in a spreadsheet


def test_audit_entries_cannot_be_changed_or_deleted(history):
    entry = audit_entries()[0]
    entry.reason = "rewritten history"
    with pytest.raises(RuntimeError):
        db.session.flush()
    db.session.rollback()
    entry = db.session.get(AuditEntry, audit_entries()[0].id)
    db.session.delete(entry)
    with pytest.raises(RuntimeError):
        db.session.flush()
    db.session.rollback()
    assert len(audit_entries()) == 3


def test_only_staff_who_moderate_read_the_audit_log(browser, make_user, history):
    assert browser(make_user()).get("/mod/audit", expect_errors=True).status_int == 403
    assert browser(make_user(role="agent")).get("/mod/audit.csv",
                                                expect_errors=True).status_int == 403
