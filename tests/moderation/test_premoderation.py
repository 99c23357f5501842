"""Trust and pre-moderation per category: modes, new members' first posts, trust."""
from datetime import timedelta

from community import clock
from community.extensions import db
from community.models import Post, Thread
from tests.conftest import login

from .helpers import ask, audit_entries, decide, open_item, reply, thread_path


def set_mode(testapp, category, mode):
    form = testapp.get("/mod/categories").forms[f"category-form-{category.id}"]
    form[f"cat-{category.id}-mode"] = mode
    return form.submit().follow()


def test_admin_sets_a_category_mode_and_a_new_members_first_posts_wait(
        testapp, browser, app, make_user, make_category, make_thread, admin, moderator, fresh):
    category = make_category(name="Billing")
    thread = make_thread(category=category)
    login(testapp, admin)
    page = set_mode(testapp, category, "new_members")
    assert "Billing saved." in page.text
    assert [e.details for e in audit_entries("category.update")] == [
        {"before": {"mode": "open"}, "after": {"mode": "new_members"}}]

    newcomer = make_user(name="Nina Newcomer")
    nina = browser(newcomer)
    page = reply(nina, thread, "I have exactly the same problem since the update.").follow()
    assert "once a moderator has reviewed it" in page.follow().text
    post = db.session.scalar(db.select(Post).where(Post.author_id == newcomer.id))
    assert post.visibility == "pending"
    assert "Awaiting review" in nina.get(thread_path(thread)).text
    anonymous = browser()
    assert "exactly the same problem" not in anonymous.get(thread_path(thread)).text
    other = browser(make_user())
    assert "exactly the same problem" not in other.get(thread_path(thread)).text
    mod = browser(moderator)
    queue = mod.get("/mod")
    assert "exactly the same problem" in queue.text
    assert "New member: first posts are reviewed" in queue.text
    assert fresh(thread).reply_count == 0

    decide(mod, open_item(post).id, "approve").follow()
    assert fresh(post).visibility == "visible"
    assert fresh(thread).reply_count == 1
    assert "exactly the same problem" in anonymous.get(thread_path(thread)).text


def test_trust_is_earned_after_approved_posts(testapp, browser, make_user, make_category,
                                                make_thread, admin, moderator, app):
    category = make_category()
    thread = make_thread(category=category)
    login(testapp, admin)
    set_mode(testapp, category, "new_members")
    member = make_user()
    session, mod = browser(member), browser(moderator)
    for n in range(2):  # the first 2 posts (MOD_TRUST_APPROVED_POSTS) wait ...
        reply(session, thread, f"Answer number {n} with enough text to post.")
        post = db.session.scalar(db.select(Post).where(Post.author_id == member.id)
                                 .order_by(Post.id.desc()))
        assert post.visibility == "pending"
        decide(mod, open_item(post).id, "approve")
    reply(session, thread, "Third answer: this one appears at once.")  # ... then trust
    db.session.expire_all()
    third = db.session.scalar(db.select(Post).where(Post.author_id == member.id)
                              .order_by(Post.id.desc()))
    assert third.visibility == "visible"
    assert "Trust: Member (automatic)" in mod.get(f"/mod/users/{member.id}").text


def test_trust_also_needs_days_when_configured(make_app, make_user, make_category, make_thread):
    from community.services import threads
    from moderation.services import trust
    app = make_app(MOD_TRUST_MIN_DAYS=3)
    with app.app_context():
        member = make_user()
        thread = make_thread()
        for n in range(2):
            threads.reply(member, thread, f"A helpful answer, number {n}.")
        db.session.commit()
        assert trust.trust_level(member) == "new"
        clock.travel(timedelta(days=3))
        assert trust.trust_level(member) == "member"


def test_everything_pre_moderated_holds_even_trusted_members_but_not_staff(
        testapp, browser, make_user, make_category, admin, moderator):
    category = make_category(name="Announcements")
    login(testapp, admin)
    set_mode(testapp, category, "all")
    member = make_user()
    mod = browser(moderator)
    form = mod.get(f"/mod/users/{member.id}").forms["trust-form"]
    form["trust-level"] = "trusted"
    form.submit().follow()
    page = ask(browser(member), category).follow()
    assert "Awaiting review" in page.text
    thread = db.session.scalar(db.select(Thread).where(Thread.author_id == member.id))
    assert thread.visibility == "pending"
    assert "Everything in this category is reviewed first" in mod.get("/mod").text
    ask(mod, category, title="Maintenance on Sunday night").follow()
    staff_thread = db.session.scalar(db.select(Thread).where(Thread.author_id == moderator.id))
    assert staff_thread.visibility == "visible"


def test_pending_question_is_approved_with_its_thread(testapp, browser, make_user,
                                                       make_category, admin, moderator, fresh):
    category = make_category()
    login(testapp, admin)
    set_mode(testapp, category, "new_members")
    member = make_user()
    ask(browser(member), category, title="Can I keep my number when I switch?")
    thread = db.session.scalar(db.select(Thread).where(Thread.author_id == member.id))
    assert thread.visibility == "pending" and fresh(category).thread_count == 0
    assert "Can I keep my number" not in browser().get(f"/c/{category.slug}").text
    question = db.session.get(Post, thread.first_post_id)
    decide(browser(moderator), open_item(question).id, "approve")
    assert fresh(thread).visibility == "visible"
    assert fresh(category).thread_count == 1
    assert "Can I keep my number" in browser().get(f"/c/{category.slug}").text


def test_new_members_links_are_limited(browser, make_user, make_thread, moderator):
    thread = make_thread()
    member = make_user()
    session = browser(member)
    reply(session, thread, "Look at https://a.example.com and https://b.example.com and "
                           "https://c.example.com")
    post = db.session.scalar(db.select(Post).where(Post.author_id == member.id))
    assert post.visibility == "pending"
    assert "Too many links for a new member: 3" in browser(moderator).get("/mod").text
    reply(session, thread, "Second answer, two links https://a.example.com https://b.example.com")
    second = db.session.scalar(db.select(Post).where(Post.author_id == member.id)
                               .order_by(Post.id.desc()))
    assert second.visibility == "visible"


def test_new_members_posting_rate_is_limited(testapp, browser, make_user, make_category,
                                             make_thread, admin):
    category = make_category()
    thread = make_thread(category=category)
    login(testapp, admin)
    set_mode(testapp, category, "new_members")  # the posts wait: the member stays new
    session = browser(make_user())
    for n in range(3):
        assert reply(session, thread, f"Answer number {n}, all within minutes.").status_int == 302
    page = reply(session, thread, "Fourth answer within ten minutes is too fast.")
    assert page.status_int == 429
    assert "New members can write 3 posts within 10 minutes" in page.text
    assert page.forms["reply-form"]["body"].value == "Fourth answer within ten minutes is too fast."
    clock.travel(timedelta(minutes=11))
    assert reply(session, thread, "Fourth answer, after waiting a little.").status_int == 302


def test_moderator_sets_trust_by_hand_and_back_to_automatic(browser, make_user, moderator):
    member = make_user()
    mod = browser(moderator)
    form = mod.get(f"/mod/users/{member.id}").forms["trust-form"]
    form["trust-level"], form["trust-reason"] = "trusted", "Long-time helper from the old forum"
    page = form.submit().follow()
    assert "Trust level saved." in page.text and "Trusted member (set by hand)" in page.text
    form = page.forms["trust-form"]
    form["trust-level"] = "auto"
    page = form.submit().follow()
    assert "New member (automatic)" in page.text
    assert [(e.details["before"], e.details["after"]) for e in audit_entries("member.trust")] == [
        ("auto", "trusted"), ("trusted", "auto")]


def test_admin_creates_a_category_with_its_mode(browser, admin, moderator):
    boss = browser(admin)
    form = boss.get("/mod/categories").forms["new-category-form"]
    form["new-name"], form["new-description"] = "Kündigung", "Verträge beenden"
    form["new-mode"] = "all"
    page = form.submit().follow()
    assert "Category created." in page.text and "Kündigung" in page.text
    from moderation.services import trust
    from community.services.categories import get_by_slug
    assert trust.category_mode(get_by_slug("kuendigung").id) == "all"
    form = boss.get("/mod/categories").forms["new-category-form"]
    form["new-name"] = "Kündigung"
    assert "already exists" in form.submit(status=422).text
    assert [e.action for e in audit_entries()] == ["category.create"]
    assert browser(moderator).get("/mod/categories", expect_errors=True).status_int == 403


def test_admin_renames_describes_and_orders_categories(browser, make_category, admin):
    first, second, third = (make_category(name=n) for n in ("Billing", "Mobile", "Internet"))
    boss = browser(admin)
    page = boss.get("/mod/categories")
    form = page.forms[f"category-form-{second.id}"]
    prefix = f"cat-{second.id}-"
    form[prefix + "name"], form[prefix + "description"] = "Mobil & Handy", "SIM, eSIM, roaming"
    page = form.submit().follow()
    assert "Mobil &amp; Handy saved." in page.text
    home = browser().get("/")
    assert "Mobil &amp; Handy" in home.text and "SIM, eSIM, roaming" in home.text
    assert browser().get(f"/c/{second.slug}").status_int == 200  # the address stays
    form = page.forms[f"category-form-{third.id}"]
    form[f"cat-{third.id}-name"] = "billing"
    page = form.submit(status=422)
    assert "A category with this name already exists." in page.text
    assert page.forms[f"category-form-{third.id}"][f"cat-{third.id}-name"].value == "billing"

    page = boss.get("/mod/categories")
    page = page.forms[f"move-form-{third.id}"].submit(f"move-{third.id}-direction", value="up")
    page = page.follow().forms[f"move-form-{third.id}"].submit(f"move-{third.id}-direction",
                                                               value="up").follow()
    home = browser().get("/").text
    assert home.index("Internet") < home.index("Billing") < home.index("Mobil &amp; Handy")
    assert f'name="move-{third.id}-direction" value="up"' not in page.text  # first now
    entries = audit_entries()
    assert [e.action for e in entries] == ["category.update", "category.move", "category.move"]
    assert entries[0].details == {
        "before": {"name": "Mobile", "description": "Questions and answers"},
        "after": {"name": "Mobil & Handy", "description": "SIM, eSIM, roaming"}}
    assert [(e.details["before"], e.details["after"]) for e in entries[1:]] == [(3, 2), (2, 1)]
