"""A moderator or agent cuts personal data out of a post: the detected IBAN, phone
number, e-mail address or contract number, or any text they copy. It is replaced by
"[removed: personal data]" in the post, every earlier version, search, the API, the
e-mails and the outbox; the audit entry names the post and the kind, never the data."""
import json

import pytest
from sqlalchemy import select

from community import outbox
from community.extensions import db
from community.models import OutboxMessage, PostRevision
from community.notifications.mail import text_part
from community.notifications.models import MailMessage
from community.privacy.models import PrivacyLog
from community.services import privacy, threads
from tests.conftest import login
from tests.search.helpers import titles

IBAN = "DE89 3704 0044 0532 0130 00"
PHONE = "+49 170 1234567"
STREET = "Lindenstraße 12, 10115 Berlin"


@pytest.fixture
def exposed(make_user, make_thread, make_reply):
    """Bob wrote his bank account and phone into an answer to Anna (confirming the
    warning), then edited it: the data is in the post and in its earlier version."""
    anna, bob = make_user(name="Anna Asker"), make_user(name="Bob Helper")
    thread = make_thread(author=anna, title="Refund of a double charge",
                         body="I was charged twice this month.")
    reply = make_reply(thread, author=bob, confirmed={"public_data"},
                       body=f"Same for me. Refund to {IBAN}, call {PHONE}.")
    threads.edit_post(bob, reply, f"Same for me! Refund to {IBAN}, call {PHONE}. I live at "
                                  f"{STREET}.", confirmed={"public_data"})
    db.session.commit()
    outbox.drain()  # indexed, and Anna's e-mail about the answer is written
    outbox.drain()
    db.session.expire_all()
    return {"anna": anna, "bob": bob, "thread": thread, "reply": reply}


def redact_page(session, post):
    return session.get(f"/t/{post.thread_id}").maybe_follow().click(
        href=f"/p/{post.id}/redact")


def copies_of(post):
    """Every place the post's text lives: the post, its revisions, outbox payloads, mails."""
    db.session.expire_all()
    texts = [db.session.get(type(post), post.id).body, db.session.get(type(post), post.id).body_html]
    texts += db.session.scalars(select(PostRevision.body).where(PostRevision.post_id == post.id))
    texts += [json.dumps(row.payload) for row in db.session.scalars(select(OutboxMessage))]
    texts += [text_part(m.raw) + m.subject for m in db.session.scalars(select(MailMessage))]
    return "\n".join(texts)


def test_a_moderator_removes_the_detected_data_from_every_copy(exposed, browser, moderator,
                                                               testapp):
    reply = exposed["reply"]
    assert IBAN in copies_of(reply) and titles(testapp.get("/search?q=DE89+3704+0044+0532")) \
        == ["Refund of a double charge"]
    page = redact_page(browser(moderator), reply)
    form = page.forms["redact-form"]
    assert sorted(form.fields["span"][i].value for i in range(len(form.fields["span"]))) == \
        sorted([IBAN, PHONE])
    page = form.submit().follow()
    assert "The personal data was removed" in page.text
    assert privacy.MARKER in page.text and IBAN not in page.text and PHONE not in page.text
    outbox.drain()

    everything = copies_of(reply)
    assert IBAN not in everything and PHONE not in everything and STREET in everything
    assert privacy.MARKER in db.session.scalars(select(PostRevision.body).where(
        PostRevision.post_id == reply.id)).one()
    assert titles(testapp.get("/search?q=DE89+3704+0044+0532")) == []
    assert IBAN not in testapp.get(f"/api/v1/posts/{reply.id}").json["body_html"]
    revisions = browser(moderator).get(f"/mod/posts/{reply.id}")
    assert IBAN not in revisions.text
    # The audit log and the record say which post and which kinds, never the data.
    audit = browser(moderator).get("/mod/audit?action=post.redact")
    assert f"{reply.id}" in audit.text and IBAN not in audit.text
    entry = db.session.scalars(select(PrivacyLog).where(PrivacyLog.action == "redaction")).one()
    assert (entry.post_id, entry.details["kinds"]) == (reply.id, ["iban", "phone"])
    assert IBAN not in json.dumps(entry.details) + entry.reason


def test_an_agent_removes_text_they_copy(exposed, browser, make_user):
    agent = make_user(role="agent")
    form = redact_page(browser(agent), exposed["reply"]).forms["redact-form"]
    for box in form.fields["span"]:
        box.checked = False
    form["text"] = STREET
    form["kind"] = "address"
    form.submit().follow()
    outbox.drain()
    everything = copies_of(exposed["reply"])
    assert STREET not in everything and IBAN in everything
    entry = db.session.scalars(select(PrivacyLog)).one()
    assert entry.details["kinds"] == ["address"]


def test_text_that_is_not_in_the_post_is_refused(exposed, browser, moderator):
    form = redact_page(browser(moderator), exposed["reply"]).forms["redact-form"]
    for box in form.fields["span"]:
        box.checked = False
    form["text"] = "something else entirely"
    answer = form.submit(expect_errors=True)
    assert answer.status_int == 422
    assert "This text is not in the post" in answer.text
    assert "something else entirely" in answer.text  # kept in the field
    assert not db.session.scalars(select(PrivacyLog)).all()


def test_members_cannot_redact(exposed, browser):
    session = browser(exposed["anna"])
    page = session.get(f"/t/{exposed['thread'].id}").maybe_follow()
    assert "/redact" not in page.text
    assert session.get(f"/p/{exposed['reply'].id}/redact", status=403)


def test_a_private_data_report_is_settled_by_the_redaction(exposed, browser, moderator):
    """Anna reports that the answer shows private data; the moderator redacts it from
    the queue, and the report is done in the same step."""
    anna = browser(exposed["anna"])
    flag = anna.get(f"/mod/flag/{exposed['reply'].id}").forms["flag-form"]
    flag["reason"] = "private_data"
    flag.submit()
    session = browser(moderator)
    queue = session.get("/mod")
    page = queue.click(href=f"/p/{exposed['reply'].id}/redact")
    page.forms["redact-form"].submit().follow()
    assert f"item-{exposed['reply'].id}" not in session.get("/mod").text
    assert "Nothing waits for review" in session.get("/mod").text
    outbox.drain()
    assert "acted on your report" in anna.get("/notifications").text


def test_login_is_needed(exposed, testapp):
    assert testapp.get(f"/p/{exposed['reply'].id}/redact").status_int == 302
    login(testapp, exposed["bob"])
    assert testapp.get(f"/p/{exposed['reply'].id}/redact", status=403)
