"""The PostgreSQL backend: the index is three tables of the database (pg_index.py),
written in the transaction of each change, searched with a GIN index and ranked by
the project's BM25F (pg_search.py). Every web and worker host reads the same index
the moment a change commits; there is nothing on disk and no index lag."""
from contextlib import contextmanager

from sqlalchemy.exc import DBAPIError

from community.extensions import db

from ..services import documents
from . import pg_index
from .backend import Backend
from .pg_search import PgSearcher


class PostgresBackend(Backend):
    name = "postgres"
    synchronous = True

    def apply(self, thread_ids, session=None):
        pg_index.apply(thread_ids, session)

    def delete(self, thread_ids):
        pg_index.apply(thread_ids, remove=True)

    @contextmanager
    def searcher(self):
        yield PgSearcher()

    def reindex(self, progress=None, processes=1):
        return pg_index.reindex(progress=progress)

    def check(self):
        return pg_index.check()

    def problem(self):
        if db.engine.dialect.name != "postgresql":
            return "FORUM_SEARCH_BACKEND=postgres needs a PostgreSQL database"
        try:
            empty = pg_index.is_empty()
        except DBAPIError:
            db.session.rollback()
            return ("the search tables are missing: run `flask --app community db upgrade`")
        if empty and documents.visible_thread_count():
            return "the search index is empty: run `flask --app community search reindex`"
        return None

    def is_empty(self):
        return pg_index.is_empty()

    def location(self):
        return "the database (search_documents)"
