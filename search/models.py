"""Deflection bookkeeping: which suggested threads a member opened while asking, and
the counts per day that the service dashboard reads (table ``search_deflection_days``);
the PostgreSQL backend's index tables."""
from datetime import date, datetime

from sqlalchemy import DDL, Index, Text, event, text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from community.clock import now
from community.extensions import db


class SuggestionOpen(db.Model):
    """A member opened a similar question suggested on the ask form. Kept until the
    ask session is settled (see ``search.services.deflection``), then folded into the day's counts."""
    __tablename__ = "search_suggestion_opens"
    __table_args__ = (Index("ix_search_suggestion_opens_user_draft", "user_id", "draft"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id", ondelete="CASCADE"))
    # One ask form session (a random token in the form), so several opens while asking
    # one question count as one deflection.
    draft: Mapped[str] = mapped_column(db.String(32))
    thread_id: Mapped[int] = mapped_column(db.ForeignKey("threads.id", ondelete="CASCADE"))
    opened_at: Mapped[datetime] = mapped_column(db.DateTime, default=now, index=True)
    # Set when the member posted a question after all.
    asked_at: Mapped[datetime | None] = mapped_column(db.DateTime)


class DeflectionDay(db.Model):
    """Counts per UTC day of the first opened suggestion of each ask session."""
    __tablename__ = "search_deflection_days"

    day: Mapped[date] = mapped_column(db.Date, primary_key=True)
    opened: Mapped[int] = mapped_column(default=0)      # suggestions opened
    sessions: Mapped[int] = mapped_column(default=0)    # ask sessions with an opened suggestion
    deflected: Mapped[int] = mapped_column(default=0)   # ... that ended without a question


# --- The PostgreSQL backend's index (search/engine/postgres.py) -------------------------------
#
# On PostgreSQL these tables are the index: written in the transaction of each change. On
# SQLite they exist and stay empty (the Whoosh backend keeps its index in files), so both
# databases have one schema.

TSVECTOR_TEXT = Text().with_variant(TSVECTOR(), "postgresql")
TOTAL_SHARDS = 16     # search_totals rows: concurrent writers rarely update the same one


class SearchDocument(db.Model):
    """One visible thread as the index has it. ``document`` holds the analysed terms
    (search/engine/analysis.py: folded, stopped, both stems) with their positions, by
    field weight: A title, B question, C answers, D compound parts (plain), spelling
    words (``=word``) and tags (``#tag``)."""
    __tablename__ = "search_documents"
    __table_args__ = (
        Index("ix_search_documents_document", "document", postgresql_using="gin"),
        Index("ix_search_documents_created_at", "created_at"),
    )

    thread_id: Mapped[int] = mapped_column(
        db.ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True, autoincrement=False)
    category_id: Mapped[int] = mapped_column()
    solved: Mapped[bool] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(db.DateTime)
    boost: Mapped[float] = mapped_column(db.Float)   # ThreadDocument.boost
    # Field lengths in terms (both stems of a word count, as in Whoosh's BM25F).
    title_length: Mapped[int] = mapped_column()
    body_length: Mapped[int] = mapped_column()
    answers_length: Mapped[int] = mapped_column()
    parts_length: Mapped[int] = mapped_column()
    spell_length: Mapped[int] = mapped_column()
    document: Mapped[str] = mapped_column(TSVECTOR_TEXT)
    # {"body_text": ..., "answers_text": [[post_id, text], ...]}: snippets
    excerpts: Mapped[dict] = mapped_column(db.JSON)
    fingerprint: Mapped[str] = mapped_column(db.String(40))


class SearchTerm(db.Model):
    """Documents per field that hold a term (stems in title, body, answers, parts;
    whole lowercased words in spell): idf for ranking, the compound vocabulary, and
    the spelling vocabulary (a trigram index over the words in ``spell``)."""
    __tablename__ = "search_terms"
    __table_args__ = (
        Index("ix_search_terms_spelling", "term", postgresql_using="gin",
              postgresql_ops={"term": "gin_trgm_ops"}, postgresql_where=text("spell > 0")),
    )

    term: Mapped[str] = mapped_column(db.String(200), primary_key=True)
    title: Mapped[int] = mapped_column(default=0)
    body: Mapped[int] = mapped_column(default=0)
    answers: Mapped[int] = mapped_column(default=0)
    parts: Mapped[int] = mapped_column(default=0)
    spell: Mapped[int] = mapped_column(default=0)


class SearchTotal(db.Model):
    """Documents and summed field lengths (average lengths for BM25F), kept in
    ``TOTAL_SHARDS`` rows by thread id: their sum is the total."""
    __tablename__ = "search_totals"

    shard: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    documents: Mapped[int] = mapped_column(default=0)
    title: Mapped[int] = mapped_column(db.BigInteger, default=0)
    body: Mapped[int] = mapped_column(db.BigInteger, default=0)
    answers: Mapped[int] = mapped_column(db.BigInteger, default=0)
    parts: Mapped[int] = mapped_column(db.BigInteger, default=0)
    spell: Mapped[int] = mapped_column(db.BigInteger, default=0)


# The trigram operator class of the spelling index: created with the table on
# PostgreSQL (the migration does the same), nothing on SQLite.
event.listen(SearchTerm.__table__, "before_create",
             DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"))
