"""Admins manage categories: create, rename and describe, order, moderation mode.

A category keeps its slug when it is renamed, so links to it never break. The
order is the core's ``Category.position``; moving one renumbers them 1..n, so
categories created with equal positions get a definite order on the first move.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from community import clock
from community.services import categories
from community.errors import ValidationError
from community.extensions import db
from community.models import Category
from community.permissions import require

from ..labels import MODES
from ..models import CategorySettings
from . import audit, invalid
from .trust import category_mode

DESCRIPTION_LENGTH = 2000


def all_categories():
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.name,
                                                             Category.id)))


def _check_mode(mode):
    if mode not in MODES:
        raise invalid("mode", _l("Unknown moderation mode."))


def _set_mode(admin, category, mode):
    row = db.session.get(CategorySettings, category.id)
    if row is None:
        row = CategorySettings(category_id=category.id)
        db.session.add(row)
    row.mode, row.updated_at, row.updated_by_id = mode, clock.now(), admin.id


def create_category(admin, name, description="", mode="open"):
    """A new category, last in the order, with its moderation mode."""
    require(admin, "manage_categories")
    _check_mode(mode)
    category = categories.create_category(name, description)
    if mode != "open":
        _set_mode(admin, category, mode)
    db.session.flush()
    return audit.record(admin, "category.create", "category", category.id, name=category.name,
                        mode=mode)


def update_category(admin, category, name, description, mode):
    """Name, description and moderation mode in one change; one audit entry with
    the fields that changed (None when nothing did)."""
    require(admin, "manage_categories")
    _check_mode(mode)
    name = " ".join((name or "").split())
    description = (description or "").strip()
    if not 2 <= len(name) <= 80:
        raise ValidationError(_l("Please check the name."),
                              fields={"name": _l("Use 2 to 80 characters.")})
    if len(description) > DESCRIPTION_LENGTH:
        raise invalid("description", _l("Use at most 2000 characters."))
    taken = db.session.scalar(select(Category.id).where(
        func.lower(Category.name) == name.lower(), Category.id != category.id))
    if taken:
        raise invalid("name", _l("A category with this name already exists."))
    before = {"name": category.name, "description": category.description,
              "mode": category_mode(category.id)}
    after = {"name": name, "description": description, "mode": mode}
    changed = [key for key in before if before[key] != after[key]]
    if not changed:
        return None
    category.name, category.description = name, description
    if "mode" in changed:
        _set_mode(admin, category, mode)
    db.session.flush()
    return audit.record(admin, "category.update", "category", category.id,
                        before={k: before[k] for k in changed},
                        after={k: after[k] for k in changed})


def move_category(admin, category, direction):
    """One place up or down in the order shown on the home page."""
    require(admin, "manage_categories")
    if direction not in ("up", "down"):
        raise invalid("direction", _l("Unknown direction."))
    ordered = all_categories()
    index = next(i for i, c in enumerate(ordered) if c.id == category.id)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        return None  # already first or last: nothing to record
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, each in enumerate(ordered, start=1):
        each.position = position
    db.session.flush()
    return audit.record(admin, "category.move", "category", category.id, before=index + 1,
                        after=other + 1)
