"""Spam defence that never destroys content: blocked words, repeated text, honeypot."""
from community.extensions import db
from community.models import Post, User
from moderation.models import BlockedWord

from .helpers import audit_entries, decide, open_item, reply, row_counts, thread_path


def add_words(session, words):
    form = session.get("/mod/blocked-words").forms["blocked-words-form"]
    form["words"] = words
    return form.submit(expect_errors=True)


def test_admin_manages_blocked_words_with_starters(browser, admin, moderator):
    boss = browser(admin)
    page = add_words(boss, "Gratis Handy\ncheap pills, gratis handy").follow()
    assert "2 words added." in page.text
    assert {w.word for w in db.session.scalars(db.select(BlockedWord))} == {"gratis handy",
                                                                             "cheap pills"}
    page = page.forms["starters-form"].submit().follow()
    assert "kredit ohne schufa" in page.text and "viagra" in page.text
    word_id = db.session.scalar(db.select(BlockedWord.id).where(BlockedWord.word == "cheap pills"))
    page = page.forms[f"remove-word-{word_id}"].submit().follow()
    assert "“cheap pills” removed." in page.text
    entries = audit_entries()
    assert [e.action for e in entries] == ["blocked_word.add", "blocked_word.add",
                                          "blocked_word.remove"]  # one entry per action
    assert entries[0].details == {"words": ["gratis handy", "cheap pills"]}
    assert len(entries[1].details["words"]) == db.session.scalar(
        db.select(db.func.count(BlockedWord.id))) - 1
    assert (entries[2].target_id, entries[2].details) == (word_id, {"word": "cheap pills"})
    assert browser(moderator).get("/mod/blocked-words", expect_errors=True).status_int == 403


def test_blocked_word_holds_the_post_with_the_reason_and_not_spam_releases_it(
        browser, make_user, make_thread, admin, moderator, fresh):
    add_words(browser(admin), "Sofortkredit")
    thread = make_thread()
    member = make_user()
    before = row_counts()
    page = reply(browser(member), thread, "Brauchen Sie Geld? SOFORTKREDIT hier, ganz einfach.")
    assert page.status_int == 302
    post = db.session.scalar(db.select(Post).where(Post.author_id == member.id))
    assert post.visibility == "pending"
    assert row_counts()["posts"] == before["posts"] + 1  # quarantined, not refused
    assert "Contains blocked words: sofortkredit" in browser(moderator).get("/mod").text
    assert "SOFORTKREDIT" not in browser().get(thread_path(thread)).text
    decide(browser(moderator), open_item(post).id, "approve")  # "not spam"
    assert fresh(post).visibility == "visible"


def test_words_match_whole_words_only_and_trusted_members_skip(browser, make_user, make_thread,
                                                               admin, fresh):
    add_words(browser(admin), "casino")
    thread = make_thread()
    member = make_user()
    reply(browser(member), thread, "The Casinoplatz branch of your shop was helpful.")
    post = db.session.scalar(db.select(Post).where(Post.author_id == member.id))
    assert post.visibility == "visible"
    staff = make_user(role="agent")
    reply(browser(staff), thread, "Please avoid casino sites, they are not us.")
    staff_post = db.session.scalar(db.select(Post).where(Post.author_id == staff.id))
    assert staff_post.visibility == "visible"


def test_the_same_text_posted_again_is_held(browser, make_user, make_thread, moderator):
    text = "Visit our partner shop for the best deals on phones and tablets today."
    first, second = make_thread(), make_thread()
    member = make_user()
    session = browser(member)
    reply(session, first, text)
    reply(session, second, text)
    posts = list(db.session.scalars(db.select(Post).where(Post.author_id == member.id)
                                    .order_by(Post.id)))
    assert [p.visibility for p in posts] == ["visible", "pending"]
    assert "Same text posted repeatedly" in browser(moderator).get("/mod").text
    short = make_user()
    for thread in (first, second):  # short texts never count as repeated
        reply(browser(short), thread, "Thanks, that worked for me!")
    assert {p.visibility for p in db.session.scalars(
        db.select(Post).where(Post.author_id == short.id))} == {"visible"}


def test_other_accounts_posting_the_same_text_are_held(browser, make_user, make_thread):
    text = "Best crypto signals group, join now and double your money every week!"
    thread = make_thread()
    for _ in range(3):
        reply(browser(make_user()), thread, text)
    visibilities = [p.visibility for p in db.session.scalars(
        db.select(Post).where(Post.body == text).order_by(Post.id))]
    assert visibilities == ["visible", "visible", "pending"]


def test_editing_spam_into_a_published_post_sends_it_back_to_review(browser, make_user,
                                                                   make_thread, admin, fresh):
    add_words(browser(admin), "viagra")
    thread = make_thread()
    member = make_user()
    session = browser(member)
    reply(session, thread, "A harmless first answer to get in.")
    post = db.session.scalar(db.select(Post).where(Post.author_id == member.id))
    form = session.get(f"/p/{post.id}/edit").forms["edit-form"]
    form["body"] = "Now with cheap viagra offers!"
    form.submit("submit")
    assert fresh(post).visibility == "pending"
    assert [r["code"] for r in open_item(post).reasons] == ["edited", "blocked_words"]


def test_registration_honeypot_catches_bots(browser):
    person = browser()
    form = person.get("/register").forms["register-form"]
    assert form["website"].value == ""
    form["email"], form["name"] = "human@example.com", "Hanna"
    form["password"] = "a sound passphrase"
    assert form.submit().status_int == 302
    bot = browser()
    form = bot.get("/register").forms["register-form"]
    form["email"], form["name"], form["password"] = "bot@example.com", "Bot", "a sound passphrase"
    form["website"] = "http://spam.example.com"
    page = form.submit(expect_errors=True)
    assert page.status_int == 422 and "We could not create this account." in page.text
    assert db.session.scalar(db.select(User).where(User.email == "bot@example.com")) is None
