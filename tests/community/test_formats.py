"""Dates and numbers of the templates: Babel's text, with its patterns parsed once."""
from datetime import datetime, timedelta

import pytest
from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask_babel import get_timezone

from community import formats

MOMENTS = [datetime(2026, 3, 29, 0, 59), datetime(2026, 3, 29, 1, 0),   # summer time starts
           datetime(2026, 10, 25, 0, 30), datetime(2026, 10, 25, 1, 30),  # and ends
           datetime(2026, 12, 31, 23, 59, 59), datetime(2025, 1, 1, 0, 0)]
MOMENTS += [datetime(2024, 2, 29, 12) + timedelta(hours=37 * n, minutes=13 * n) for n in range(40)]


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("fmt", ["short", "medium", "long", "full", "yyyy-MM-dd HH:mm zzz"])
def test_dates_read_as_babel_writes_them(app, language, fmt):
    with app.test_request_context(headers={"Accept-Language": language}):
        tz, locale = get_timezone(), Locale.parse(language)
        for moment in MOMENTS:
            expected = babel_dates.format_datetime(moment.replace(tzinfo=babel_dates.UTC), fmt,
                                                   tzinfo=tz, locale=locale)
            assert formats.format_datetime(moment, fmt, locale, tz) == expected, moment
            assert formats.dt(moment, fmt) == expected


@pytest.mark.parametrize("language", ["en", "de"])
def test_numbers_read_as_babel_writes_them(app, language):
    with app.test_request_context(headers={"Accept-Language": language}):
        for value in (0, 7, 999, 1000, 12345, 6488, -42, 1_234_567, 3.5, 2_000_000_000):
            assert formats.number(value) == babel_numbers.format_decimal(value, locale=language)
