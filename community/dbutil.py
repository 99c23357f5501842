"""Insert-or-ignore that works the same on SQLite and PostgreSQL."""
from sqlalchemy.dialects import postgresql, sqlite

from .extensions import db

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def insert_ignoring_duplicate(model, conflict_columns, values):
    """``INSERT ... ON CONFLICT (conflict_columns) DO NOTHING RETURNING id``.

    Returns the new row's id, or None when a row with the same key exists (also
    one committed by another transaction a moment ago: PostgreSQL waits for it).
    """
    insert = _INSERTS[db.session.get_bind().dialect.name]
    statement = (insert(model).values(**values)
                 .on_conflict_do_nothing(index_elements=conflict_columns)
                 .returning(model.id))
    return db.session.execute(statement).scalar()
