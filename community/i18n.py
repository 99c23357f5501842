"""Language and time zone of each request: the user's setting, else Accept-Language."""
from flask import current_app, request
from flask_login import current_user

LANGUAGE_NAMES = {"en": "English", "de": "Deutsch"}


def select_locale():
    user = current_user
    if user and user.is_authenticated and user.locale:
        return user.locale
    if request:
        return request.accept_languages.best_match(current_app.config["LANGUAGES"])
    return None


def select_timezone():
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]
