"""SQL cost of each page and API list: the same number of queries whatever the number of
posts or threads shown, for every kind of viewer, with the default features loaded
(moderation, search and agent bridge add buttons, banners and the notification bell)."""
from datetime import timedelta

import pytest
from webtest import TestApp

from community import clock
from community.services import threads
from community.extensions import db
from tests.conftest import isolated, login

DEFAULT_FEATURES = {"moderation", "search", "agent_bridge"}


@pytest.fixture(autouse=True)
def default_features(app):
    assert set(app.extensions["forum_features"]) == DEFAULT_FEATURES, \
        "query counts are measured with the default FORUM_FEATURES"


def _same_cost(testapp, count_queries, small, large):
    """Query counts of two URLs (after one warm-up request each)."""
    for path in (small, large):
        testapp.get(path)
    counts = []
    for path in (small, large):
        with count_queries() as q:
            response = testapp.get(path)
        assert response.status_int == 200, path
        counts.append(q.count)
    assert counts[0] == counts[1], (small, large, counts)
    return counts[0]


@pytest.fixture
def long_and_short(app, make_user, make_thread, make_reply):
    """A thread with 2 replies and one with 200: many authors (staff among them), helpful
    votes, edits, an official reply, tags and an accepted answer in both."""
    app.config["POSTS_PER_PAGE"] = 250  # all 200 replies on one page
    asker = make_user(name="Asker")
    agent = make_user(role="agent", name="Agent", staff_title="Support")
    voters = [make_user() for _ in range(3)]
    authors = [make_user() for _ in range(8)] + [agent]
    result = {}
    for size in (2, 200):
        thread = make_thread(author=asker, tags=["router", "dsl", f"size{size}"])
        posts = []
        for n in range(size):
            author = authors[n % len(authors)]
            posts.append(threads.reply(author, thread, f"Answer {n} that might help.",
                                       is_official=author is agent))
            if n % 3 == 0:
                threads.toggle_helpful(voters[n % 3], posts[-1])
            if n % 5 == 0:
                threads.edit_post(author, posts[-1], f"Answer {n}, edited to be clearer.")
        threads.accept_answer(asker, posts[1])
        db.session.commit()
        result[size] = (thread, posts)
    result["asker"], result["voter"] = asker, voters[0]
    return result


def test_thread_page_and_api_cost_the_same_for_2_and_200_replies(
        app, testapp, count_queries, make_user, long_and_short):
    """One test for all viewers: building a 200-reply thread is the slow part."""
    paths = [f"/t/{long_and_short[size][0].id}-{long_and_short[size][0].slug}"
             for size in (2, 200)]
    assert _same_cost(testapp, count_queries, *paths) <= 8  # a visitor
    for who in ("asker", "voter", "moderator", "admin"):
        browser = TestApp(isolated(app), extra_environ=testapp.extra_environ)
        user = long_and_short[who] if who in long_and_short else make_user(role=who)
        login(browser, user)
        page = browser.get(paths[1])
        assert len(page.html.select("section.replies article.post")) == 200
        if who in ("asker", "moderator"):
            assert len(page.html.select("form[action$='/accept']")) == 199
        assert _same_cost(browser, count_queries, *paths) <= 14, who
    api = [f"/api/v1/threads/{long_and_short[size][0].id}" for size in (2, 200)]
    assert len(testapp.get(api[1]).json["posts"]) == 201
    _same_cost(testapp, count_queries, *api)


@pytest.fixture
def crowded(app, make_category, make_user, make_thread, make_reply):
    """Two categories: two threads in "few" (one solved), 25 in "many", replied to, some
    solved; and two members, one with 1 question and answer, one with 20 of each."""
    app.config["THREADS_PER_PAGE"] = 25
    few, many = make_category(name="Few"), make_category(name="Many")
    lonely, busy = make_user(name="Lonely"), make_user(name="Busy")
    threads.accept_answer(lonely, make_reply(make_thread(category=few, author=lonely,
                                                          tags=["one"]), author=busy))
    first = make_thread(category=few, author=busy)
    make_reply(first, author=lonely)
    for n in range(25):
        asker = make_user()
        thread = make_thread(category=many, author=busy if n < 19 else asker,
                             tags=[f"tag{n}", "common"])
        clock.travel(timedelta(minutes=1))
        post = make_reply(thread, author=busy if n < 20 else make_user())
        if n % 2:
            threads.accept_answer(busy if n < 19 else asker, post)
            db.session.commit()
    return few, many, lonely, busy


def _list_paths(crowded):
    few, many, lonely, busy = crowded
    yield f"/c/{few.slug}", f"/c/{many.slug}"
    yield f"/c/{few.slug}?filter=solved&sort=helpful", f"/c/{many.slug}?filter=solved&sort=helpful"
    yield f"/c/{few.slug}/feed.atom", f"/c/{many.slug}/feed.atom"
    for tab in ("", "?tab=answers", "?tab=accepted"):
        yield f"/u/{lonely.id}-lonely{tab}", f"/u/{busy.id}-busy{tab}"
    yield f"/api/v1/threads?category={few.slug}", f"/api/v1/threads?category={many.slug}"
    yield (f"/api/v1/threads?category={few.slug}&filter=solved",
           f"/api/v1/threads?category={many.slug}&filter=solved")


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "member"])
def test_lists_do_not_grow_with_the_threads_shown(testapp, count_queries, make_user, crowded,
                                                  signed_in):
    if signed_in:
        login(testapp, make_user())
    busy = crowded[3]
    assert len(testapp.get(f"/u/{busy.id}-busy").html.select(".thread-row")) == 20
    assert len(testapp.get(f"/u/{busy.id}-busy?tab=answers").html.select(".answer-list li")) == 20
    for small, large in _list_paths(crowded):
        _same_cost(testapp, count_queries, small, large)


def test_home_and_category_api_do_not_grow(app, testapp, count_queries, make_category,
                                           make_thread, make_user):
    """Home shows every category with its latest thread and the 15 most recent threads."""
    make_thread(category=make_category())
    testapp.get("/")
    with count_queries() as q_small:
        testapp.get("/")
        testapp.get("/api/v1/categories")
    for _ in range(12):
        make_thread(category=make_category(), author=make_user())
    testapp.get("/")
    with count_queries() as q_large:
        home = testapp.get("/")
        categories = testapp.get("/api/v1/categories")
    assert len(home.html.select(".category-card")) == 13
    assert len(home.html.select(".thread-list .thread-row")) == 13
    assert len(categories.json["categories"]) == 13
    assert q_small.count == q_large.count


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "member"])
def test_category_lists_take_their_totals_from_the_category(app, testapp, count_queries,
                                                            make_user, crowded, signed_in):
    """Every filter and sort order, first and deeper pages: the same statements, none
    of them counting threads (the totals are the counters the services keep), and the
    total shown is what counting the rows gives."""
    from sqlalchemy import func, select

    from community.models import Thread
    from community.services.listing import FILTERS, SORTS
    app.config["THREADS_PER_PAGE"] = 4
    app.extensions["page_cache"] = None  # measure the render, not the visitors' cache
    if signed_in:
        login(testapp, make_user())
    many = crowded[1]
    shown = {"all": (), "unanswered": (Thread.reply_count == 0,),
             "unsolved": (Thread.accepted_post_id.is_(None),),
             "solved": (Thread.accepted_post_id.is_not(None),)}
    costs = set()
    for filter_ in FILTERS:
        expected = db.session.scalar(select(func.count(Thread.id)).where(
            Thread.category_id == many.id, Thread.visibility == "visible", *shown[filter_]))
        for sort in SORTS:
            for page in (1, 3):
                path = f"/c/{many.slug}?filter={filter_}&sort={sort}&page={page}"
                testapp.get(path)
                with count_queries() as q:
                    html = testapp.get(path).text
                if 'class="thread-row' in html:  # an empty page loads no tags
                    costs.add(q.count)
                assert not [s for s in q.statements if "count(" in s.lower()], path
                assert f"{expected} question" in html, (path, expected)
    assert len(costs) == 1, costs
