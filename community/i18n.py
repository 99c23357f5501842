"""Language, theme and time zone of each request.

The language is the member's setting, else the visitor's choice (the ``lang``
cookie the language switch sets), else what the browser asks for (Accept-Language).
The theme is the ``theme`` cookie the theme switch sets; without it the page
follows the device (``prefers-color-scheme``).
"""
from flask import current_app, request
from flask_login import current_user

LANGUAGE_NAMES = {"en": "English", "de": "Deutsch"}
LANGUAGE_COOKIE = "lang"
THEMES = ("auto", "light", "dark")
THEME_COOKIE = "theme"
# A year: a choice, not a session.
COOKIE_MAX_AGE = 365 * 24 * 60 * 60


def cookie_locale():
    """The visitor's chosen language, when it is one the site speaks."""
    value = request.cookies.get(LANGUAGE_COOKIE) if request else None
    return value if value in current_app.config["LANGUAGES"] else None


def select_locale():
    user = current_user
    if user and user.is_authenticated and user.locale:
        return user.locale
    if request:
        return cookie_locale() or request.accept_languages.best_match(
            current_app.config["LANGUAGES"])
    return None


def current_theme():
    """``light`` or ``dark`` when the reader chose one, else ``auto``."""
    value = request.cookies.get(THEME_COOKIE) if request else None
    return value if value in THEMES else "auto"


def select_timezone():
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]
