"""Outbox rows of one kind that run together: a handler that applies many rows at once
costs less per row (one search index commit for every due thread instead of one
commit, and one segment merge, per thread).

``batched(kind, fn)`` makes a handler for ``outbox.register_handler``. When a worker
runs a row of ``kind``, the handler also claims the other due rows of that kind (a
claim of their own, community/outbox_claims.py: no other worker gets them), takes
over those of the kind this worker claimed with the row (it then skips them, as
rows another claim holds), counts their attempt, calls ``fn`` once with every
payload, and finishes them in the row's own transaction, so they are done exactly
when the row is. If ``fn`` fails, the
other rows are given back uncounted and the failure is the row's (its retries and
backoff, as any row's); each of them may then run as the row that carries a batch.
"""
import secrets

from sqlalchemy import update

from . import clock, outbox
from .extensions import db
from .models import OutboxMessage
from .outbox_claims import claim, lease

LIMIT = 1000     # rows one batch takes at most: a batch that fails repeats this much work


def batched(kind, fn, limit=LIMIT):
    """A handler of ``kind`` (a kind without ``*`` or ``?``) that runs
    ``fn([payload, ...])``: the row's payload first, then those of the other due rows
    of the kind."""
    def handler(payload):
        held = claim(limit - 1, kinds=[kind])
        token = held[0].token if held else secrets.token_hex(16)
        payloads = [payload] + _start(token, kind, outbox.running_claim())
        try:
            fn(payloads)
        except BaseException:
            _give_back(token)
            raise
        _finish(token)
    handler.batch_kind = kind
    return handler


def _start(token, kind, running):
    """Take over the worker's other claimed rows of ``kind``, count the attempt of
    every row of the batch and renew their lease; commits (a run that kills the
    worker counts, as outbox.run counts it). Returns their payloads."""
    if running is not None:
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.claim_token == running.token, OutboxMessage.kind == kind,
                   OutboxMessage.id != running.id, OutboxMessage.status == "pending")
            .values(claim_token=token)
            .execution_options(synchronize_session=False))
    rows = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.claim_token == token, OutboxMessage.status == "pending")
        .values(attempts=OutboxMessage.attempts + 1, claimed_until=clock.now() + lease())
        .returning(OutboxMessage.id, OutboxMessage.payload)
        .execution_options(synchronize_session=False)).all()
    db.session.commit()
    # In the order they were written (RETURNING has no order on PostgreSQL): a handler
    # sees the same batch the same way on every database.
    return [dict(payload or {}) for _, payload in sorted(rows, key=lambda row: row[0])]


def _finish(token):
    """Done, in the carrying row's transaction, while this claim still holds them."""
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.claim_token == token, OutboxMessage.status == "pending")
        .values(status="done", done_at=clock.now(), last_error=None, claim_token=None,
                claimed_until=None)
        .execution_options(synchronize_session=False))


def _give_back(token):
    db.session.rollback()
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.claim_token == token, OutboxMessage.status == "pending")
        .values(attempts=OutboxMessage.attempts - 1, claim_token=None, claimed_until=None)
        .execution_options(synchronize_session=False))
    db.session.commit()
