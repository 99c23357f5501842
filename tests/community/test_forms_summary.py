"""Findable errors: a refused form starts with an error summary (``role="alert"``,
focusable, focused by ``autofocus`` without scripts) whose entries link to the fields,
each field keeps its own message beside it, and a long admin page posts its forms to
an address ending in the form's anchor, so the browser comes back to the form that
failed instead of the top of the page."""
from tests.conftest import login


def the_summary(form):
    boxes = form.select("[role=alert]")
    assert len(boxes) == 1, form
    box = boxes[0]
    assert box.get("tabindex") == "-1" and box.has_attr("autofocus")
    return box


def links(box):
    return {a["href"]: a.get_text(" ", strip=True) for a in box.select("a")}


def test_the_ask_form_starts_with_a_summary_linking_each_field(browser, make_user,
                                                                make_category):
    category = make_category()
    session = browser(make_user())
    form = session.get("/ask").forms["ask-form"]
    form["category"], form["title"], form["body"] = category.slug, "Help", "x" * 50_001
    page = form.submit("submit", status=422)
    html = page.html.find("form", id="ask-form")
    box = the_summary(html)
    assert box.find_previous("input", attrs={"name": "title"}) is None  # at the top
    assert "Please check these 2 points:" in box.get_text()
    assert links(box) == {"#title": "Your question: Please describe your question in at least "
                                    "8 characters.",
                          "#body": "Details: Please keep it under 50000 characters."}
    for name in ("title", "body"):
        control = html.find(attrs={"name": name})
        assert control["aria-invalid"] == "true"
        assert html.find(id=control["aria-describedby"]).select("p.error")
    # Only the summary takes the focus; the title field gives its autofocus up.
    assert [el.name for el in page.html.select("[autofocus]")] == ["div"]
    assert page.forms["ask-form"]["body"].value == "x" * 50_001


def test_the_login_summary_links_to_the_password(testapp, make_user):
    user = make_user()
    form = testapp.get("/login").forms["login-form"]
    form["email"], form["password"] = user.email, "not the password"
    page = form.submit(status=422)
    box = the_summary(page.html.find("form", id="login-form"))
    assert links(box) == {"#password": "Password: E-mail address or password is wrong."}
    assert page.forms["login-form"]["email"].value == user.email


def test_a_long_admin_page_returns_to_the_category_form_that_failed(
        testapp, admin, make_category):
    categories = [make_category() for _ in range(6)]
    login(testapp, admin)
    target = categories[4]
    form = testapp.get("/mod/categories").forms[f"category-form-{target.id}"]
    assert form.action.endswith(f"#category-form-{target.id}")
    form[f"cat-{target.id}-name"] = ""
    page = form.submit(status=422)
    failed = page.html.find("form", id=f"category-form-{target.id}")
    assert list(links(the_summary(failed))) == [f"#cat-{target.id}-name"]
    assert len(page.html.select("[role=alert]")) == 1  # the other forms are quiet
    new = page.forms["new-category-form"]
    assert new.action.endswith("#new-category-form")


def test_the_bridge_admin_pages_return_to_the_form_that_failed(testapp, admin, make_category):
    category = make_category()
    login(testapp, admin)
    form = testapp.get("/desk/admin/rules").forms[f"rule-form-{category.id}"]
    assert form.action.endswith(f"#rule-form-{category.id}")
    form[f"rule-{category.id}-no_reply_after_hours"] = "0"
    page = form.submit(status=422)
    box = the_summary(page.html.find("form", id=f"rule-form-{category.id}"))
    assert list(links(box)) == [f"#rule-{category.id}-no_reply_after_hours"]
    for path, form_id in (("/desk/admin/terms", "term-form"), ("/desk/admin/canned", "canned-form")):
        assert testapp.get(path).forms[form_id].action.endswith(f"#{form_id}")
