"""Phone and keyboard: every page of the core has a viewport, a language, a skip link to
its content, a label for every input, valid ARIA values, and no asset from elsewhere."""
import re

import pytest

from community.services import threads
from community.extensions import db
from community.text import slugify
from tests.conftest import login

LABELLED_BY_ROLE = {"hidden", "submit", "button", "reset", "image"}


@pytest.fixture
def pages(make_user, make_category, make_thread, make_reply):
    asker = make_user(name="Anna Asker")
    category = make_category(name="Devices")
    thread = make_thread(author=asker, category=category, tags=["router"])
    answer = make_reply(thread)
    threads.accept_answer(asker, answer)
    db.session.commit()
    public = ["/", "/c/devices", "/c/devices?filter=solved&sort=helpful",
              f"/t/{thread.id}-{thread.slug}", f"/u/{asker.id}-{slugify(asker.name)}",
              f"/u/{asker.id}-{slugify(asker.name)}?tab=answers", "/nowhere"]
    member = public + ["/ask", "/settings", f"/p/{thread.first_post_id}/edit"]
    return asker, {"visitor": public + ["/login", "/register"], "member": member}


def _labelled(page, control):
    if control.get("aria-label") or control.get("aria-labelledby") or control.get("title"):
        return True
    if control.get("id") and page.html.find("label", attrs={"for": control["id"]}):
        return True
    return control.find_parent("label") is not None


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_every_page_works_on_a_phone_and_with_a_keyboard(testapp, pages, who):
    asker, paths = pages
    if who == "member":
        login(testapp, asker)
    for path in paths[who]:
        page = testapp.get(path, status=[200, 404])
        html = page.html
        assert html.find("meta", attrs={"name": "viewport"})["content"] == \
            "width=device-width, initial-scale=1", path
        assert html.find("html")["lang"] in ("en", "de"), path
        skip = html.find("a", class_="skip-link")
        assert skip is not None and html.find(id=skip["href"][1:]).name == "main", path
        assert html.find("h1") is not None, path
        for control in html.find_all(["input", "select", "textarea"]):
            if control.name == "input" and control.get("type") in LABELLED_BY_ROLE:
                continue
            assert _labelled(page, control), (path, str(control)[:200])
        for element in html.find_all(True):
            for name, value in element.attrs.items():
                if name.startswith("aria-"):
                    assert value not in ("None", "", "False"), (path, name, str(element)[:200])
            if element.get("aria-describedby"):
                for ref in element["aria-describedby"].split():
                    assert html.find(id=ref) is not None, (path, ref)
        for button in html.find_all("button"):
            assert button.get_text(strip=True) or button.get("aria-label"), (path, str(button))
        assets = [t.get("href") for t in html.find_all("link") if t.get("rel") != ["canonical"]]
        assets += [t.get("src") for t in html.find_all(["script", "img", "iframe"])]
        for url in filter(None, assets):
            assert url.startswith("/") and not url.startswith("//"), (path, url)
            testapp.get(url)


def test_styles_have_focus_outlines_a_phone_layout_and_no_remote_assets(testapp):
    css = testapp.get("/static/forum.css").text
    assert re.search(r":focus-visible\s*[,{]", css)
    assert re.search(r"outline\s*:\s*(?!none|0)", css)
    assert ".skip-link:focus" in css
    assert re.search(r"@media\s*\(max-width:\s*\d+px\)", css)
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", css)
    script = testapp.get("/static/forum.js").text
    assert not re.search(r"https?://", script)
