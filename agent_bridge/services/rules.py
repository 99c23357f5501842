"""Escalation rules and urgent terms: what they are (each category's windows, in
wall-clock time or business hours; the urgent terms and how a text matches one) and
the admin's changes to them.

Below both ``escalation`` (the sweep and escalation by hand) and ``tickets`` (when
a first response is due), which read the rules here and never each other's.
"""
import re
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from community import clock
from community.errors import Conflict, NotFound, ValidationError
from community.extensions import db
from community.models import Category
from community.permissions import require
from community.text import slugify

from .calendar import HOLIDAY_CALENDARS, deadline, parse_hours
from ..models import CategoryRule, UrgentTerm

ASK_MODES = ("never", "now", "after")


@dataclass(frozen=True)
class Rule:
    enabled: bool
    escalate_after: timedelta
    no_reply_after: timedelta
    ask_after: timedelta | None      # None: the asker may not ask the support team
    business_hours: bool
    holidays: str

    def deadline(self, start, window):
        config = current_app.config
        hours = parse_hours(config["BRIDGE_BUSINESS_HOURS"]) if self.business_hours else None
        return deadline(start, window, business_hours=hours, holidays=self.holidays,
                        tz=config["BABEL_DEFAULT_TIMEZONE"])


def default_rule():
    config = current_app.config
    ask = config["BRIDGE_ASK_AFTER_HOURS"]
    return Rule(True, timedelta(hours=config["BRIDGE_ESCALATE_AFTER_HOURS"]),
                timedelta(hours=config["BRIDGE_NO_REPLY_AFTER_HOURS"]),
                None if ask < 0 else timedelta(hours=ask), False, "none")


def _rule_of(row):
    return Rule(row.enabled, timedelta(minutes=row.escalate_after_minutes),
                timedelta(minutes=row.no_reply_after_minutes),
                None if row.ask_after_minutes is None else timedelta(minutes=row.ask_after_minutes),
                row.business_hours, row.holidays)


def all_rules():
    """{category_id: Rule} for categories with a rule of their own (one query)."""
    return {row.category_id: _rule_of(row) for row in db.session.scalars(select(CategoryRule))}


def rule_for(category_id):
    row = db.session.get(CategoryRule, category_id)
    return _rule_of(row) if row is not None else default_rule()


# --- urgent terms ------------------------------------------------------------------

def _fold(text):
    return "-" + slugify(text, max_length=10**6) + "-"


def configured_terms():
    """{"de": [...], "en": [...]} from the settings (the starters)."""
    config = current_app.config
    return {lang: [t.strip() for t in config[f"BRIDGE_URGENT_TERMS_{lang.upper()}"].split(",")
                   if t.strip()] for lang in ("de", "en")}


def all_terms():
    terms = [term for lang_terms in configured_terms().values() for term in lang_terms]
    terms += list(db.session.scalars(select(UrgentTerm.term)))
    return terms


def urgent_term(*texts):
    """The first urgent term found at the start of a word in ``texts``, or None."""
    folded = " ".join(_fold(text) for text in texts)
    for term in all_terms():
        key = _fold(term).rstrip("-")
        if key != "-thread" and re.search(re.escape(key), folded):
            return term
    return None


# --- admin changes -----------------------------------------------------------------

def rules_by_category():
    """[(Category, Rule, has_own_row)] for the admin page (2 queries)."""
    own = {row.category_id for row in db.session.scalars(select(CategoryRule))}
    categories = db.session.scalars(select(Category).order_by(Category.position, Category.name))
    return [(c, rule_for(c.id), c.id in own) for c in categories]


def save_rule(admin, category, *, enabled, no_reply_after_hours, escalate_after_hours,
              ask_mode, ask_after_hours, business_hours, holidays):
    require(admin, "manage_bridge")
    fields = {}
    if ask_mode not in ASK_MODES:
        fields["ask_mode"] = _l("Please choose when the asker may ask.")
    if ask_mode == "after" and not ask_after_hours:
        fields["ask_after_hours"] = _l("Please give the delay in hours.")
    if holidays not in HOLIDAY_CALENDARS:
        fields["holidays"] = _l("Unknown holiday calendar.")
    for name, value in (("no_reply_after_hours", no_reply_after_hours),
                        ("escalate_after_hours", escalate_after_hours)):
        if value is None or not 1 <= value <= 24 * 60:
            fields[name] = _l("Please give a number of hours from 1 to 1440.")
    if fields:
        raise ValidationError(_l("Please correct the marked fields."), fields=fields)
    row = db.session.get(CategoryRule, category.id)
    if row is None:
        row = CategoryRule(category_id=category.id)
        db.session.add(row)
    row.enabled = bool(enabled)
    row.no_reply_after_minutes = no_reply_after_hours * 60
    row.escalate_after_minutes = escalate_after_hours * 60
    row.ask_after_minutes = {"never": None, "now": 0}.get(ask_mode, (ask_after_hours or 0) * 60)
    row.business_hours = bool(business_hours)
    row.holidays = holidays
    row.updated_at = clock.now()
    row.updated_by_id = admin.id
    db.session.flush()
    return row


def get_category(category_id):
    category = db.session.get(Category, category_id)
    if category is None:
        raise NotFound(_l("This category does not exist."))
    return category


def terms():
    """(configured {lang: [terms]}, [UrgentTerm rows])."""
    rows = list(db.session.scalars(select(UrgentTerm).order_by(UrgentTerm.language,
                                                               UrgentTerm.term)))
    return configured_terms(), rows


def add_term(admin, language, term):
    require(admin, "manage_bridge")
    term = " ".join((term or "").lower().split())
    if language not in ("de", "en"):
        raise ValidationError(_l("Unknown language."), fields={"language": _l("Unknown language.")})
    if not 3 <= len(term) <= 80:
        message = _l("Please give a term of 3 to 80 characters.")
        raise ValidationError(message, fields={"term": message})
    if term in configured_terms()[language] or db.session.scalar(
            select(UrgentTerm.id).where(UrgentTerm.language == language, UrgentTerm.term == term)):
        message = _l("This term is already on the list.")
        raise ValidationError(message, fields={"term": message})
    row = UrgentTerm(language=language, term=term, created_at=clock.now())
    db.session.add(row)
    db.session.flush()
    return row


def remove_term(admin, term_id):
    require(admin, "manage_bridge")
    row = db.session.get(UrgentTerm, term_id)
    if row is None:
        raise Conflict(_l("This term was already removed."), code="gone")
    db.session.delete(row)
    db.session.flush()
