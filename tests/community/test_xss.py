"""Cross-site scripting: the public payload corpus through the Markdown pipeline, and a
sample of it through HTTP into every page, feed and API response that shows user text.

The corpus (tests/data/xss/xss-payload-list.txt, MIT, see its README) is fed to
``community.markup.render`` as-is and wrapped as a link, an image and an autolink. An
output is executable when it holds a scripting element, an ``on*``/``style``/``srcdoc``
attribute or a URL with a scheme other than http, https or mailto, after the entity
decoding and whitespace/control-character stripping a browser would do.
"""
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
from bleach._vendor import html5lib  # bleach's WHATWG parser, as browsers parse pages
from webtest import TestApp

from community import markup
from community.extensions import db
from tests.conftest import PASSWORD, isolated

CORPUS = Path(__file__).resolve().parents[1] / "data" / "xss" / "xss-payload-list.txt"
CORPUS_SIZE = 6613
CHUNKS = 8  # the corpus is split so that `pytest -n` can spread it over processes

FORBIDDEN_ELEMENTS = frozenset({
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math",
    "style", "base", "form", "input", "button", "textarea", "select", "isindex", "link",
    "meta", "template", "video", "audio", "source", "portal", "xmp", "noembed", "noscript",
})
URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "xlink:href", "poster", "background", "cite",
    "data", "codebase", "longdesc", "lowsrc", "dynsrc", "ping", "srcset", "manifest", "icon",
})
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
_RAW_TAG = re.compile(r"<\s*/?\s*(" + "|".join(sorted(FORBIDDEN_ELEMENTS)) + r")\b", re.I)


# ---------------------------------------------------------------------------------------
# The checker
# ---------------------------------------------------------------------------------------

def _url_scheme(value):
    """The scheme a browser would see: entities are already decoded by the parser; drop
    whitespace and control/format characters anywhere (browsers drop tab and newline
    anywhere and C0 controls and spaces around the URL; bleach drops more)."""
    cleaned = "".join(c for c in value if not (c.isspace() or unicodedata.category(c)
                                              in ("Cc", "Cf", "Zs", "Zl", "Zp")))
    cleaned = cleaned.replace("\ufffd", "").lower()
    match = _SCHEME.match(cleaned)
    return match.group(1) if match else None


def attribute_problems(tag, attrs):
    """Problems of one element given as (name, [(attribute, decoded value), ...])."""
    problems = []
    for name, value in attrs:
        name = (name or "").lower()
        local = name.split(":")[-1]
        if local.startswith("on"):
            problems.append(f"<{tag} {name}=...> event handler")
        elif local in ("style", "srcdoc"):
            problems.append(f"<{tag} {name}=...>")
        elif name in URL_ATTRIBUTES or local in URL_ATTRIBUTES:
            for part in (value or "").split(",") if local == "srcset" else [value or ""]:
                scheme = _url_scheme(part)
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    problems.append(f"<{tag} {name}={value!r}> has a {scheme}: URL")
    return problems


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    handle_startendtag = handle_starttag


def executable_vectors(html):
    """Executable vectors in a fragment of sanitized post HTML (empty list: inert)."""
    problems = []
    parser = _Collector()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.elements:
        if tag in FORBIDDEN_ELEMENTS or ":" in tag:
            problems.append(f"<{tag}> element")
        problems += attribute_problems(tag, attrs)
    # Independent of any parser: text '<' is always escaped (also inside attribute values,
    # bleach's serializer escapes '<' there), so a raw '<script' can only be an element.
    match = _RAW_TAG.search(html)
    if match:
        problems.append(f"raw {match.group(0)!r} in output")
    return problems


def _html5_elements(html):
    document = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)
    for element in document.iter():
        if isinstance(element.tag, str):
            yield element


# The app's and its features' static folders (/static/, /search/static/, ...).
_OWN_SCRIPT = re.compile(r"^/(?:[a-z_]+/)?static/[\w./-]+\.js(?:\?[\w=.&-]*)?$")


def page_vectors(html, *, expect_json_ld=None):
    """Executable vectors on a whole page, parsed like a browser parses it. The app's own
    scripts are allowed: scripts from its static folders without inline code, and JSON-LD
    blocks whose text is JSON and cannot end the script element. A ``<template>`` (the
    app's own, for scripts to clone) is inert; what is inside it is checked like the rest.
    Returns (problems, json_ld_blocks)."""
    problems, blocks = [], []
    for element in _html5_elements(html):
        tag = element.tag.split("}")[-1].lower()
        attrs = list(element.attrib.items())
        if tag == "script":
            src, kind = element.get("src"), (element.get("type") or "").strip().lower()
            text = element.text or ""
            if src is not None:
                if not _OWN_SCRIPT.match(src) or text.strip():
                    problems.append(f"foreign script src={src!r}")
            elif kind == "application/ld+json":
                try:
                    blocks.append(json.loads(text))
                except ValueError:
                    problems.append("JSON-LD block is not JSON")
                if "<" in text:
                    problems.append("JSON-LD text contains '<' (could close the script)")
            else:
                problems.append(f"inline script: {text[:80]!r}")
        elif tag in ("iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math",
                     "style", "base", "portal", "noscript", "xmp", "noembed"):
            problems.append(f"<{tag}> element")
        elif tag == "meta" and element.get("http-equiv") is not None:
            problems.append("<meta http-equiv> element")
        problems += attribute_problems(tag, attrs)
    if expect_json_ld is not None and len(blocks) != expect_json_ld:
        problems.append(f"{len(blocks)} JSON-LD blocks, expected {expect_json_ld}")
    return problems, blocks


# ---------------------------------------------------------------------------------------
# The corpus through the Markdown pipeline
# ---------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _read_corpus():
    text = CORPUS.read_text(encoding="utf-8")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def corpus():
    """All payloads (the corpus is part of the repository)."""
    payloads = _read_corpus()
    assert len(payloads) == CORPUS_SIZE, f"corpus has {len(payloads)} lines, README says 6,613"
    return payloads


def variants(payload):
    yield payload
    yield f"[x]({payload})"
    yield f"![x]({payload})"
    yield f"<{payload}>"


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_corpus_renders_inert(chunk):
    payloads = corpus()
    failures = []
    for payload in payloads[chunk::CHUNKS]:
        for source in variants(payload):
            html = markup.render(source)
            problems = executable_vectors(html)
            if problems:
                failures.append((source, html, problems))
    assert not failures, "\n".join(f"{s!r}\n  -> {h!r}\n  {p}" for s, h, p in failures[:20])


def test_the_checker_finds_what_it_should():
    """The checker itself, against vectors a broken sanitizer would let through."""
    bad = [
        '<p><script>alert(1)</script></p>', '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>', '<a href="&#106;avascript:alert(1)">x</a>',
        '<a href="java&#x09;script:alert(1)">x</a>', '<a href=" JaVaScRiPt&colon;alert(1)">x</a>',
        '<a href="vbscript:msgbox(1)">x</a>', '<img src="data:text/html;base64,PHNjcmlwdD4=">',
        '<a href="&#0001;javascript:alert(1)">x</a>', '<svg><a xlink:href="javascript:1">',
        '<p style="background:url(javascript:1)">x</p>', '<iframe srcdoc="&lt;script&gt;">',
        '<form action="javascript:1"><button formaction="javascript:1">', '<math><mi>x</mi></math>',
        '<base href="https://evil.example/">', '<a href="livescript:1">x</a>',
    ]
    for html in bad:
        assert executable_vectors(html), html
        assert page_vectors(html)[0] or "<form" in html, html
    good = ['<p><a href="https://example.com/?a=1&amp;b=javascript:x" rel="nofollow">x</a></p>',
            '<p><a href="/t/1-x">x</a> <a href="mailto:a@example.com">m</a></p>',
            '<p>&lt;script&gt;alert(1)&lt;/script&gt; javascript:alert(1) onerror=x</p>',
            '<p><img src="https://example.com/a.png" alt="onerror=alert(1)"></p>',
            '<p><a href="y/javascript:alert(1)" title="javascript:alert(1)">relative</a></p>']
    for html in good:
        assert executable_vectors(html) == [], html


# ---------------------------------------------------------------------------------------
# Exact escaping and link attributes
# ---------------------------------------------------------------------------------------

def _render(source):
    return markup.render(source).strip()


def test_code_blocks_are_escaped_exactly_once():
    assert _render("```\n<b>&amp;</b>\n```") == \
        "<pre><code>&lt;b&gt;&amp;amp;&lt;/b&gt;\n</code></pre>"
    assert _render("`<i>&lt;</i>`") == "<p><code>&lt;i&gt;&amp;lt;&lt;/i&gt;</code></p>"
    assert _render("    <script>alert(1)</script>") == \
        "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>"
    # A URL in code stays text: the linkify pass skips pre and code.
    assert _render("`https://example.com/`") == "<p><code>https://example.com/</code></p>"


def test_plain_text_and_raw_html_are_escaped_once():
    assert _render("Tom & Jerry <3 <b>bold</b>") == \
        "<p>Tom &amp; Jerry &lt;3 &lt;b&gt;bold&lt;/b&gt;</p>"
    assert _render("AT&amp;T") == "<p>AT&amp;T</p>"


@pytest.mark.parametrize("source, href", [
    ("[the docs](https://example.com/docs)", "https://example.com/docs"),
    ("<https://example.com/auto>", "https://example.com/auto"),
    ("See https://example.com/bare for it", "https://example.com/bare"),
    ("[mail us](mailto:help@example.com)", "mailto:help@example.com"),
    ("[relative](/t/1-question)", "/t/1-question"),
])
def test_links_get_nofollow_ugc_noopener(source, href):
    html = markup.render(source)
    links = [el for el in _html5_elements(html) if el.tag == "a"]
    assert len(links) == 1, html
    assert links[0].get("href") == href
    assert links[0].get("rel") == "nofollow ugc noopener"
    assert links[0].get("target") is None


@pytest.mark.parametrize("source", [
    "[x](javascript:alert(1))", "[x](JAVASCRIPT:alert(1))", "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "<javascript:alert(1)>",
    "![x](javascript:alert(1))", "![x](data:image/svg+xml;base64,PHN2Zz4=)",
    "[x](&#106;avascript:alert(1))", "[x](java%0ascript:alert(1))", "[x](ftp://example.com/)",
    "[x](file:///etc/passwd)",
])
def test_only_http_https_and_mailto_urls_survive(source):
    html = markup.render(source)
    assert executable_vectors(html) == [], html
    for element in _html5_elements(html):
        for name in ("href", "src"):
            value = element.get(name)
            if value is not None:
                assert _url_scheme(value) in (None, "http", "https", "mailto"), html


# ---------------------------------------------------------------------------------------
# A sample through HTTP, onto every page
# ---------------------------------------------------------------------------------------

SAMPLE_SIZE = 60
_SAMPLE_KEYWORDS = (
    "<script", "</script", "onerror", "onload", "javascript:", "&#", "<svg", "<iframe",
    "data:", "<img", "\"", "'", "-->", "<style", "<a ", "<body", "<math", "<object",
    "vbscript", "expression(", "]]>", "<meta", "<form", "\\u", "%3c", "`",
)
_EXTRA_PAYLOADS = [
    # Written for this app's contexts: the JSON-LD script block, the Atom feed's CDATA-free
    # escaping, attribute values (meta description, title) and Markdown link syntax.
    '</script><script>alert("ld+json")</script>',
    "]]><script>alert('feed')</script><![CDATA[",
    '" onmouseover="alert(1)" x="',
    "[click me](javascript:alert(document.domain)) <img src=x onerror=alert(1)>",
    "\u2028\u2029</SCRIPT >\\u003cscript\\u003ealert(1)",
]


def xss_sample():
    """A fixed, diverse sample: the first lines hitting each keyword, then evenly spaced
    lines, then payloads written for this app's contexts."""
    payloads = corpus()
    chosen = []

    def take(payload):
        if payload.strip() and payload not in chosen:
            chosen.append(payload)

    for keyword in _SAMPLE_KEYWORDS:
        for payload in payloads:
            if keyword in payload.lower() and payload not in chosen:
                take(payload)
                break
    step = len(payloads) // (SAMPLE_SIZE - len(_EXTRA_PAYLOADS) - len(chosen))
    for payload in payloads[::step]:
        if len(chosen) >= SAMPLE_SIZE - len(_EXTRA_PAYLOADS):
            break
        take(payload)
    for payload in _EXTRA_PAYLOADS:
        take(payload)
    return chosen


def _display_name(payload, n):
    name = " ".join(payload.split())[:55].strip() or "x"
    return name if len(name) >= 2 else f"{name} {n}"


def _title(payload):
    title = " ".join(payload.split())[:190].strip()
    return title if len(title) >= 8 else f"{title} question"


def _browser(app, n):
    return TestApp(isolated(app), extra_environ={"REMOTE_ADDR": f"198.51.100.{n % 250 + 1}",
                                                "HTTP_HOST": "localhost"})


def _assert_page_inert(page, payloads, *, json_ld=0, where=""):
    assert "text/html" in page.content_type, where
    problems, blocks = page_vectors(page.text, expect_json_ld=json_ld)
    assert not problems, f"{where}: {problems}"
    for payload in payloads:
        if "<" in payload:
            assert payload not in page.text, f"{where}: raw payload {payload!r} on the page"
    return blocks


def _assert_xml_inert(response, payloads, where):
    # Parsed as XML: it must stay well-formed whatever the members wrote.
    root = ET.fromstring(response.body)
    for element in root.iter():
        namespace = element.tag.split("}")[0].strip("{") if "}" in element.tag else ""
        assert namespace in ("http://www.w3.org/2005/Atom",
                             "http://www.sitemaps.org/schemas/sitemap/0.9"), \
            f"{where}: foreign element {element.tag}"
    for payload in payloads:
        if "<" in payload:
            assert payload not in response.text, f"{where}: raw payload {payload!r}"
    return root


def _relax_spam_checks(app):
    """Each payload comes from its own new member, and payloads are full of links and
    similar text: without this the spam heuristics would hold most of them for review,
    and held threads are not on the public pages under test."""
    app.config.update(MOD_NEW_MEMBER_MAX_LINKS=10**6, MOD_NEW_MEMBER_RATE_POSTS=10**6,
                      MOD_REPEAT_MIN_LENGTH=10**6, REGISTRATION_MAX_PER_NETWORK=0)


def test_sample_through_http_renders_inert_everywhere(app, make_category, make_user):
    _relax_spam_checks(app)
    sample = xss_sample()
    assert len(sample) == SAMPLE_SIZE
    categories = [make_category(name="Contracts and billing"),
                  make_category(name="Internet & TV", description=sample[0]),
                  make_category(name=_display_name(sample[1], 0)[:40] + " cat",
                                description=sample[2])]
    members, thread_ids, previous = [], [], None
    for n, payload in enumerate(sample):
        browser = _browser(app, n)
        form = browser.get("/register").forms["register-form"]
        form["email"] = f"xss{n}@example.com"
        form["name"] = _display_name(payload, n)
        form["password"] = PASSWORD
        assert form.submit().status_int == 302, payload
        form = browser.get("/ask").forms["ask-form"]
        form["category"] = categories[n % len(categories)].slug
        form["title"] = _title(payload)
        form["body"] = f"{payload}\n\nThat is all I see on the screen."
        form["tags"] = f"{payload[:30]}, router"
        response = form.submit("submit")
        assert response.status_int == 302, (payload, response.text[:2000])
        page = response.follow()
        _assert_page_inert(page, sample, json_ld=1, where=f"new thread {payload!r}")
        thread_ids.append(int(re.search(r"/t/(\d+)", response.location).group(1)))
        if previous is not None:
            form = browser.get(f"/t/{previous}").follow().forms["reply-form"]
            form["body"] = f"Try this: {payload}"
            assert form.submit("submit").status_int == 302, payload
        previous = thread_ids[-1]
        members.append(browser)

    # Accepted answers show the answer twice and add it to the JSON-LD block.
    for asker, thread_id in list(zip(members, thread_ids))[:5]:
        page = asker.get(f"/t/{thread_id}").follow()
        accept = [f for f in page.forms.values() if f.action.endswith("/accept")]
        assert len(accept) == 1, thread_id
        assert accept[0].submit().status_int == 302

    visitor = _browser(app, 251)
    seen_titles = set()
    pages = [("/", "home")]
    for category in categories:
        first = visitor.get(f"/c/{category.slug}")
        pages_count = max(1, int(re.search(r"Page \d+ of (\d+)", first.text).group(1))
                          if "Page 1 of" in first.text else 1)
        pages += [(f"/c/{category.slug}?page={p}", "category") for p in range(1, pages_count + 1)]
        pages += [(f"/c/{category.slug}?filter=solved&sort=helpful", "category")]
    for path, where in pages:
        page = visitor.get(path)
        _assert_page_inert(page, sample, where=path)
        seen_titles.update(a.get_text() for a in page.html.select(".thread-title"))
    # Every title made it onto the lists, as text.
    assert {_title(p) for p in sample} <= seen_titles

    for n, thread_id in enumerate(thread_ids):
        page = visitor.get(f"/t/{thread_id}").follow()
        blocks = _assert_page_inert(page, sample, json_ld=1, where=f"thread {thread_id}")
        question = blocks[0]["mainEntity"]
        assert question["name"] == _title(sample[n])
        assert question["author"]["name"] == _display_name(sample[n], n)
        # The page shows the title as text, exactly as written.
        assert page.html.find("h1").get_text() == _title(sample[n])
        if n < 5:
            assert "acceptedAnswer" in question and page.html.select("section.accepted-answer")

    for n, member in enumerate(members):
        profile_link = member.get("/").html.select_one(".user-nav a[href^='/u/']")["href"]
        for tab in ("", "?tab=answers", "?tab=accepted"):
            page = visitor.get(profile_link + tab)
            _assert_page_inert(page, sample, where=f"profile {profile_link}{tab}")
            assert page.html.find("h1").get_text().strip().startswith(
                _display_name(sample[n], n))

    # Signed-in pages that show other members' text: notifications of answers.
    for member in members[:10]:
        if "notifications.index" in app.view_functions:
            _assert_page_inert(member.get("/notifications"), sample, where="notifications")

    for category in categories:
        response = visitor.get(f"/c/{category.slug}/feed.atom")
        assert response.content_type == "application/atom+xml"
        root = _assert_xml_inert(response, sample, f"feed {category.slug}")
        atom = "{http://www.w3.org/2005/Atom}"
        entries = root.findall(f"{atom}entry")
        assert entries
        for entry in entries:
            # Feed readers render content type="html": it must be the sanitized HTML.
            content = entry.find(f"{atom}content")
            assert content.get("type") == "html"
            assert executable_vectors(content.text or "") == [], content.text
            assert entry.find(f"{atom}title").text in {_title(p) for p in sample}

    response = visitor.get("/sitemap.xml")
    root = _assert_xml_inert(response, sample, "sitemap")
    locs = [el.text for el in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert all(loc.startswith("http://localhost/") for loc in locs)
    assert len([loc for loc in locs if "/t/" in loc]) == len(thread_ids)


@pytest.mark.parametrize("template", [
    "/login?next={p}", "/?q={p}", "/c/{slug}?filter={p}", "/c/{slug}?sort={p}&page=1",
    "/search?q={p}", "/register?next={p}",
])
def test_reflected_query_parameters_are_inert(testapp, make_category, template):
    from urllib.parse import quote
    category = make_category()
    for payload in xss_sample():
        path = template.format(p=quote(payload, safe=""), slug=category.slug)
        page = testapp.get(path, status="*")
        assert page.status_int in (200, 422), (path, page.status)
        _assert_page_inert(page, [payload], where=path)


def test_api_shows_payloads_as_data(app, testapp, make_category, make_user):
    """Payloads written through the API as title, body, tags, display name and category
    description come back as data in every API response: JSON with nosniff, HTML fields
    sanitized, the plain fields exactly as written, no e-mail address."""
    from community.services import accounts
    _relax_spam_checks(app)
    sample = xss_sample()[:20]
    category = make_category(name="Routers", description=sample[-1])
    responder = make_user(name=_display_name(sample[-2], 0))
    _, plaintext = accounts.create_token(responder, sample[-3][:60])
    responder_auth = {"Authorization": f"Bearer {plaintext}"}
    db.session.commit()
    responses, created = [], []
    for n, payload in enumerate(sample):
        author = make_user(name=_display_name(payload, n), email=f"api-xss{n}@example.com")
        _, plaintext = accounts.create_token(author, payload[:60])
        db.session.commit()
        auth = {"Authorization": f"Bearer {plaintext}"}
        response = testapp.post_json("/api/v1/threads", {
            "category": category.slug, "title": _title(payload),
            "body": f"{payload}\n\nDetails follow.", "tags": [payload[:30], "router"]},
            headers=auth, status=201)
        thread_id = response.json["id"]
        responses.append(response)
        reply = testapp.post_json(f"/api/v1/threads/{thread_id}/posts",
                                  {"body": f"Answer: {payload}"}, headers=responder_auth,
                                  status=201)
        responses.append(reply)
        if n % 2:
            responses.append(testapp.post(f"/api/v1/posts/{reply.json['id']}/accept",
                                          headers=auth))
        responses.append(testapp.get(f"/api/v1/threads/{thread_id}"))
        responses.append(testapp.get(f"/api/v1/posts/{reply.json['id']}"))
        created.append((n, payload, thread_id, author))
    first = testapp.get("/api/v1/threads", {"category": category.slug})
    assert first.json["total"] == len(sample)
    responses.append(first)
    for page in range(2, first.json["pages"] + 1):
        responses.append(testapp.get("/api/v1/threads", {"category": category.slug,
                                                          "page": page}))
    responses.append(testapp.get("/api/v1/threads", {"filter": "solved"}))
    responses.append(testapp.get("/api/v1/categories"))

    for response in responses:
        assert response.content_type == "application/json"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        for key, value in _strings(response.json):
            if "html" in key.lower():  # rendered HTML for clients to show
                assert executable_vectors(value) == [], value
    everything = [value for r in responses for _key, value in _strings(r.json)]
    for n, payload, thread_id, author in created:
        assert author.email not in " ".join(everything)
        detail = testapp.get(f"/api/v1/threads/{thread_id}").json
        assert detail["title"] == _title(payload), "the title is returned as data, as written"
        assert detail["author"]["name"] == _display_name(payload, n)
        assert detail["posts"][0]["author"]["name"] == _display_name(payload, n)
        assert "router" in detail["tags"]
    assert sample[-1] in everything  # the category description, as written


def _strings(data, key=""):
    """(key, string) pairs anywhere in a JSON document."""
    if isinstance(data, str):
        yield key, data
    elif isinstance(data, dict):
        for name, value in data.items():
            yield from _strings(value, str(name))
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value, key)


def test_forms_that_come_back_with_payloads_are_inert(app, make_category, make_user):
    """A form shown again keeps the member's text (errors, preview, edit, settings): the
    text must come back as the field's value, never as markup."""
    _relax_spam_checks(app)
    category = make_category()
    for n, payload in enumerate(xss_sample()[::3]):
        browser = _browser(app, n)
        where = repr(payload)
        form = browser.get("/register").forms["register-form"]
        form["email"] = f"forms-xss{n}@example.com"
        form["name"] = _display_name(payload, n)
        form["password"] = "short"
        page = form.submit(status=422)
        _assert_page_inert(page, [payload], where="register error " + where)
        assert page.forms["register-form"]["name"].value == _display_name(payload, n)
        form = page.forms["register-form"]
        form["password"] = PASSWORD
        form.submit(status=302)

        form = browser.get("/ask").forms["ask-form"]
        form["category"] = category.slug
        form["title"] = "x"
        form["body"] = payload + "\n\nMore details."
        form["tags"] = payload[:30]
        page = form.submit("submit", status=422)
        _assert_page_inert(page, [payload], where="ask error " + where)
        assert page.forms["ask-form"]["body"].value == payload + "\n\nMore details."
        form = page.forms["ask-form"]
        form["title"] = _title(payload)
        page = form.submit("preview")
        _assert_page_inert(page, [payload], where="ask preview " + where)
        response = page.forms["ask-form"].submit("submit", status=302)
        thread_page = response.follow()

        form = thread_page.forms["reply-form"]
        form["body"] = f"Reply: {payload}"
        page = form.submit("preview")
        _assert_page_inert(page, [payload], json_ld=1, where="reply preview " + where)
        assert page.forms["reply-form"]["body"].value == f"Reply: {payload}"

        edit_link = thread_page.html.select_one("article.question a[href$='/edit']")["href"]
        page = browser.get(edit_link)
        _assert_page_inert(page, [payload], where="edit " + where)
        form = page.forms["edit-form"]
        assert form["title"].value == _title(payload)
        form["title"] = "y"
        page = form.submit("submit", status=422)
        _assert_page_inert(page, [payload], where="edit error " + where)

        form = browser.get("/settings").forms["token-form"]
        form["tok-name"] = payload[:60] or "x"
        page = form.submit()
        _assert_page_inert(page, [payload], where="settings tokens " + where)
        preview = browser.post("/preview", {"body": payload,
                                            "csrf_token": thread_page.forms["reply-form"]["csrf_token"].value})
        assert preview.content_type == "application/json"
        assert executable_vectors(preview.json["html"]) == []
