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

A call writes all its threads together, whether one thread of a new reply or 500 of an
import's batch (the same code for both): the words of each document are analysed
once each (``pg_terms.analyse_words``), the compound vocabulary is one query for the
whole call and each word is split once, and the documents, the changed terms and the
totals are three statements, each row set passed as arrays (``unnest``), so a
statement's cost does not grow with compiling parameters.

``reindex`` rewrites every document in batches of their own transactions (searches
and writers go on meanwhile), removes the documents of threads no longer visible,
then counts the statistics afresh from the documents in one transaction.
"""
import json
from collections import defaultdict
from contextlib import contextmanager

from sqlalchemy import Text, cast, delete, func, select, text
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
    new = {thread_id: (doc, pg_terms.analyse_words(doc))
           for thread_id, doc in docs.items() if doc is not None}
    if index.compounds_enabled():
        if known is None:   # as the Whoosh index splits them (index.apply)
            known = _vocabulary(session, new.values())
            for _, terms in new.values():
                known |= terms.own
        split = pg_terms.Splitter(known.__contains__)
        for _, terms in new.values():
            pg_terms.add_parts(terms, split)
    _write_documents(session, new)
    gone = [i for i in ids if i not in new and i in old]
    if gone:
        session.execute(delete(D).where(D.c.thread_id.in_(gone)))
    if statistics:
        _count(session, old, new)


# The rows of a batch go in as one array per column (``INSERT … SELECT FROM unnest``):
# one statement of constant text per table, whatever the number of rows (no 65,535
# parameter limit, nothing to compile again for each batch size). ``unnest`` yields
# the rows in the arrays' order, which keeps the statistics' upserts in term order.
DOCUMENT_COLUMNS = (("thread_id", "integer"), ("category_id", "integer"),
                    ("solved", "boolean"), ("created_at", "timestamp"),
                    ("boost", "double precision"),
                    *((name, "integer") for name in LENGTHS),
                    ("document", "tsvector"), ("excerpts", "json"),
                    ("fingerprint", "varchar"))


def _unnest_insert(table, columns, conflict, update):
    """``INSERT INTO table (columns) SELECT FROM unnest(one array per column) ON
    CONFLICT (conflict) DO UPDATE SET update`` (``update``: column → SQL expression)."""
    names = ", ".join(name for name, _ in columns)
    arrays = ", ".join(f"CAST(:{name} AS {kind}[])" for name, kind in columns)
    sets = ", ".join(f"{name} = {expression}" for name, expression in update.items())
    return text(f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays}) "
                f"ON CONFLICT ({conflict}) DO UPDATE SET {sets}")


WRITE_DOCUMENTS = _unnest_insert(
    "search_documents", DOCUMENT_COLUMNS, "thread_id",
    {name: f"excluded.{name}" for name, _ in DOCUMENT_COLUMNS if name != "thread_id"})
ADD_TERMS = _unnest_insert(
    "search_terms", [("term", "varchar"), *((f, "integer") for f in FIELDS)], "term",
    {f: f"search_terms.{f} + excluded.{f}" for f in FIELDS})
ADD_TOTALS = _unnest_insert(
    "search_totals", [("shard", "integer"), ("documents", "integer"),
                      *((f, "bigint") for f in FIELDS)], "shard",
    {name: f"search_totals.{name} + excluded.{name}" for name in ("documents", *FIELDS)})


def _write_documents(session, new):
    if not new:
        return
    columns = {name: [] for name, _ in DOCUMENT_COLUMNS}
    for thread_id, (doc, terms) in sorted(new.items()):
        columns["thread_id"].append(thread_id)
        columns["category_id"].append(doc.category_id)
        columns["solved"].append(doc.solved)
        columns["created_at"].append(doc.created_at)
        columns["boost"].append(doc.boost)
        for f, n in terms.lengths().items():
            columns[f"{f}_length"].append(n)
        columns["document"].append(terms.literal())
        columns["excerpts"].append(json.dumps({"body_text": doc.body_excerpt,
                                               "answers_text": doc.answer_excerpts}))
        columns["fingerprint"].append(doc.fingerprint)
    session.execute(WRITE_DOCUMENTS, columns)


def _count(session, old, new):
    """Change the statistics by what the new documents add and the old ones took: one
    upsert of every term the batch changes, one of the shards of the totals."""
    terms = defaultdict(lambda: [0] * len(FIELDS))
    totals = defaultdict(lambda: [0] * (1 + len(FIELDS)))
    for thread_id, row in old.items():
        shard = totals[thread_id % TOTAL_SHARDS]
        shard[0] -= 1
        for i, name in enumerate(LENGTHS):
            shard[1 + i] -= row._mapping[name]
        for field, present in pg_terms.presence(row.literal).items():
            column = FIELDS.index(field)
            for term in present:
                terms[term][column] -= 1
    for thread_id, (_, analysed) in new.items():
        shard = totals[thread_id % TOTAL_SHARDS]
        shard[0] += 1
        for i, n in enumerate(analysed.lengths().values()):
            shard[1 + i] += n
        for column, field in enumerate(FIELDS):
            for term in analysed.frequencies[field]:
                terms[term][column] += 1
    changed = sorted((term, counts) for term, counts in terms.items() if any(counts))
    if changed:
        session.execute(ADD_TERMS, _arrays(("term", *FIELDS),
                                           [(term, *counts) for term, counts in changed]))
    emptied = [term for term, counts in changed if min(counts) < 0]
    if emptied:
        session.execute(delete(T).where(T.c.term.in_(emptied),
                                        *(T.c[f] <= 0 for f in FIELDS)))
    shards = [(shard, *counts) for shard, counts in sorted(totals.items()) if any(counts)]
    if shards:
        session.execute(ADD_TOTALS, _arrays(("shard", "documents", *FIELDS), shards))


def _arrays(names, rows):
    """``{name: [value of each row]}``: the parameters of an ``_unnest_insert``."""
    return {name: list(values) for name, values in zip(names, zip(*rows))}


def _vocabulary(session, analysed):
    """German stems the compounds of the ``(doc, Terms)`` may be split into that
    titles or questions of the index use (one query for all the candidates)."""
    words = set().union(*(terms.folded for _, terms in analysed))
    asked = set().union(*map(pg_terms.candidates, words))
    if not asked:
        return set()
    return set(session.scalars(VOCABULARY, {"terms": sorted(asked)}))


VOCABULARY = text("SELECT term FROM search_terms WHERE term = ANY(CAST(:terms AS varchar[])) "
                  "AND (title > 0 OR body > 0)")


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
