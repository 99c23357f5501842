"""The imprint (Impressum, § 5 DDG) and the privacy policy: Markdown that admins write
in German and English, linked in every page's footer. A page not yet written in the
reader's language is shown in the other one; not written at all, it says so."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import clock, markup
from ..errors import NotFound, ValidationError
from ..extensions import db
from ..permissions import require
from .models import LegalPage

PAGES = {"imprint": _l("Imprint"), "privacy": _l("Privacy policy")}
LOCALES = ("de", "en")
MAX_LENGTH = 50_000


def check(name, locale=None):
    if name not in PAGES or (locale is not None and locale not in LOCALES):
        raise NotFound(_l("This page does not exist."))


def page(name, locale):
    """The page in ``locale``, else in the other language, else None."""
    check(name)
    rows = {row.locale: row for row in db.session.scalars(
        select(LegalPage).where(LegalPage.name == name, LegalPage.body != ""))}
    return rows.get(locale) or next((rows[other] for other in LOCALES if other in rows), None)


def source(name, locale):
    check(name, locale)
    row = db.session.scalar(select(LegalPage).where(LegalPage.name == name,
                                                    LegalPage.locale == locale))
    return row.body if row is not None else ""


def save(admin, name, locale, body):
    """Store a page's Markdown (rendered and sanitized like posts)."""
    require(admin, "manage_privacy")
    check(name, locale)
    body = (body or "").strip()
    if len(body) > MAX_LENGTH:
        message = _l("Please keep it under %(n)d characters.", n=MAX_LENGTH)
        raise ValidationError(message, fields={"body": message})
    row = db.session.scalar(select(LegalPage).where(LegalPage.name == name,
                                                    LegalPage.locale == locale))
    if row is None:
        row = LegalPage(name=name, locale=locale)
        db.session.add(row)
    row.body, row.body_html = body, markup.render(body)
    row.updated_at, row.updated_by_id = clock.now(), admin.id
    db.session.flush()
    return row
