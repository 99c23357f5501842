"""Read position and unread markers (issue 14, point 6): a member sees which threads
have replies they have not read, and returns to the first of them."""
from datetime import timedelta

import pytest

from community import clock
from tests.conftest import login


@pytest.fixture
def conversation(app, make_user, make_category, make_thread, make_reply):
    """A thread with 7 replies at 3 per page, one minute apart; Rita reads along."""
    app.config["POSTS_PER_PAGE"] = 3
    clock.freeze()
    category = make_category(name="Internet")
    rita = make_user(name="Rita Reader")
    thread = make_thread(author=make_user(name="Asker"), category=category,
                         title="Router drops the line at night")
    replies = []
    for n in range(7):
        clock.travel(timedelta(minutes=1))
        replies.append(make_reply(thread, body=f"Reply number {n + 1} with an idea."))
    return {"thread": thread, "replies": replies, "rita": rita, "category": category}


def _row(page, title):
    [row] = [li for li in page.html.select(".thread-row") if title in li.text]
    return row


def test_a_thread_read_to_its_end_has_no_marker_until_someone_replies(
        testapp, conversation, make_reply):
    thread, rita = conversation["thread"], conversation["rita"]
    login(testapp, rita)
    category = f"/c/{conversation['category'].slug}"
    assert not _row(testapp.get(category), thread.title).select(".new-replies")  # never read
    for page in (1, 2, 3):
        testapp.get(f"/t/{thread.id}-{thread.slug}?page={page}")
    assert not _row(testapp.get(category), thread.title).select(".new-replies")

    clock.travel(timedelta(minutes=5))
    new = make_reply(thread, body="A new idea after Rita's visit.")
    for path in (category, "/"):
        [link] = _row(testapp.get(path), thread.title).select(".new-replies")
        assert link.text == "New replies"
    followed = testapp.get(link["href"])
    assert followed.status_int == 302 and followed.location.endswith(f"?page=3#post-{new.id}")
    page = followed.follow()
    assert "A new idea after Rita" in page.text
    assert not _row(testapp.get(category), thread.title).select(".new-replies")


def test_a_member_who_stopped_on_page_one_is_led_to_where_they_stopped(
        testapp, conversation):
    thread, rita, replies = conversation["thread"], conversation["rita"], conversation["replies"]
    login(testapp, rita)
    first = testapp.get(f"/t/{thread.id}-{thread.slug}")
    assert "Reply number 3" in first.text and "Reply number 4" not in first.text
    assert not first.html.select(".new-since")  # a first visit: nothing is "new" yet

    again = testapp.get(f"/t/{thread.id}-{thread.slug}")
    [jump] = again.html.select(".new-since a")
    assert jump.text == "Jump to the first new reply"
    target = testapp.get(jump["href"])
    assert target.location.endswith(f"?page=2#post-{replies[3].id}")
    assert "Reply number 4" in target.follow().text


def test_the_marker_speaks_german(testapp, conversation, make_reply):
    thread, rita = conversation["thread"], conversation["rita"]
    rita.locale = "de"
    login(testapp, rita)
    testapp.get(f"/t/{thread.id}-{thread.slug}?page=3")
    clock.travel(timedelta(minutes=5))
    make_reply(thread, body="Noch eine Idee zum Router.")
    [link] = _row(testapp.get("/"), thread.title).select(".new-replies")
    assert link.text == "Neue Antworten"


def test_visitors_have_no_marks_and_the_new_reply_link_asks_to_log_in(testapp, conversation):
    thread = conversation["thread"]
    assert not testapp.get("/").html.select(".new-replies")
    response = testapp.get(f"/t/{thread.id}/new")
    assert response.status_int == 302 and "/login" in response.location


def test_a_hidden_thread_reveals_nothing_through_the_new_reply_link(
        app, testapp, conversation, make_user):
    from community.extensions import db
    thread = conversation["thread"]
    thread_id = thread.id
    thread.visibility = "hidden"
    db.session.commit()
    login(testapp, conversation["rita"])
    assert testapp.get(f"/t/{thread_id}/new", expect_errors=True).status_int == 404
