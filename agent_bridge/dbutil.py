"""The core's insert-or-ignore, under the name this package's modules import."""
from community.dbutil import insert_ignoring_duplicate  # noqa: F401
