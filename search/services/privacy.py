"""Search's share of privacy by design (community/services/privacy.py): the similar
questions a member opened while asking. The index itself holds only public posts and
follows them: an erasure or redaction reindexes the threads it changed through the
core's ``thread_updated`` event (``updates.py``)."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from community.privacy import record as privacy_record
from community.extensions import db
from community.privacy.record import Activity
from community.services import privacy
from community.services.privacy import ExportPart

from ..models import SuggestionOpen


def _opened(user):
    return [{"thread_id": row.thread_id, "opened_at": row.opened_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
             "asked_anyway": row.asked_at is not None}
            for row in db.session.scalars(select(SuggestionOpen).where(
                SuggestionOpen.user_id == user.id).order_by(SuggestionOpen.id))]


def erase(erasure):
    erasure.count("suggestions_opened", db.session.execute(
        delete(SuggestionOpen).where(SuggestionOpen.user_id == erasure.user.id)).rowcount)


def register(app):
    from community import hooks as core_hooks
    privacy.register_export(app, ExportPart(
        "similar_questions_opened", _l("Similar questions you opened while asking"),
        ("search_suggestion_opens",), _opened))
    core_hooks.add(app, "privacy.erase", erase)
    privacy_record.register(app, Activity(
        "search", _l("Search and similar questions"),
        _l("Finding answers; counting how often a suggested answer spared a question"),
        _l("Art. 6(1)(f) GDPR: legitimate interest in answering questions quickly"),
        _l("The public posts (the index); which suggested questions a member opened while "
           "asking"),
        kept=_l("The index follows the posts; opened suggestions until the ask session is "
                "counted (a day)")))
