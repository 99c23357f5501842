"""Reading: home, categories with filters, sorting and pages, thread pages, profiles,
URLs, sitemap, robots, feeds, structured data, and the SQL each page costs."""
import json
from datetime import timedelta

from community import clock
from community.services import threads
from community.extensions import db


def _titles(page):
    return [a.text for a in page.html.select(".thread-list .thread-title")]


def test_category_filters_and_sorts(testapp, make_user, make_category, make_thread, make_reply):
    category = make_category(name="Internet")
    asker = make_user()
    unanswered = make_thread(category=category, title="Unanswered question about DSL")
    clock.travel(timedelta(minutes=1))
    answered = make_thread(category=category, author=asker, title="Answered question about WLAN")
    make_reply(answered)
    clock.travel(timedelta(minutes=1))
    solved = make_thread(category=category, author=asker, title="Solved question about fibre")
    post = make_reply(solved)
    threads.toggle_helpful(make_user(), post)
    threads.accept_answer(asker, post)
    db.session.commit()
    base = f"/c/{category.slug}"
    assert _titles(testapp.get(base)) == [solved.title, answered.title, unanswered.title]
    assert _titles(testapp.get(base + "?filter=unanswered")) == [unanswered.title]
    assert _titles(testapp.get(base + "?filter=unsolved")) == [answered.title, unanswered.title]
    assert _titles(testapp.get(base + "?filter=solved")) == [solved.title]
    assert _titles(testapp.get(base + "?sort=helpful"))[0] == solved.title
    make_reply(unanswered)
    assert _titles(testapp.get(base + "?sort=activity"))[0] == unanswered.title
    assert _titles(testapp.get(base + "?sort=newest"))[0] == solved.title
    page = testapp.get(base + "?filter=bogus", status=422)
    assert "Unknown filter." in page.text


def test_category_pages(testapp, app, make_category, make_thread, make_user):
    app.config["THREADS_PER_PAGE"] = 3
    category, author = make_category(), make_user()
    for n in range(7):
        make_thread(category=category, author=author, title=f"Question number {n} about SIM")
        clock.travel(timedelta(minutes=1))
    page = testapp.get(f"/c/{category.slug}")
    assert "Page 1 of 3" in page.text and "7 questions" in page.text
    page = page.click("Next")
    assert _titles(page) == ["Question number 3 about SIM", "Question number 2 about SIM",
                             "Question number 1 about SIM"]
    page = testapp.get(f"/c/{category.slug}?page=3")
    assert _titles(page) == ["Question number 0 about SIM"]
    testapp.get(f"/c/{category.slug}?page=x", status=422)


def test_thread_pages_keep_question_and_accepted_answer_on_top(testapp, app, make_user, make_thread,
                                                               make_reply):
    app.config["POSTS_PER_PAGE"] = 5
    asker = make_user()
    thread = make_thread(author=asker, body="The question text itself.")
    posts = [make_reply(thread, body=f"Answer number {n:02d} here.") for n in range(12)]
    threads.accept_answer(asker, posts[1])
    db.session.commit()
    page = testapp.get(f"/t/{thread.id}-{thread.slug}?page=3")
    assert "The question text itself." in page.text
    assert "Answer number 01 here." in page.html.find("section", class_="accepted-answer").text
    replies = page.html.find("section", class_="replies").text
    assert "Answer number 10 here." in replies and "Answer number 11 here." in replies
    assert "Answer number 09 here." not in replies
    assert "Page 3 of 3" in page.text
    testapp.get(f"/t/{thread.id}-{thread.slug}?page=4", status=404)
    # A post's permalink lands on its page.
    assert testapp.get(f"/p/{posts[7].id}").location.endswith(
        f"/t/{thread.id}-{thread.slug}?page=2#post-{posts[7].id}")


def test_human_readable_urls_redirect_to_the_canonical_slug(testapp, make_thread):
    thread = make_thread(title="Kündigung zum Monatsende möglich?")
    assert thread.slug == "kuendigung-zum-monatsende-moeglich"
    assert testapp.get(f"/t/{thread.id}").status_int == 301
    assert testapp.get(f"/t/{thread.id}-old-title").location.endswith(
        f"/t/{thread.id}-kuendigung-zum-monatsende-moeglich")
    testapp.get("/t/999999-nothing", status=404)


def test_profile_shows_threads_answers_accepted_and_member_since(testapp, make_user, make_thread,
                                                                 make_reply):
    helper = make_user(name="Helga Helper")
    asker = make_user()
    thread = make_thread(author=helper, title="My own question about routers")
    other = make_thread(author=asker, title="Question that Helga answered")
    post = make_reply(other, author=helper, body="Helga's accepted answer text.")
    threads.accept_answer(asker, post)
    db.session.commit()
    page = testapp.get(f"/u/{helper.id}")
    assert page.status_int == 301
    page = page.follow()
    assert "Helga Helper" in page.text and "Member since" in page.text
    assert thread.title in page.text
    stats = page.html.find(class_="profile-stats").text
    assert "1 questions" in " ".join(stats.split()) or "1\nquestions" in stats
    assert helper.email not in page.text
    page = testapp.get(page.request.path + "?tab=accepted")
    assert "Question that Helga answered" in page.text
    page = testapp.get(page.request.path + "?tab=answers")
    assert "Question that Helga answered" in page.text


def test_sitemap_robots_and_feed(testapp, make_category, make_thread, make_user, make_reply):
    category = make_category(name="Mobile")
    thread = make_thread(category=category, title="eSIM activation fails <b>again</b>",
                         body="The QR code is **not accepted**.")
    moderator = make_user(role="moderator")
    hidden = make_thread(category=category, title="Hidden spam thread here")
    threads.set_post_visibility(moderator, threads.get_post(hidden.first_post_id), "hidden")
    db.session.commit()
    sitemap = testapp.get("/sitemap.xml")
    assert sitemap.content_type == "application/xml"
    assert f"/t/{thread.id}-{thread.slug}" in sitemap.text
    assert f"/t/{hidden.id}-" not in sitemap.text
    assert "/c/mobile" in sitemap.text
    robots = testapp.get("/robots.txt")
    assert "Sitemap: http://localhost/sitemap.xml" in robots.text
    feed = testapp.get("/c/mobile/feed.atom")
    assert feed.content_type == "application/atom+xml"
    assert "eSIM activation fails &lt;b&gt;again&lt;/b&gt;" in feed.text
    assert "&lt;strong&gt;not accepted&lt;/strong&gt;" in feed.text
    assert "Hidden spam thread" not in feed.text


def test_question_page_has_qapage_structured_data(testapp, make_user, make_thread, make_reply):
    asker = make_user()
    thread = make_thread(author=asker, title="Why </script> is my bill high?")
    post = make_reply(thread, body="Because of roaming charges.")
    make_reply(thread, body="Check the itemised bill.")
    threads.accept_answer(asker, post)
    db.session.commit()
    page = testapp.get(f"/t/{thread.id}-{thread.slug}")
    block = page.html.find("script", type="application/ld+json")
    data = json.loads(block.string)
    assert data["@type"] == "QAPage"
    question = data["mainEntity"]
    assert question["name"] == "Why </script> is my bill high?"
    assert question["answerCount"] == 2
    assert question["acceptedAnswer"]["text"].strip() == "Because of roaming charges."
    assert [a["text"].strip() for a in question["suggestedAnswer"]] == ["Check the itemised bill."]
    assert "</script> is my bill" not in block.decode_contents()


def test_pages_work_on_a_phone_and_with_a_keyboard(testapp, make_thread):
    thread = make_thread()
    page = testapp.get(f"/t/{thread.id}-{thread.slug}")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page.text
    assert 'class="skip-link" href="#main"' in page.text
    assert "cdn" not in page.text.lower()
    assets = [tag["href"] for tag in page.html.find_all("link", rel="stylesheet")]
    assets += [tag["src"] for tag in page.html.find_all("script", src=True)]
    assert len(assets) == 4  # forum.css/.js, forms.css/.js (error summary, drafts)
    for url in assets:
        assert url.startswith("/static/"), url
        testapp.get(url)
