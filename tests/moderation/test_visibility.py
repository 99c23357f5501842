"""Content that waits, was rejected, hidden or deleted never reaches anyone who may not
see it: not the pages, not the API, not the feeds, the sitemap, profiles or search.
Its author sees what waits (marked "Awaiting review"), moderators see everything."""
import pytest

from community import outbox
from community.services import accounts
from community.extensions import db
from community.models import Post
from moderation.models import CategorySettings

from .helpers import ask, decide, open_item, post_action, reply, thread_path

# One marker word per state, so a leak anywhere is found by a plain text search; every
# marked text also has the word searched for (the query itself must not be a marker,
# since the search page repeats it).
SEARCHED = "lighthouse"
MARKERS = {"pending": "zebrafinch", "rejected": "quokkaleaf", "hidden": "narwhalrope",
           "deleted": "axolotlcup", "pending_question": "pangolinhat",
           "hidden_question": "wombatbell"}


@pytest.fixture
def content(browser, make_user, make_category, make_thread, make_reply, moderator, app):
    """A visible thread with replies in every state, plus a waiting and a hidden question."""
    category = make_category(name="Devices")
    strict = make_category(name="Contracts")
    db.session.add(CategorySettings(category_id=strict.id, mode="new_members"))
    db.session.commit()
    thread = make_thread(category=category, title="Which phone supports eSIM?")
    make_reply(make_thread(category=category, title="Visible control"),
               body=f"A visible {SEARCHED} answer that everybody may find.")
    author = make_user(name="Olga Open")
    newcomer = make_user(name="Nils Newcomer")
    mod = browser(moderator)

    def held_reply(text):
        reply(browser(newcomer), thread, f"Links https://a.example.com https://b.example.com "
                                         f"https://c.example.com {SEARCHED} {text}")
        return db.session.scalar(db.select(Post).where(Post.body.contains(text)))

    pending = held_reply(MARKERS["pending"])
    rejected = held_reply(MARKERS["rejected"])
    decide(mod, open_item(rejected).id, "reject", "spam")
    hidden = make_reply(thread, author=author,
                        body=f"A {SEARCHED} answer with {MARKERS['hidden']} in it.")
    post_action(mod, hidden, "hide", "abusive")
    deleted = make_reply(thread, author=author,
                         body=f"A {SEARCHED} answer with {MARKERS['deleted']}.")
    post_action(mod, deleted, "delete", "spam")
    ask(browser(newcomer), strict, title=f"Question about {MARKERS['pending_question']}",
        body=f"Body of the {MARKERS['pending_question']} {SEARCHED} question.")
    hidden_thread = make_thread(category=category,
                                title=f"Question about {MARKERS['hidden_question']}",
                                body=f"Body of the {MARKERS['hidden_question']} {SEARCHED} "
                                     "question.")
    post_action(mod, db.session.get(Post, hidden_thread.first_post_id), "hide", "spam")
    outbox.drain()  # the search index as the worker leaves it
    db.session.expire_all()
    return {"thread": thread, "category": category, "strict": strict, "author": author,
            "newcomer": newcomer, "hidden_thread": hidden_thread,
            "posts": {"pending": pending, "rejected": rejected, "hidden": hidden,
                      "deleted": deleted}}


def _urls(content):
    thread, category = content["thread"], content["category"]
    pages = [thread_path(thread), f"/c/{category.slug}", f"/c/{content['strict'].slug}",
             f"/c/{category.slug}/feed.atom", f"/c/{content['strict'].slug}/feed.atom", "/",
             "/sitemap.xml", f"/u/{content['author'].id}", f"/u/{content['newcomer'].id}",
             f"/api/v1/threads/{thread.id}", "/api/v1/threads",
             f"/t/{content['hidden_thread'].id}"]
    pages += [f"/api/v1/posts/{p.id}" for p in content["posts"].values()]
    pages += [f"/search?q={SEARCHED}", f"/api/v1/search?q={SEARCHED}"]
    return pages


def _seen(session, urls, headers=None):
    """The markers that appear anywhere in what ``session`` can fetch."""
    seen = set()
    for url in urls:
        response = session.get(url, headers=headers or {}, expect_errors=True)
        assert response.status_int < 500, url
        seen |= {state for state, word in MARKERS.items() if word in response.text}
    return seen


def test_nothing_leaks_to_visitors_members_or_agents(content, browser, testapp, make_user):
    urls = _urls(content)
    assert "Visible control" in browser().get(f"/search?q={SEARCHED}").text  # the index works
    assert _seen(browser(), urls) == set()
    assert _seen(browser(make_user()), urls) == set()
    assert _seen(browser(make_user(role="agent")), urls) == set()
    _, token = accounts.create_token(make_user())
    db.session.commit()
    assert _seen(testapp, urls, {"Authorization": f"Bearer {token}"}) == set()


def test_the_author_sees_only_what_waits_and_moderators_see_everything(content, browser,
                                                                      moderator):
    newcomer = browser(content["newcomer"])
    page = newcomer.get(thread_path(content["thread"]))
    assert MARKERS["pending"] in page.text and "Awaiting review" in page.text
    assert MARKERS["rejected"] not in page.text  # rejected: told on the notices page instead
    assert _seen(newcomer, _urls(content)) <= {"pending", "pending_question", "rejected"}
    assert MARKERS["rejected"] in newcomer.get("/mod/notices").text  # their own text
    seen = _seen(browser(moderator), [thread_path(content["thread"]),
                                      f"/t/{content['hidden_thread'].id}", "/mod"])
    assert seen == {"pending", "rejected", "hidden", "deleted", "pending_question",
                    "hidden_question"}
