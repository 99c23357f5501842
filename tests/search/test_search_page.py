"""The search page: the box on every page, results, filters, sorting, paging, "did you mean"."""
from datetime import timedelta

from community import clock
from community.services import threads
from community.extensions import db

from .helpers import marked, snippets, titles


def test_the_search_box_is_on_every_page_and_leads_to_the_results(testapp, make_category,
                                                                  make_thread, worker):
    category = make_category()
    thread = make_thread(category=category, title="Router loses the connection every evening")
    worker()
    for path in ("/", f"/c/{category.slug}", f"/t/{thread.id}-{thread.slug}", "/login"):
        form = testapp.get(path).forms[0]
        assert form.action == "/search" and "q" in form.fields, path
    form = testapp.get("/").forms[0]
    form["q"] = "router connection"
    page = form.submit()
    assert titles(page) == ["Router loses the connection every evening"]
    assert page.forms["search-form"]["q"].value == "router connection"


def test_a_result_shows_title_snippet_category_badge_answers_and_date(
        testapp, search, make_category, make_thread, make_reply, make_user, worker):
    category = make_category(name="Internet & Telefon")
    asker = make_user()
    clock.freeze(clock.now().replace(year=2026, month=3, day=14, hour=10, minute=0, second=0,
                                    microsecond=0))
    thread = make_thread(author=asker, category=category, title="WLAN bricht abends ab",
                         body="Seit dem Update auf die neue Firmware bricht mein WLAN jeden "
                              "Abend gegen acht ab. Der Router steht im Flur.")
    make_reply(thread)
    answer = make_reply(thread, body="Stell den WLAN-Kanal auf 6, dann ist Ruhe.")
    threads.accept_answer(asker, answer)
    db.session.commit()
    worker()
    page = search("firmware")
    [row] = page.html.select(".search-result")
    assert titles(page) == ["WLAN bricht abends ab"]
    assert "Seit dem Update auf die neue Firmware bricht" in snippets(page)[0]
    assert marked(page) == ["Firmware"]
    assert "Internet & Telefon" in row.get_text()
    assert row.select_one(".badge-solved").get_text() == "Solved"
    assert "2 answers" in row.get_text()
    assert row.select_one("time")["datetime"] == "2026-03-14T10:00:00Z"
    assert "1 question found" in page.text


def test_the_snippet_quotes_an_answer_when_the_question_does_not_match(
        search, make_thread, make_reply, worker):
    thread = make_thread(title="Internet is slow", body="Downloads crawl since yesterday.")
    make_reply(thread, body="Restart the fritzbox, that fixed it for me.")
    worker()
    page = search("fritzbox")
    assert titles(page) == ["Internet is slow"]
    assert snippets(page) == ["Restart the fritzbox, that fixed it for me."]
    assert marked(page) == ["fritzbox"]


def test_user_text_in_results_is_escaped(search, make_thread, worker):
    thread = make_thread(title="Why does <em>Tarif</em> show up in my bill?",
                         body="The bill shows <b>Tarif</b> in angle brackets & more.")
    assert thread.visibility == "visible"
    worker()
    page = search("Tarif")
    assert "<em>" not in page.text and "<b>" not in page.text
    assert "&lt;em&gt;<mark>Tarif</mark>&lt;/em&gt;" in page.text
    assert titles(page) == ["Why does <em>Tarif</em> show up in my bill?"]


def test_filters_by_category_status_tag_and_date(search, make_category, make_thread, make_reply,
                                                 make_user, worker):
    billing, internet = make_category(name="Billing"), make_category(name="Internet")
    asker = make_user()
    clock.freeze(clock.now().replace(year=2026, month=1, day=10))
    old = make_thread(author=asker, category=billing, title="Invoice shows a wrong amount",
                      tags=["invoice"])
    clock.freeze(clock.now().replace(month=2, day=10))
    solved = make_thread(author=asker, category=billing, title="Second invoice this month",
                         tags=["invoice", "duplicate"])
    threads.accept_answer(asker, make_reply(solved))
    db.session.commit()
    make_thread(category=internet, title="Invoice for the router rental")
    worker()
    assert len(titles(search("invoice"))) == 3
    assert set(titles(search("invoice", category="billing"))) == {old.title, solved.title}
    assert titles(search("invoice", status="solved")) == [solved.title]
    assert set(titles(search("invoice", status="unsolved"))) == {
        old.title, "Invoice for the router rental"}
    assert titles(search("invoice", tag="duplicate")) == [solved.title]
    assert titles(search("invoice", **{"from": "2026-01-01", "to": "2026-01-31"})) == [old.title]
    assert titles(search("", category="billing", status="solved")) == [solved.title]


def test_a_bad_date_is_shown_next_to_its_field_with_the_text_kept(search, make_thread, worker):
    page = search("invoice", **{"from": "last week"})
    assert page.status_int == 422
    field = page.html.select_one("#search-from").parent
    assert "Use a date like 2026-01-31." in field.get_text()
    assert page.forms["search-form"]["q"].value == "invoice"
    assert page.forms["search-form"]["from"].value == "last week"


def test_sort_by_newest_and_pagination(app, search, make_category, make_thread, worker):
    category = make_category()
    start = clock.now()
    for n in range(23):
        clock.freeze(start + timedelta(hours=n))
        make_thread(category=category, title=f"Modem question number {n}")
    worker()
    page = search("modem", sort="newest")
    assert titles(page)[:2] == ["Modem question number 22", "Modem question number 21"]
    assert len(titles(page)) == app.config["SEARCH_PER_PAGE"] == 20
    assert "Page 1 of 2" in page.text
    second = page.click("Next")
    assert titles(second) == ["Modem question number 2", "Modem question number 1",
                              "Modem question number 0"]


def test_solved_threads_rank_higher_at_equal_relevance(search, make_category, make_thread,
                                                      make_reply, make_user, worker):
    category = make_category()
    asker = make_user()
    body = "My mailbox is full and I cannot receive new messages."
    unsolved = make_thread(category=category, title="Mailbox full", body=body)
    solved = make_thread(author=asker, category=category, title="Mailbox full", body=body)
    make_reply(unsolved, body="Same here.")
    threads.accept_answer(asker, make_reply(solved, body="Same here."))
    db.session.commit()
    worker()
    page = search("mailbox full")
    rows = page.html.select(".search-result")
    assert [bool(r.select_one(".badge-solved")) for r in rows] == [True, False]


def test_did_you_mean_when_little_is_found(testapp, search, make_thread, worker):
    make_thread(title="Kündigung zum Monatsende", body="Wie kündige ich meinen Vertrag richtig?")
    worker()
    page = search("Vertrga")        # a typo still finds the thread...
    assert titles(page) == ["Kündigung zum Monatsende"]
    link = page.html.select_one(".did-you-mean a")   # ...and offers the right spelling
    assert link.get_text() == "vertrag"
    page = testapp.get(link["href"])
    assert titles(page) == ["Kündigung zum Monatsende"] and not page.html.select(".did-you-mean")
    page = search("Vertrag")
    assert not page.html.select(".did-you-mean")


def test_nothing_found_and_an_empty_index(search, make_thread):
    page = search("anything")          # nothing indexed yet: no error, an empty answer
    assert page.status_int == 200 and "0 questions found" in page.text
    assert "Nothing found" in page.text
