"""The importer's shortcut for plain text gives exactly what the services' renderer gives
(community/importing/rendering.py), on real forum text and on generated text."""
from hypothesis import given, settings
from hypothesis import strategies as st

from community import markup
from community.demo import content
from community.importing.rendering import Renderer, is_plain, plain_html
from tests.community import semeval_jsonl


def corpus():
    texts = []
    for split in ("dev", "train"):
        for line in semeval_jsonl.threads(split):
            texts += [line["title"], line["body"]] + [r["body"] for r in line["replies"]]
    for thread in content.THREADS:
        texts += [thread["title"], thread["body"]] + [r["body"] for r in thread.get("replies", ())]
    return texts


def test_plain_forum_text_renders_as_the_renderer_renders_it(app):
    texts = corpus()
    plain = [text for text in texts if is_plain(text)]
    assert len(plain) > 10_000          # most real posts take the shortcut
    assert [t for t in plain if plain_html(t) != markup.render(t)] == []
    assert not is_plain("**bold**") and not is_plain("see example.com")
    assert not is_plain("- a list") and not is_plain("1. first") and not is_plain("@Anna hi")


LINE = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs", "S")),
               max_size=60)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINE, max_size=6), st.lists(st.sampled_from(["\n", "\n\n", "\n\n\n"]),
                                            max_size=6))
def test_generated_plain_text_renders_as_the_renderer_renders_it(lines, breaks):
    text = "".join(line + brk for line, brk in zip(lines, breaks + [""] * len(lines)))
    text = text.strip()
    if is_plain(text):
        assert plain_html(text) == markup.render(text)


def test_the_renderer_renders_each_text_once_and_the_rest_by_the_mapper(app):
    seen = []

    def mapper(fn, texts):
        seen.extend(texts)
        return map(fn, texts)
    renderer = Renderer(mapper)
    texts = ["Plain words here.", "**Bold** words", "Plain words here.", "Hi @Anna"]
    html = renderer.render_all(texts)
    assert html == {text: markup.render(text) for text in texts}
    assert seen == ["**Bold** words"]     # plain: the shortcut; "@": rendered in the app
