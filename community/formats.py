"""Dates and numbers in the reader's language, for the templates.

Babel's ``format_datetime`` and ``format_decimal`` look up the locale and its
patterns and parse them on every call; a list page formats a hundred dates and
numbers. Here each locale's patterns are parsed once, and the text of a value is
kept (a page shows the same posts' dates again and again). The output is Babel's,
character for character (``tests/community/test_formats.py``).
"""
from datetime import UTC
from functools import lru_cache

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask_babel import get_locale, get_timezone

NAMED = ("full", "long", "medium", "short")


@lru_cache(maxsize=64)
def _locale(identifier):
    return Locale.parse(identifier)


@lru_cache(maxsize=256)
def _datetime_patterns(locale, fmt):
    """(joining pattern, time pattern, date pattern) of a named format, or
    (None, pattern, None) of a pattern of its own."""
    if fmt not in NAMED:
        return None, babel_dates.parse_pattern(fmt), None
    return (babel_dates.get_datetime_format(fmt, locale=locale).replace("'", ""),
            babel_dates.parse_pattern(babel_dates.get_time_format(fmt, locale=locale)),
            babel_dates.parse_pattern(babel_dates.get_date_format(fmt, locale=locale)))


@lru_cache(maxsize=16384)
def format_datetime(value, fmt, locale, tzinfo):
    """``babel.dates.format_datetime(value, fmt, tzinfo=tzinfo, locale=locale)`` of a
    naive UTC ``value`` (how the database keeps time)."""
    local = value.replace(tzinfo=UTC).astimezone(tzinfo)
    if hasattr(tzinfo, "normalize"):  # pytz
        local = tzinfo.normalize(local)
    joined, time_pattern, date_pattern = _datetime_patterns(locale, fmt)
    if joined is None:
        return time_pattern.apply(local, locale)
    return (joined.replace("{0}", time_pattern.apply(local.timetz(), locale,
                                                     reference_date=local.date()))
            .replace("{1}", date_pattern.apply(local.date(), locale)))


@lru_cache(maxsize=64)
def _decimal_pattern(locale):
    return babel_numbers.parse_pattern(locale.decimal_formats[None])


@lru_cache(maxsize=4096)
def _decimal(value, locale):
    return _decimal_pattern(locale).apply(value, locale)


def reader_locale():
    """This request's Babel locale (Flask-Babel keeps it for the request)."""
    locale = get_locale()
    return locale if locale is not None else _locale("en")


def dt(value, fmt="medium"):
    """Localized date and time of a UTC ``value``, in the reader's time zone."""
    if not value:
        return ""
    return format_datetime(value, fmt, reader_locale(), get_timezone())


def number(value):
    """``flask_babel.format_decimal(value)``: grouped digits in the reader's locale."""
    if isinstance(value, int) and not isinstance(value, bool):
        return _decimal(value, reader_locale())
    return babel_numbers.format_decimal(value, locale=reader_locale())
