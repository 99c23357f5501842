"""Reading search pages the way a person reads them; which backends a test runs with."""
import pytest

from tests.conftest import POSTGRES_URL

BACKENDS = ("whoosh", "postgres") if POSTGRES_URL else ("whoosh",)


def only_backend(name):
    """Run a test with one backend only (skipped when the database does not allow it)."""
    if name in BACKENDS:
        return pytest.mark.parametrize("backend", [name])
    return pytest.mark.parametrize("backend", [pytest.param(name, marks=pytest.mark.skip(
        reason="the PostgreSQL backend needs FORUM_TEST_DATABASE_URL"))])


def titles(page):
    """The result titles of a search page, in order."""
    return [" ".join(a.get_text().split())
            for a in page.html.select(".search-result .thread-title")]


def marked(page):
    """The words highlighted in titles and snippets."""
    return [m.get_text() for m in page.html.select(".search-result mark")]


def snippets(page):
    return [" ".join(p.get_text().split()) for p in page.html.select(".search-result .snippet")]


def result_ids(response):
    return [r["thread_id"] for r in response.json["results"]]
