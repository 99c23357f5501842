"""The README stays a newcomer's page and docs/ holds the manual: the README is short,
shows the two commands, links every page of docs/, and no relative link in the README
or docs/ points to a file or heading that does not exist."""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = [README, *DOCS, ROOT / "moderation" / "README.md", ROOT / "SECURITY.md"]

FENCED = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"(?<!!)\[[^\]\n]*\]\(([^)\s]+)\)")


def _prose(text):
    """The text without code blocks and code spans, where brackets are no links."""
    return CODE_SPAN.sub("", FENCED.sub("", text))


def _anchors(path):
    """The anchors GitHub gives the headings of a Markdown file."""
    anchors, seen = set(), {}
    for heading in re.findall(r"^#{1,6} +(.+?) *#*$", FENCED.sub("", path.read_text()),
                              re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.replace("`", "").lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


def _links(path):
    return LINK.findall(_prose(path.read_text()))


def test_readme_is_short_and_shows_the_two_commands():
    text = README.read_text()
    assert len(text.splitlines()) < 200
    assert "make run" in text and "make test" in text


def test_readme_links_every_docs_page():
    linked = {target.split("#")[0] for target in _links(README)}
    assert DOCS
    for page in DOCS:
        assert f"docs/{page.name}" in linked, page.name


def test_the_anchor_rule_matches_githubs():
    assert _anchors(ROOT / "docs" / "helpdesk-connectors.md") >= {
        "helpdesk-webhook", "signatures-both-directions", "forum--helpdesk-ticket-events",
        "helpdesk--forum-callbacks", "request-tracker", "connector-health"}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_points_to_an_existing_file_and_heading(page):
    for target in _links(page):
        if re.match(r"[a-z]+:", target):  # https:, mailto:
            continue
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        assert file.exists(), f"{page.name}: {target}"
        if anchor and file.suffix == ".md":
            assert anchor in _anchors(file), f"{page.name}: {target}"
