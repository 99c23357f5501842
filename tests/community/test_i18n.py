"""The bilingual UI: a complete German catalog, and German or English pages, forms, dates and
numbers depending on the member's language setting, else the browser's Accept-Language."""
import os
import re
from datetime import datetime
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask_babel import format_decimal, get_locale

from community import clock
from community.services import threads
from community.extensions import db
from tests.conftest import login

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "community" / "translations"
GERMAN_PO = TRANSLATIONS / "de" / "LC_MESSAGES" / "messages.po"
# Same keywords as `make extract-messages`.
KEYWORDS = dict(DEFAULT_KEYWORDS, _l=None, lazy_gettext=None)
PLACEHOLDER = re.compile(r"%\((\w+)\)([sdif])")
GERMAN_BROWSER = "de-DE,de;q=0.9,en;q=0.5"
ENGLISH_BROWSER = "en-US,en;q=0.9"
# Short German date and time as CLDR writes it, e.g. "23.11.26, 10:05".
GERMAN_SHORT_DATETIME = re.compile(r"^\d{2}\.\d{2}\.\d{2}, \d{2}:\d{2}$")
# 09:05 UTC is 10:05 in Berlin (CET) on that day.
MOMENT = datetime(2026, 11, 23, 9, 5)


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs():
    """`make test` compiles the .mo files first; with plain `pytest` do it here if needed."""
    compiled = False
    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as f:
            catalog = read_po(f, locale=po_path.parent.parent.name)
        tmp_path = mo_path.with_name(f".{mo_path.name}.{os.getpid()}.tmp")
        with tmp_path.open("wb") as f:
            write_mo(f, catalog)
        os.replace(tmp_path, mo_path)  # atomic: parallel workers may compile too
        compiled = True
    if compiled:
        # Flask-Babel keeps loaded catalogs for the whole process; forget any loaded without .mo.
        from community.extensions import babel
        domain = vars(babel).get("domain_instance")  # a cached_property, set on first use
        if domain is not None:
            domain.cache.clear()


def _catalog():
    with GERMAN_PO.open("rb") as f:
        return read_po(f)


def _messages():
    return [message for message in _catalog() if message.id]


def _key(message_id):
    return message_id if isinstance(message_id, str) else message_id[0]


def _placeholders(text):
    return sorted(set(PLACEHOLDER.findall(text)))


# --- The catalog ---------------------------------------------------------------------------------

def test_german_catalog_has_no_untranslated_or_fuzzy_entry():
    catalog = _catalog()
    assert catalog.num_plurals == 2
    assert not catalog.fuzzy, "the header is marked fuzzy"
    untranslated, fuzzy = [], []
    for message in _messages():
        strings = message.string if message.pluralizable else (message.string,)
        if message.pluralizable and len(strings) != catalog.num_plurals:
            untranslated.append(message.id)
        if not all(s and s.strip() for s in strings):
            untranslated.append(message.id)
        if "fuzzy" in message.flags:
            fuzzy.append(message.id)
    assert untranslated == [], "translate these in messages.po"
    assert fuzzy == [], "check these translations, then remove the fuzzy flag"


def test_translations_keep_every_placeholder():
    broken = []
    for message in _messages():
        if message.pluralizable:
            pairs = [(message.id[0], message.string[0]), (message.id[1], message.string[1])]
        else:
            pairs = [(message.id, message.string)]
        for source, translation in pairs:
            if _placeholders(source) != _placeholders(translation):
                broken.append((source, translation))
    assert broken == []


def test_markup_in_translations_matches_the_source():
    """Links inside a sentence ({% trans %} blocks) keep their tags."""
    broken = []
    for message in _messages():
        if message.pluralizable:
            continue
        tags = sorted(re.findall(r"</?\w+", message.id))
        if tags != sorted(re.findall(r"</?\w+", message.string)):
            broken.append((message.id, message.string))
    assert broken == []


def test_every_string_in_the_code_and_templates_is_in_the_catalog():
    """Strings added to the code need `make extract-messages` and a German translation."""
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    in_code = {_key(message) for _, _, message, _, _ in
               extract_from_dir(str(ROOT), method_map, options_map, keywords=KEYWORDS)}
    in_catalog = {_key(message.id) for message in _messages()}
    assert sorted(in_code - in_catalog) == []


# --- Pages ---------------------------------------------------------------------------------------

@pytest.fixture
def german(testapp):
    """The test browser, set to German (every request sends Accept-Language: de-DE)."""
    testapp.extra_environ["HTTP_ACCEPT_LANGUAGE"] = GERMAN_BROWSER
    return testapp


@pytest.fixture
def english(testapp):
    testapp.extra_environ["HTTP_ACCEPT_LANGUAGE"] = ENGLISH_BROWSER
    return testapp


@pytest.fixture
def forum(make_user, make_category, make_thread, make_reply):
    """A category with a solved question (one helpful answer) and an unanswered one."""
    clock.freeze(MOMENT)
    category = make_category(name="Mobilfunk", description="Tarife, SIM-Karten, Roaming")
    asker = make_user(name="Anna Asker")
    thread = make_thread(author=asker, category=category, title="Wie aktiviere ich meine eSIM?",
                         tags=("esim",))
    answer = make_reply(thread, body="In der App unter Vertrag und eSIM.")
    threads.toggle_helpful(make_user(), answer)
    threads.accept_answer(asker, answer)
    make_thread(category=category, title="Roaming in der Schweiz teuer?")
    db.session.commit()
    return {"category": category, "thread": thread, "asker": asker}


def _url(thread):
    return f"/t/{thread.id}-{thread.slug}"


def _assert_german(page, present, absent=()):
    assert '<html lang="de">' in page.text
    for text in present:
        assert text in page.text, f"{text!r} missing"
    for text in absent:
        assert text not in page.text, f"English {text!r} on a German page"


def test_home_page_in_german(german, forum):
    page = german.get("/")
    _assert_german(page, ["Wie können wir helfen?", "Frage stellen", "Anmelden", "Registrieren",
                          "Kategorien", "Neueste Fragen", "2 Fragen", "1 gelöst",
                          "Gelöst", "Unbeantwortet", "Zuletzt:", "Ungelöst"],
                   ["How can we help?", "Ask a question", "Log in", "Register", "Categories",
                    "Recent questions", "Solved", "Unanswered", "Unsolved"])


def test_category_page_in_german(german, forum):
    page = german.get(f"/c/{forum['category'].slug}")
    _assert_german(page, ["In dieser Kategorie fragen", "Alle", "Unbeantwortet", "Ungelöst",
                          "Gelöst", "Sortieren nach", "Letzte Aktivität", "Neueste",
                          "Am hilfreichsten", "2 Fragen", "Startseite",
                          "Atom-Feed dieser Kategorie"],
                   ["Ask in this category", "Unsolved", "Sort by", "Latest activity",
                    "2 questions"])
    page = german.get(f"/c/{forum['category'].slug}?filter=solved")
    assert "1 Frage" in page.text


def test_thread_page_in_german(german, forum):
    page = german.get(_url(forum["thread"]))
    _assert_german(page, ["Akzeptierte Antwort", "Akzeptiert von Anna Asker", "1 Antwort",
                          "1 Person fand das hilfreich", "Ihre Antwort", "Gelöst",
                          "Melden Sie sich an</a> oder",
                          "registrieren Sie sich</a>, um zu antworten."],
                   ["Accepted answer", "1 answer", "found this helpful", "Your answer",
                    "to answer."])


def test_thread_page_for_a_german_member(german, forum, make_user):
    login(german, make_user())
    page = german.get(_url(forum["thread"]))
    _assert_german(page, ["Antwort veröffentlichen", "Vorschau", "Hilfreich", "Abmelden",
                          "Einstellungen"],
                   ["Post answer", "Preview", "Log out", "Settings"])
    # An answer that is too short: the error comes back in German.
    form = page.forms["reply-form"]
    form["body"] = "Ok"
    page = form.submit(name="submit", expect_errors=True)
    assert page.status_int == 422
    assert "Bitte schreiben Sie mindestens" in page.text


def test_ask_page_in_german(german, forum, make_user):
    login(german, make_user())
    page = german.get("/ask")
    _assert_german(page, ["Frage stellen", "Tipp:", "Kategorie", "Ihre Frage",
                          "In einem Satz: Was möchten Sie wissen?", "Schlagwörter",
                          "Bis zu 5, durch Kommas getrennt.", "Frage veröffentlichen", "Vorschau",
                          "Markdown funktioniert"],
                   ["Ask a question", "Your question", "Post question", "Up to 5"])


def test_login_page_and_login_in_german(german, make_user):
    user = make_user()
    page = german.get("/login")
    _assert_german(page, ["Anmelden", "E-Mail-Adresse", "Passwort", "Angemeldet bleiben",
                          "Neu hier?", "Konto erstellen"],
                   ["E-mail address", "Keep me logged in", "New here?"])
    form = page.forms["login-form"]
    form["email"], form["password"] = user.email, "not the password"
    page = form.submit(expect_errors=True)
    assert "E-Mail-Adresse oder Passwort ist falsch." in page.text
    page = login(german, user)
    assert "Sie sind angemeldet." in page.text


def test_login_required_message_in_german(german):
    page = german.get("/settings").follow()
    assert "Bitte melden Sie sich an, um fortzufahren." in page.text


def test_register_page_and_form_errors_in_german(german, make_user):
    make_user(email="vergeben@example.com")
    page = german.get("/register")
    _assert_german(page, ["Erstellen Sie Ihr Konto", "E-Mail-Adresse", "Anzeigename", "Passwort",
                          "Mindestens 10 Zeichen.", "Konto erstellen", "Schon registriert?"],
                   ["Create your account", "Display name", "At least 10 characters."])
    form = page.forms["register-form"]
    form["email"], form["name"], form["password"] = "vergeben@example.com", "Karl", "kurz"
    page = form.submit(expect_errors=True)
    assert page.status_int == 422
    _assert_german(page, ["Es gibt bereits ein Konto mit dieser E-Mail-Adresse.",
                          "Verwenden Sie mindestens 10 Zeichen."],
                   ["already exists", "Use at least"])
    form = page.forms["register-form"]
    form["email"], form["name"], form["password"] = "keine-adresse", "Karl", "passwort123"
    page = form.submit(expect_errors=True)
    _assert_german(page, ["Bitte geben Sie eine gültige E-Mail-Adresse ein.",
                          "Dieses Passwort ist zu leicht zu erraten."])
    # WTForms' own messages come in German too (Flask-WTF's translations).
    form = page.forms["register-form"]
    form["email"], form["name"], form["password"] = "", "", ""
    page = form.submit(expect_errors=True)
    _assert_german(page, ["Dieses Feld wird benötigt."], ["This field is required."])


def test_registration_from_a_german_browser_welcomes_in_german(german):
    form = german.get("/register").forms["register-form"]
    form["email"], form["name"] = "neu@example.com", "Neue Kundin"
    form["password"] = "ein gutes Passwort"
    page = form.submit().follow()
    _assert_german(page, ["Willkommen, Neue Kundin! Ihr Konto ist eingerichtet.", "Abmelden"])


def test_settings_page_in_german(german, make_user):
    login(german, make_user())
    page = german.get("/settings")
    _assert_german(page, ["Einstellungen", "Sprache", "Wie in meinem Browser eingestellt",
                          "Sprache speichern", "Aktuelles Passwort", "Neues Passwort",
                          "Passwort ändern", "API-Tokens", "Name des Tokens", "Token erstellen"],
                   ["Settings", "Save language", "Change password", "API tokens"])
    form = page.forms["token-form"]
    form["tok-name"] = "Meine App"
    page = form.submit()
    assert "Ihr neuer Token „Meine App“" in page.text


def test_error_pages_in_german(german):
    page = german.get("/t/999999-gibt-es-nicht", status=404)
    assert '<html lang="de">' in page.text
    assert "gibt es nicht" in page.text and "Zurück zur Startseite" in page.text


# --- Whose language wins -------------------------------------------------------------------------

def test_english_setting_beats_a_german_browser(german, forum, make_user):
    login(german, make_user(locale="en"))
    for path in ("/", _url(forum["thread"]), "/ask", "/settings"):
        page = german.get(path)
        assert '<html lang="en">' in page.text, path
        assert "Ask a question" in page.text and "Log out" in page.text, path
        assert "Frage stellen" not in page.text and "Abmelden" not in page.text, path


def test_german_setting_beats_an_english_browser(english, forum, make_user):
    login(english, make_user(locale="de"))
    for path in ("/", _url(forum["thread"]), "/ask", "/settings"):
        page = english.get(path)
        assert '<html lang="de">' in page.text, path
        assert "Frage stellen" in page.text and "Abmelden" in page.text, path
        assert "Ask a question" not in page.text and "Log out" not in page.text, path


def test_changing_the_language_setting(english, make_user):
    login(english, make_user())
    assert '<html lang="en">' in english.get("/").text
    form = english.get("/settings").forms["language-form"]
    form["lang-locale"] = "de"
    page = form.submit().follow()
    _assert_german(page, ["Einstellungen", "Sprache speichern"], ["Save language"])
    form = page.forms["language-form"]
    form["lang-locale"] = ""  # back to "as my browser says"
    page = form.submit().follow()
    assert '<html lang="en">' in page.text and "Save language" in page.text


def test_an_english_browser_sees_english(english, forum):
    page = english.get("/")
    assert '<html lang="en">' in page.text
    assert "How can we help?" in page.text and "Wie können wir helfen?" not in page.text


# --- Dates and numbers ---------------------------------------------------------------------------

def _time_texts(page):
    return [t.get_text(strip=True) for t in page.html.select("time")]


def test_dates_are_german_on_german_pages(testapp, forum):
    url = _url(forum["thread"])
    times = _time_texts(testapp.get(url, headers={"Accept-Language": GERMAN_BROWSER}))
    assert times and all(GERMAN_SHORT_DATETIME.match(t) for t in times), times
    assert "23.11.26, 10:05" in times  # in Berlin time
    times = _time_texts(testapp.get(url, headers={"Accept-Language": ENGLISH_BROWSER}))
    assert times and not any(GERMAN_SHORT_DATETIME.match(t) for t in times), times
    assert any(t.startswith("11/23/26") for t in times), times


def test_month_names_are_german(german, forum):
    asker = forum["asker"]
    page = german.get(f"/u/{asker.id}").maybe_follow()
    assert "Mitglied seit 23. November 2026" in page.text
    assert "Member since" not in page.text


def test_numbers_are_localized(app):
    # A fresh app context each time: Flask-Babel remembers the locale in ``g``.
    with app.app_context(), app.test_request_context(
            "/", headers={"Accept-Language": GERMAN_BROWSER}):
        assert str(get_locale()) == "de"
        assert format_decimal(1234) == "1.234"
        assert format_decimal(1234.5) == "1.234,5"
    with app.app_context(), app.test_request_context(
            "/", headers={"Accept-Language": ENGLISH_BROWSER}):
        assert str(get_locale()) == "en"
        assert format_decimal(1234) == "1,234"

