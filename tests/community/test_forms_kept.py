"""Nothing a member typed is lost: a question, answer or edit refused after it was sent
comes back in its form with the text and the reason at the top, whether the thread was
closed meanwhile, the session ended (log in, then back to the form) or the page's CSRF
token expired. Nothing is saved by a refusal, nor by the way back."""
from sqlalchemy import func, select

from community.extensions import db
from community.models import Post, Thread
from community.services import threads
from tests.conftest import PASSWORD

TITLE = "Router drops the line every evening"
BODY = "Since Monday the DSL line drops at 8 pm, for about a minute. I rebooted twice."
ANSWER = "Switch the router to the fixed profile 17a, that fixed it for me."


def count(model):
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def summary(page):
    """The error summary's messages."""
    box = page.html.select_one("form [role=alert]")
    assert box is not None, page.text[:2000]
    return [li.get_text(" ", strip=True) for li in box.select("li")]


def filled_ask_form(session, category):
    form = session.get("/ask").forms["ask-form"]
    form["category"], form["title"], form["body"] = category.slug, TITLE, BODY
    return form


def test_a_question_sent_after_the_session_ended_comes_back_after_logging_in(
        browser, make_user, make_category):
    member, category = make_user(), make_category(name="Internet")
    session = browser(member)
    form = filled_ask_form(session, category)
    session.reset()  # the session ended: cookie gone (logged out elsewhere, expired)
    page = form.submit("submit", status=401)
    assert "Your session has ended, so nothing was sent." in " ".join(summary(page))
    login = page.forms["login-form"]
    assert login.action == "/login"
    assert (login["carry-title"].value, login["carry-body"].value) == (TITLE, BODY)
    assert "carry-csrf_token" not in login.fields
    login["email"], login["password"] = member.email, "wrong password"
    page = login.submit(status=422)  # a typo on the way keeps the text too
    login = page.forms["login-form"]
    assert login["carry-body"].value == BODY
    login["password"] = PASSWORD
    page = login.submit(status=200)
    back = page.forms["resume-form"]
    assert back.action == "/ask"
    page = back.submit(status=200)  # the form again, filled in, nothing posted yet
    form = page.forms["ask-form"]
    assert (form["category"].value, form["title"].value, form["body"].value) == (
        category.slug, TITLE, BODY)
    assert count(Thread) == 0
    page = form.submit("submit").follow()
    assert page.html.h1.get_text() == TITLE
    assert count(Thread) == 1


def test_an_answer_sent_after_the_session_ended_comes_back_after_logging_in(
        browser, make_user, make_thread):
    member, thread = make_user(), make_thread()
    session = browser(member)
    form = session.get(f"/t/{thread.id}-{thread.slug}").forms["reply-form"]
    form["body"] = ANSWER
    session.reset()
    page = form.submit("submit", status=401)
    login = page.forms["login-form"]
    login["email"], login["password"] = member.email, PASSWORD
    page = login.submit(status=200).forms["resume-form"].submit(status=200)
    assert page.forms["reply-form"]["body"].value == ANSWER
    assert count(Post) == 1
    page.forms["reply-form"].submit("submit").follow()
    assert count(Post) == 2


def test_the_way_back_only_shows_the_text_and_only_to_forms_that_keep_it(
        browser, make_user, make_category):
    member, category = make_user(), make_category()
    session = browser(member)
    token = session.get("/ask").forms["ask-form"]["csrf_token"].value
    page = session.post("/ask", {"csrf_token": token, "resume": "1", "category": category.slug,
                                 "title": TITLE, "body": BODY, "submit": "Post question"})
    assert page.status_int == 200 and page.forms["ask-form"]["title"].value == TITLE
    assert count(Thread) == 0
    # A login carrying text towards a page that does not take it back just logs in.
    visitor = browser()
    login = visitor.get("/login?next=/settings").forms["login-form"]
    login["email"], login["password"] = member.email, PASSWORD
    response = visitor.post("/login", dict(login.submit_fields(), **{"carry-name": "x"}))
    assert response.status_int == 302 and response.location.endswith("/settings")


def test_an_expired_form_comes_back_with_the_text(browser, make_user, make_category,
                                                  make_thread):
    member, category = make_user(), make_category()
    session = browser(member)
    form = filled_ask_form(session, category)
    form["csrf_token"] = "expired"
    page = form.submit("submit", status=400)
    assert summary(page) == [("This form has expired, so nothing was sent. Your text is kept "
                              "below: please send it again.")]
    assert (page.forms["ask-form"]["title"].value, page.forms["ask-form"]["body"].value) == (
        TITLE, BODY)
    assert count(Thread) == 0
    page.forms["ask-form"].submit("submit").follow()  # the page brought a fresh token
    assert count(Thread) == 1

    thread = make_thread(author=member)
    form = session.get(f"/t/{thread.id}-{thread.slug}").forms["reply-form"]
    form["body"], form["csrf_token"] = ANSWER, "expired"
    page = form.submit("submit", status=400)
    assert page.forms["reply-form"]["body"].value == ANSWER
    form = session.get(f"/p/{thread.first_post_id}/edit").forms["edit-form"]
    form["body"], form["csrf_token"] = BODY + " Edited.", "expired"
    page = form.submit("submit", status=400)
    assert page.forms["edit-form"]["body"].value == BODY + " Edited."
    assert "This form has expired" in " ".join(summary(page))


def test_an_answer_to_a_thread_closed_meanwhile_comes_back_with_the_reason(
        browser, make_user, make_thread, moderator):
    member, thread = make_user(), make_thread()
    session = browser(member)
    form = session.get(f"/t/{thread.id}-{thread.slug}").forms["reply-form"]
    form["body"] = ANSWER
    threads.set_thread_status(moderator, thread, "closed")
    db.session.commit()
    page = form.submit("submit", status=403)
    assert summary(page) == ["This thread is closed for new replies."]
    assert page.forms["reply-form"]["body"].value == ANSWER
    assert count(Post) == 1
    # Loaded now, the page says so instead of offering the form.
    page = session.get(f"/t/{thread.id}-{thread.slug}")
    assert "reply-form" not in page.forms and "closed for new replies" in page.text
