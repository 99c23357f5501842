"""Categories: create, look up, list for the home page."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from .. import clock
from ..errors import NotFound, ValidationError
from ..extensions import db
from ..models import Category, Thread
from ..text import slugify


def create_category(name, description="", slug=None, position=None):
    name = " ".join((name or "").split())
    if not 2 <= len(name) <= 80:
        raise ValidationError(_l("Please check the name."), fields={"name": _l("Use 2 to 80 characters.")})
    slug = slugify(slug or name, max_length=80)
    if db.session.scalar(select(Category.id).where(Category.slug == slug)):
        raise ValidationError(_l("A category with this name already exists."),
                              fields={"name": _l("A category with this name already exists.")})
    if position is None:
        position = (db.session.scalar(select(func.max(Category.position))) or 0) + 1
    category = Category(name=name, slug=slug, description=(description or "").strip(),
                        position=position, created_at=clock.now())
    db.session.add(category)
    db.session.flush()
    return category


def all_categories():
    """Categories in display order, each with its latest thread and that thread's last author."""
    return list(db.session.scalars(
        select(Category).order_by(Category.position, Category.name)
        .options(joinedload(Category.last_thread).joinedload(Thread.last_author))))


def get_by_slug(slug):
    category = db.session.scalar(select(Category).where(Category.slug == slug))
    if category is None:
        raise NotFound(_l("No such category."))
    return category


def find_by_slug(slug):
    return db.session.scalar(select(Category).where(Category.slug == slug))
