"""Escalation windows in wall-clock time or in business hours, with the German
federal holidays as an optional calendar.

Times are naive UTC (as stored); business hours are local time in
``FORUM_DEFAULT_TIMEZONE``, Monday to Friday.
"""
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

MAX_DAYS = 800  # a window can never stretch further (guards against empty calendars)


def easter(year):
    """Easter Sunday (Gregorian calendar; the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's own name
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = (h + l - 7 * m + 114) % 31 + 1
    return date(year, month, day)


@lru_cache(maxsize=64)
def german_holidays(year):
    """The nine public holidays of every German state."""
    sunday = easter(year)
    return frozenset({
        date(year, 1, 1), sunday - timedelta(days=2), sunday + timedelta(days=1),
        date(year, 5, 1), sunday + timedelta(days=39), sunday + timedelta(days=50),
        date(year, 10, 3), date(year, 12, 25), date(year, 12, 26),
    })


HOLIDAY_CALENDARS = {"none": lambda year: frozenset(), "de": german_holidays}


def parse_hours(text):
    """'09:00-17:00' -> (time(9), time(17))."""
    start, end = (part.strip() for part in text.split("-"))
    opens, closes = time.fromisoformat(start), time.fromisoformat(end)
    if closes <= opens:
        raise ValueError(f"business hours must end after they start: {text!r}")
    return opens, closes


def _local(value, zone):
    return value.replace(tzinfo=timezone.utc).astimezone(zone)


def _utc(value):
    return value.astimezone(timezone.utc).replace(tzinfo=None)


def deadline(start, window, *, business_hours=None, holidays="none", tz="UTC"):
    """The moment ``window`` (a timedelta) after ``start`` has passed: in wall-clock
    time, or counting only business hours (``business_hours`` = (opens, closes))
    on working days that are not holidays."""
    if business_hours is None or window <= timedelta(0):
        return start + window
    zone, opens, closes = ZoneInfo(tz), *business_hours
    is_holiday = HOLIDAY_CALENDARS[holidays]
    left = window
    moment = _local(start, zone)
    day = moment.date()
    for _ in range(MAX_DAYS):
        if day.weekday() < 5 and day not in is_holiday(day.year):
            day_open = datetime.combine(day, opens, zone)
            day_close = datetime.combine(day, closes, zone)
            begin = max(moment, day_open)
            if begin < day_close:
                available = day_close - begin
                if left <= available:
                    return _utc(begin + left)
                left -= available
        day += timedelta(days=1)
    return _utc(moment) + window
