"""Writing the PostgreSQL backend's index: ``search_documents`` (a row per visible
thread) and the statistics ranking needs (``search_terms``: documents per field
holding each term; ``search_totals``: documents and summed field lengths).

``apply`` runs inside the transaction of the change (services/updates.py calls it
just before the commit), so the index and the threads commit together and every
host reads the same index at once. Under concurrent writers:

- a transaction-level advisory lock per thread is taken before the thread is read,
  so two transactions changing one thread write its document one after the other,
  the second from what the first committed;
- the statistics change by the difference between the old and the new document,
  as SQL increments (``ON CONFLICT … DO UPDATE SET n = n + excluded.n``) in one
  order (by term, then shard), so concurrent writers neither lose counts nor
  deadlock; the totals are spread over ``TOTAL_SHARDS`` rows by thread id.

``reindex`` rewrites every document in batches of their own transactions (searches
and writers go on meanwhile), removes the documents of threads no longer visible,
then counts the statistics afresh from the documents in one transaction.
"""
from collections import defaultdict
from contextlib import contextmanager

from sqlalchemy import Text, cast, delete, func, select, text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from community.errors import Conflict
from community.extensions import db
from community.models import Thread

from ..models import TOTAL_SHARDS, SearchDocument, SearchTerm, SearchTotal
from ..services import documents
from . import index, pg_terms
from .backend import CheckReport

# The first key of this backend's advisory locks (the second is a thread id, or 0
# for the one rebuild at a time). Any fixed number, the same on every host.
LOCK_SPACE = 730_013
BATCH = 500
ROWS_PER_STATEMENT = 5000     # PostgreSQL takes at most 65,535 parameters per statement
FIELDS = pg_terms.FIELDS
LENGTHS = [f"{f}_length" for f in FIELDS]
D = SearchDocument.__table__
T = SearchTerm.__table__
S = SearchTotal.__table__


def apply(thread_ids, session=None, known=None, statistics=True, remove=False):
    """Write these threads as ``session``'s transaction sees them (a thread not
    visible leaves the index; with ``remove``, they all leave it). ``known`` (a set
    of German stems) is the compound vocabulary; by default the index's titles and
    questions plus each thread's own."""
    session = session or db.session
    ids = sorted({int(i) for i in thread_ids if i is not None})
    if not ids:
        return
    session.flush()
    session.execute(text("SELECT pg_advisory_xact_lock(:space, id) "
                         "FROM unnest(CAST(:ids AS integer[])) AS id"),
                    {"space": LOCK_SPACE, "ids": ids})
    docs = dict.fromkeys(ids) if remove else documents.load(ids, session, fresh=True)
    old = {row.thread_id: row for row in session.execute(
        select(D.c.thread_id, cast(D.c.document, Text).label("literal"),
               *(D.c[name] for name in LENGTHS)).where(D.c.thread_id.in_(ids)))}
    compounds = index.compounds_enabled()
    if known is None:   # as the Whoosh index splits them (index.apply)
        known = _vocabulary(session, docs.values()) | index.batch_stems(docs.values())
    new = {thread_id: (doc, pg_terms.analyse(doc, known.__contains__, compounds))
           for thread_id, doc in docs.items() if doc is not None}
    _write_documents(session, new)
    gone = [i for i in ids if i not in new and i in old]
    if gone:
        session.execute(delete(D).where(D.c.thread_id.in_(gone)))
    if statistics:
        _count(session, old, new)


def _write_documents(session, new):
    rows = [{
        "thread_id": thread_id, "category_id": doc.category_id, "solved": doc.solved,
        "created_at": doc.created_at, "boost": doc.boost,
        **{f"{f}_length": n for f, n in terms.lengths().items()},
        "document": cast(terms.literal(), TSVECTOR),
        "excerpts": {"body_text": doc.body_excerpt, "answers_text": doc.answer_excerpts},
        "fingerprint": doc.fingerprint} for thread_id, (doc, terms) in sorted(new.items())]
    if not rows:
        return
    for chunk in _chunks(rows, 500):
        statement = pg_insert(D).values(chunk)
        session.execute(statement.on_conflict_do_update(
            index_elements=[D.c.thread_id],
            set_={c.name: statement.excluded[c.name] for c in D.columns if c.name != "thread_id"}))


def _count(session, old, new):
    """Change the statistics by what the new documents add and the old ones took."""
    terms = defaultdict(lambda: [0] * len(FIELDS))
    totals = defaultdict(lambda: [0] * (1 + len(FIELDS)))
    for thread_id, row in old.items():
        shard = totals[thread_id % TOTAL_SHARDS]
        shard[0] -= 1
        for i, name in enumerate(LENGTHS):
            shard[1 + i] -= row._mapping[name]
        for field, present in pg_terms.presence(row.literal).items():
            for term in present:
                terms[term][FIELDS.index(field)] -= 1
    for thread_id, (_, analysed) in new.items():
        shard = totals[thread_id % TOTAL_SHARDS]
        shard[0] += 1
        for i, n in enumerate(analysed.lengths().values()):
            shard[1 + i] += n
        for field, present in analysed.presence().items():
            column = FIELDS.index(field)
            for term in present:
                terms[term][column] += 1
    changed = sorted((term, counts) for term, counts in terms.items() if any(counts))
    for chunk in _chunks(changed, ROWS_PER_STATEMENT):
        _add(session, T, "term", [{"term": term, **dict(zip(FIELDS, counts))}
                                  for term, counts in chunk])
    emptied = [term for term, counts in changed if min(counts) < 0]
    if emptied:
        session.execute(delete(T).where(T.c.term.in_(emptied),
                                        *(T.c[f] <= 0 for f in FIELDS)))
    shards = [{"shard": shard, "documents": counts[0], **dict(zip(FIELDS, counts[1:]))}
              for shard, counts in sorted(totals.items()) if any(counts)]
    if shards:
        _add(session, S, "shard", shards)


def _add(session, table, key, rows):
    """Add the rows' numbers to the existing rows (or insert them), in one statement."""
    statement = pg_insert(table).values(rows)
    session.execute(statement.on_conflict_do_update(
        index_elements=[table.c[key]],
        set_={name: table.c[name] + statement.excluded[name]
              for name in rows[0] if name != key}))


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _vocabulary(session, docs):
    """German stems the compounds of ``docs`` may be split into that titles or
    questions of the index use (one query for all the candidates)."""
    asked = set()
    for doc in docs:
        if doc is not None:
            asked |= pg_terms.compound_candidates(doc)
    if not asked:
        return set()
    return set(session.scalars(select(T.c.term).where(T.c.term.in_(sorted(asked)),
                                                      (T.c.title > 0) | (T.c.body > 0))))


# --- Reading the statistics --------------------------------------------------------------------------

def term_counts(session, terms):
    """``{term: {field: documents}}`` of the given terms (absent terms are left out)."""
    terms = sorted(set(terms))
    if not terms:
        return {}
    return {row.term: {f: row._mapping[f] for f in FIELDS}
            for row in session.execute(select(T).where(T.c.term.in_(terms)))}


def totals(session):
    """``{"documents": n, field: summed length, ...}``."""
    row = session.execute(select(func.coalesce(func.sum(S.c.documents), 0).label("documents"),
                                 *(func.coalesce(func.sum(S.c[f]), 0).label(f)
                                   for f in FIELDS))).one()
    return {name: int(value) for name, value in row._mapping.items()}


# --- Rebuilding and checking ----------------------------------------------------------------------

@contextmanager
def _rebuild_lock():
    """One rebuild at a time in the cluster: a session-level advisory lock on a
    connection of its own (released when it closes, or when the process dies)."""
    with db.engine.connect() as conn:
        taken = conn.scalar(text("SELECT pg_try_advisory_lock(:space, 0)"),
                            {"space": LOCK_SPACE})
        conn.commit()
        if not taken:
            raise Conflict("Another rebuild of the search index is running.")
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:space, 0)"), {"space": LOCK_SPACE})
            conn.commit()


def reindex(progress=None, batch=BATCH):
    """Write every visible thread again, drop the others, count the statistics afresh.
    Returns the number of threads indexed."""
    from .rebuild import compound_vocabulary
    with _rebuild_lock(), Session(db.engine) as session:
        known = compound_vocabulary() if index.compounds_enabled() else set()
        count = 0
        for ids in documents.visible_thread_ids(batch, session):
            apply(ids, session, known=known, statistics=False)
            session.commit()
            count += len(ids)
            session.expunge_all()   # keep memory flat on large communities
            if progress:
                progress(len(ids))
        extra = list(session.scalars(
            select(D.c.thread_id).outerjoin(
                Thread, (Thread.id == D.c.thread_id) & (Thread.visibility == "visible"))
            .where(Thread.id.is_(None))))
        if extra:
            apply(extra, session, known=known, statistics=False)
        recount(session)
        session.commit()
    return count


def recount(session):
    """The statistics counted again from the documents. Writers wait meanwhile (their
    increments would otherwise be counted twice or lost); searches go on."""
    session.execute(text("LOCK TABLE search_terms, search_totals IN EXCLUSIVE MODE"))
    session.execute(delete(T))
    session.execute(delete(S))
    parts = [_counted(field, weight, "word NOT LIKE '=%' AND word NOT LIKE '#%'", "word")
             for field, weight in (("title", "a"), ("body", "b"), ("answers", "c"),
                                   ("parts", "d"))]
    parts.append(_counted("spell", "d", "word LIKE '=%'", "substr(word, 2)"))
    session.execute(text(
        f"INSERT INTO search_terms (term, {', '.join(FIELDS)}) "
        f"SELECT term, {', '.join(f'sum({f})' for f in FIELDS)} "
        f"FROM ({' UNION ALL '.join(parts)}) AS counted GROUP BY term"))
    session.execute(text(
        f"INSERT INTO search_totals (shard, documents, {', '.join(FIELDS)}) "
        f"SELECT thread_id % {TOTAL_SHARDS}, count(*), "
        f"{', '.join(f'sum({f}_length)' for f in FIELDS)} "
        f"FROM search_documents GROUP BY 1"))


def _counted(field, weight, condition, term):
    """Documents per term of one field, from the lexemes with the field's weight."""
    columns = ", ".join(f"ndoc AS {f}" if f == field else f"0 AS {f}" for f in FIELDS)
    return (f"SELECT {term} AS term, {columns} FROM ts_stat("
            f"'SELECT document FROM search_documents', '{weight}') WHERE {condition}")


def check(batch=2000):
    """Compare the documents with the database, thread by thread."""
    with Session(db.engine) as session:
        fingerprints = dict(session.execute(select(D.c.thread_id, D.c.fingerprint)).all())
        return CheckReport.compare(fingerprints, session, batch)


def is_empty(session=None):
    session = session or db.session
    return session.scalar(select(D.c.thread_id).limit(1)) is None
