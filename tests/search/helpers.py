"""Reading search pages the way a person reads them."""


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
