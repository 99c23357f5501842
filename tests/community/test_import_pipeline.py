"""The importer renders the next batch while it writes this one (Renderer.prefetch,
community/importing/rendering.py): what comes out is what the renderer makes, each text
is rendered once, and writing a batch never waits for the batch after it."""
import json

from sqlalchemy import select

from community import markup
from community.extensions import db
from community.importing.rendering import Renderer
from community.models import Post


class LazyMapper:
    """A mapper whose results come only when read, as a process pool's ``imap``; it
    records what it was given and what was read."""

    def __init__(self):
        self.given, self.read = [], []

    def __call__(self, fn, texts):
        texts = list(texts)
        self.given.append(texts)

        def results():
            for text in texts:
                self.read.append(text)
                yield fn(text)
        return results()


FIRST = ["Plain words here.", "**Bold** words", "A [link](https://example.com)", "Hi @Anna"]
SECOND = ["- a list", "**Bold** words", "Second plain text."]


def test_a_prefetched_batch_is_rendered_once_and_not_waited_for_before_its_turn(app):
    mapper = LazyMapper()
    renderer = Renderer(mapper)
    renderer.prefetch(FIRST)
    renderer.prefetch(SECOND)
    # Not plain, no mention: what the pool renders, started before the batches are written.
    assert mapper.given == [["**Bold** words", "A [link](https://example.com)"],
                            ["- a list", "**Bold** words"]]
    first = renderer.render_all(FIRST)
    assert first == {text: markup.render(text) for text in FIRST}
    assert "- a list" not in mapper.read           # the second batch is not waited for
    second = renderer.render_all(SECOND)
    assert second == {text: markup.render(text) for text in SECOND}
    assert len(mapper.given) == 2                  # nothing rendered again by the mapper


def test_a_text_that_was_not_prefetched_is_rendered_when_its_batch_is_written(app):
    mapper = LazyMapper()
    renderer = Renderer(mapper)
    renderer.prefetch(["**one**"])
    html = renderer.render_all(["**one**", "**two**"])
    assert html == {"**one**": markup.render("**one**"), "**two**": markup.render("**two**")}
    assert mapper.given == [["**one**"], ["**two**"]]


def test_batches_read_ahead_are_written_in_order_with_their_own_html(app, tmp_path):
    lines = [{"external_id": f"old-{n}", "category": "Allgemein", "title": f"Frage {n}",
              "body": f"**Frage** Nummer {n}" if n % 2 else f"Frage Nummer {n}.",
              "author": {"name": f"Person {n % 3}"},
              "replies": [{"body": f"- Antwort {n}.{r}", "author": {"name": "Helfer"}}
                          for r in range(n % 4)]}
             for n in range(11)]
    source = tmp_path / "old.jsonl"
    source.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import", "threads", str(source),
                                                "--batch", "3", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "Imported 11 threads (15 replies); 0 already there" in result.output
    db.session.expire_all()
    posts = list(db.session.scalars(select(Post)))
    assert len(posts) == 26
    assert all(post.body_html == markup.render(post.body) for post in posts)
