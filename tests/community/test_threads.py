"""Ask, reply, edit with revisions, helpful votes, accepted answers — through HTTP."""
from community.services import threads
from community.extensions import db
from community.models import Category, Post, PostRevision, Thread
from tests.conftest import login


def ask(testapp, category, title="Roaming does not work in Austria",
        body="My phone shows *no network* since I crossed the border.", tags="roaming, sim"):
    form = testapp.get("/ask").forms["ask-form"]
    form["category"], form["title"], form["body"], form["tags"] = category.slug, title, body, tags
    return form.submit("submit", expect_errors=True)


def test_customer_asks_a_question_with_markdown_and_tags(testapp, make_user, make_category):
    category = make_category(name="Mobile")
    login(testapp, make_user(name="Anna"))
    page = ask(testapp, category).follow()
    assert page.request.path.startswith("/t/") and page.request.path.endswith(
        "-roaming-does-not-work-in-austria")
    assert "<em>no network</em>" in page.text
    assert "roaming" in page.text and "sim" in page.text
    assert "Unanswered" in page.text
    assert "Roaming does not work in Austria" in testapp.get(f"/c/{category.slug}").text


def test_ask_errors_keep_the_text_next_to_the_fields(testapp, make_user, make_category):
    category = make_category()
    login(testapp, make_user())
    page = ask(testapp, category, title="Help", body="Please help me with my long problem text",
               tags="a1, b2, c3, d4, e5, f6")
    assert page.status_int == 422
    assert "Please describe your question in at least 8 characters." in page.text
    assert "Use at most 5 tags." in page.text
    form = page.forms["ask-form"]
    assert form["body"].value == "Please help me with my long problem text"
    assert form["title"].value == "Help"
    assert form["tags"].value == "a1, b2, c3, d4, e5, f6"


def test_preview_shows_rendered_markdown_without_posting(testapp, make_user, make_category):
    category = make_category()
    login(testapp, make_user())
    form = testapp.get("/ask").forms["ask-form"]
    form["category"], form["title"] = category.slug, "Router settings for fibre"
    form["body"] = "Try this:\n\n```\nvlan=7\n```\n\n- one\n- two"
    page = form.submit("preview")
    assert "<pre><code>vlan=7" in page.text and "<li>one</li>" in page.text
    assert Thread.query.count() == 0
    assert page.forms["ask-form"]["body"].value.startswith("Try this:")
    token = page.forms["ask-form"]["csrf_token"].value
    json = testapp.post("/preview", {"body": "**bold** <script>x</script>", "csrf_token": token}).json
    assert json["html"] == "<p><strong>bold</strong> &lt;script&gt;x&lt;/script&gt;</p>\n"


def test_anonymous_visitor_is_sent_to_login_to_ask_or_answer(testapp, make_thread):
    thread = make_thread()
    assert "/login" in testapp.get("/ask").location
    page = testapp.get(f"/t/{thread.id}-{thread.slug}")
    assert "to answer." in page.text and "reply-form" not in page.forms


def test_reply_and_errors(testapp, make_user, make_thread):
    thread = make_thread()
    login(testapp, make_user(name="Hans Helper"))
    page = testapp.get(f"/t/{thread.id}-{thread.slug}")
    form = page.forms["reply-form"]
    form["body"] = "short"
    page = form.submit("submit", status=422)
    assert "Please write at least 10 characters." in page.text
    form = page.forms["reply-form"]
    assert form["body"].value == "short"
    form["body"] = "Switch data roaming on in the settings."
    page = form.submit("submit").follow().follow()
    assert "Switch data roaming on in the settings." in page.text
    assert "1 answer" in page.text


def test_edit_keeps_the_earlier_text_as_revision(testapp, make_user, make_thread, make_reply):
    author = make_user()
    thread = make_thread()
    post = make_reply(thread, author=author, body="First version of my answer.")
    other = make_user()
    login(testapp, other)
    testapp.get(f"/p/{post.id}/edit", status=403)
    testapp.reset()
    login(testapp, author)
    form = testapp.get(f"/p/{post.id}/edit").forms["edit-form"]
    assert form["body"].value == "First version of my answer."
    form["body"], form["reason"] = "Second, corrected version.", "typo"
    page = form.submit("submit").follow().follow()
    assert "Second, corrected version." in page.text and "edited" in page.text
    revision = PostRevision.query.filter_by(post_id=post.id).one()
    assert revision.body == "First version of my answer." and revision.reason == "typo"


def test_asker_edits_title_and_tags(testapp, make_user, make_thread):
    asker = make_user()
    thread = make_thread(author=asker, title="Old title of the question", tags=["old"])
    login(testapp, asker)
    form = testapp.get(f"/p/{thread.first_post_id}/edit").forms["edit-form"]
    assert form["title"].value == "Old title of the question" and form["tags"].value == "old"
    form["title"], form["tags"] = "New title of the question", "new, fresh"
    page = form.submit("submit").follow().follow()
    assert page.request.path.endswith("-new-title-of-the-question")
    assert "fresh" in page.text
    assert PostRevision.query.one().title == "Old title of the question"


def _click(testapp, page, action):
    form = [f for f in page.forms.values() if (f.action or "").endswith(action)][0]
    return form.submit().follow().follow()


def test_helpful_votes_once_per_person_and_never_own(testapp, make_user, make_thread, make_reply):
    thread = make_thread()
    helper = make_user()
    post = make_reply(thread, author=helper)
    voter = make_user()
    login(testapp, voter)
    page = testapp.get(f"/t/{thread.id}-{thread.slug}")
    page = _click(testapp, page, f"/p/{post.id}/helpful")
    assert "Marked as helpful." in page.text
    assert "1 person found this helpful" in page.text
    page = _click(testapp, page, f"/p/{post.id}/helpful")
    assert "Your vote was taken back." in page.text
    assert "0 people found this helpful" in page.text
    testapp.reset()
    login(testapp, helper)
    page = testapp.get(f"/t/{thread.id}-{thread.slug}")
    assert not [f for f in page.forms.values() if (f.action or "").endswith("/helpful")]
    token = page.forms["reply-form"]["csrf_token"].value
    page = testapp.post(f"/p/{post.id}/helpful", {"csrf_token": token}).follow().follow()
    assert "You cannot vote on your own posts." in page.text
    db.session.expire_all()
    assert db.session.get(Post, post.id).helpful_count == 0


def test_asker_accepts_changes_and_removes_the_answer(testapp, make_user, make_thread, make_reply,
                                                      make_category):
    category = make_category()
    asker = make_user(name="Anna Asker")
    thread = make_thread(author=asker, category=category)
    first = make_reply(thread, body="Restart the router, please.")
    second = make_reply(thread, body="Update the firmware first.")
    login(testapp, asker)
    page = testapp.get(f"/t/{thread.id}-{thread.slug}")
    page = _click(testapp, page, f"/p/{first.id}/accept")
    assert "Solved" in page.text and "Accepted answer" in page.text
    assert "Accepted by Anna Asker" in page.text
    section = page.html.find("section", class_="accepted-answer")
    assert "Restart the router" in section.text
    assert "Solved" in testapp.get(f"/c/{category.slug}").text
    page = _click(testapp, page, f"/p/{second.id}/accept")
    assert "Update the firmware" in page.html.find("section", class_="accepted-answer").text
    page = _click(testapp, page, f"/p/{second.id}/unaccept")
    assert page.html.find("section", class_="accepted-answer") is None
    assert "Unsolved" not in page.text and "Solved" not in page.html.find(class_="thread-head").text


def test_only_asker_and_moderators_may_accept(testapp, make_user, make_thread, make_reply):
    thread = make_thread()
    post = make_reply(thread)
    login(testapp, make_user())
    page = testapp.get(f"/t/{thread.id}-{thread.slug}")
    assert "Accept this answer" not in page.text
    token = page.forms["reply-form"]["csrf_token"].value
    page = testapp.post(f"/p/{post.id}/accept", {"csrf_token": token}).follow().follow()
    assert "You are not allowed to do that." in page.text
    db.session.expire_all()
    assert db.session.get(Thread, thread.id).accepted_post_id is None
    testapp.reset()
    login(testapp, make_user(role="moderator"))
    page = _click(testapp, testapp.get(f"/t/{thread.id}-{thread.slug}"), f"/p/{post.id}/accept")
    assert "Accepted answer" in page.text


def test_hiding_the_accepted_answer_makes_the_thread_unsolved(app, make_user, make_thread,
                                                              make_reply, testapp):
    asker, moderator = make_user(), make_user(role="moderator")
    thread = make_thread(author=asker)
    post = make_reply(thread)
    threads.accept_answer(asker, post)
    db.session.commit()
    category = db.session.get(Category, thread.category_id)
    assert category.solved_count == 1
    threads.set_post_visibility(moderator, post, "hidden")
    db.session.commit()
    thread = db.session.get(Thread, thread.id)
    assert thread.accepted_post_id is None and thread.reply_count == 0
    db.session.refresh(category)
    assert (category.solved_count, category.post_count, category.thread_count) == (0, 1, 1)
    page = testapp.get(f"/t/{thread.id}-{thread.slug}")
    assert "Accepted answer" not in page.text and "Solved" not in page.text
    assert post.body not in page.text


def test_closed_thread_takes_no_replies(testapp, make_user, make_thread):
    thread = make_thread()
    threads.set_thread_status(make_user(role="moderator"), thread, "closed")
    db.session.commit()
    login(testapp, make_user())
    page = testapp.get(f"/t/{thread.id}-{thread.slug}")
    assert "This thread is closed for new replies." in page.text
    assert "Closed" in page.text
