"""The one clock of the application.

Everything reads the time through ``now()``: naive datetimes in UTC, as stored in
the database. Tests move time with ``travel()`` instead of sleeping.
"""
from datetime import datetime, timedelta, timezone

_offset = timedelta(0)
_frozen = None


def now():
    if _frozen is not None:
        return _frozen
    return datetime.now(timezone.utc).replace(tzinfo=None) + _offset


def travel(delta):
    """Move the clock forward (or back) by ``delta``."""
    global _offset, _frozen
    if _frozen is not None:
        _frozen = _frozen + delta
    else:
        _offset += delta


def freeze(moment=None):
    """Stop the clock at ``moment`` (default: now)."""
    global _frozen
    _frozen = moment or now()


def reset():
    global _offset, _frozen
    _offset = timedelta(0)
    _frozen = None
