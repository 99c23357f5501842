"""Search settings: ``FORUM_SEARCH_*`` environment variables, else these defaults.

Applied by ``init_app``; explicit ``create_app`` overrides win. They appear in the
one settings table in docs/operations.md (``flask --app community config docs``).
"""
from community.config import Setting, apply_feature_settings


def _backend(value):
    value = value.strip().lower()
    if value not in ("auto", "whoosh", "postgres"):
        raise ValueError("use auto, whoosh or postgres")
    return value


SETTINGS = [
    Setting("SEARCH_BACKEND", "auto",
            "Where the search index lives: `whoosh` (files in the instance folder, updated "
            "by the worker), `postgres` (tables in the database, updated with each change; "
            "for several hosts), or `auto`: `postgres` on PostgreSQL, else `whoosh`. See "
            "docs/search.md.", kind=_backend),
    Setting("SEARCH_PER_PAGE", 20, "Results per page of the search page and the search API."),
    Setting("SEARCH_SIMILAR_LIMIT", 5,
            "Similar questions shown while asking (the API's `limit` may ask for up to 20)."),
    Setting("SEARCH_COMPOUNDS", True,
            "Split German compound words into known parts when indexing and searching "
            "(\"Rechnung\" finds \"Rechnungsadresse\"); see docs/search.md."),
    Setting("SEARCH_POSTINGS_CACHE", 2_000_000,
            "Decoded postings each web process (each thread of a threaded server) keeps "
            "between searches (about 8 bytes each; 0 switches the cache off). Common words "
            "are then not decoded again for every search; see bench/RESULTS.md."),
    Setting("SEARCH_DEFLECTION_HOURS", 24,
            "Hours after a member opened a suggested thread without asking before that "
            "counts as a deflection (a question answered without being asked)."),
]


def apply(app, environ=None):
    apply_feature_settings(app, SETTINGS, environ)
