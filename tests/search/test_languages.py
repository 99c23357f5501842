"""German and English: stemming, umlauts and ß, accents, typos, compound words."""
import pytest

from .helpers import marked, titles


@pytest.fixture
def community(make_category, make_thread, worker):
    category = make_category()
    for title, body in (
            ("Kündigung zum Monatsende", "Wie kündige ich meinen Vertrag fristgerecht?"),
            ("Neue Rechnungsadresse eintragen", "Ich bin umgezogen und brauche eine andere "
                                                "Adresse auf der Rechnung."),
            ("Umzug in eine neue Straße", "Mein Anschluss soll mit in die neue Wohnung."),
            ("Cancelling my contract", "How do I cancel before the renewal date?"),
            ("Café hotspot does not connect", "The hotspot at the café drops after a minute."),
            ("Router keeps rebooting", "My router rebooted five times today."),
    ):
        make_thread(category=category, title=title, body=body)
    worker()


@pytest.mark.parametrize("query", ["Kündigung", "kuendigung", "KUENDIGUNG", "kündigen",
                                   "Kundigung"])
def test_umlaut_spellings_and_word_forms_find_the_german_thread(community, search, query):
    assert titles(search(query)) == ["Kündigung zum Monatsende"]


@pytest.mark.parametrize("query", ["Straße", "strasse", "STRASSE"])
def test_sharp_s_and_ss_match(community, search, query):
    assert titles(search(query)) == ["Umzug in eine neue Straße"]


def test_english_stemming_and_accent_folding(community, search):
    assert titles(search("cancellation contracts")) == ["Cancelling my contract"]
    assert titles(search("reboot")) == ["Router keeps rebooting"]
    page = search("cafe")
    assert titles(page) == ["Café hotspot does not connect"]
    assert marked(page)[0] == "Café"


def test_a_typo_finds_what_no_exact_word_matches(community, search):
    page = search("Kündigugn")
    assert titles(page) == ["Kündigung zum Monatsende"]
    assert "including similar spellings" in page.text
    assert titles(search("rebooting routr")) == ["Router keeps rebooting"]


def test_a_compound_is_found_by_its_parts_and_the_parts_by_the_compound(community, search):
    # "Rechnung" is a word of its own in no title: only the split finds the compound.
    assert "Neue Rechnungsadresse eintragen" in titles(search("Rechnung"))
    assert titles(search("Rechnungsadresse")) == ["Neue Rechnungsadresse eintragen"]
    assert "Neue Rechnungsadresse eintragen" in titles(search("Adresse"))


@pytest.mark.parametrize("compounds, found", [
    (True, ["Rechnung geht an die alte Adresse", "Neue Rechnungsadresse eintragen"]),
    (False, ["Rechnung geht an die alte Adresse"])])
def test_compound_splitting_can_be_switched_off(make_app, compounds, found):
    from webtest import TestApp

    from community import outbox
    from community.services import accounts, categories, threads
    from community.extensions import db
    from tests.conftest import isolated
    app = make_app(SEARCH_COMPOUNDS=compounds)
    with app.app_context():
        user = accounts.create_user("c@example.com", "Carla Compound", "correct horse battery")
        category = categories.create_category("Billing", "")
        threads.create_thread(user, category, "Rechnung geht an die alte Adresse",
                              "Diesen Monat kam alles zweimal.")
        threads.create_thread(user, category, "Neue Rechnungsadresse eintragen",
                              "Bitte ändern Sie meine Anschrift.")
        db.session.commit()
        outbox.drain()
        page = TestApp(isolated(app)).get("/search", {"q": "Rechnung"})
        assert titles(page) == found
