"""Admin pages: blocked words, and categories (create, rename and describe, order,
moderation mode)."""
from flask import render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from community.errors import NotFound
from community.extensions import db
from community.forms import ActionForm
from community.models import Category

from ..forms import BlockedWordsForm, CategoryEditForm, CategoryForm, CategoryMoveForm
from ..services import categories as admin_categories
from ..services import spam, trust
from . import act, bp, guard


def _words_page(form=None, status=200):
    return render_template("moderation/blocked_words.html", words=spam.all_words(),
                           form=form or BlockedWordsForm(formdata=None),
                           action_form=ActionForm(formdata=None),
                           starters=spam.STARTER_WORDS), status


def _added(words):
    return ngettext("%(num)d word added.", "%(num)d words added.", len(words))


@bp.get("/blocked-words")
@login_required
def blocked_words():
    guard("manage_blocked_words")
    return _words_page()


@bp.post("/blocked-words")
@login_required
def add_blocked_words():
    guard("manage_blocked_words")
    form = BlockedWordsForm()
    return act(form, lambda: spam.add_words(current_user, form.words.data), _added,
               url_for("moderation.blocked_words"), lambda f: _words_page(f, 422))


@bp.post("/blocked-words/starters")
@login_required
def add_starter_words():
    guard("manage_blocked_words")
    return act(ActionForm(), lambda: spam.add_starters(current_user), _added,
               url_for("moderation.blocked_words"), lambda f: _words_page(status=422))


@bp.post("/blocked-words/<int:word_id>/remove")
@login_required
def remove_blocked_word(word_id):
    guard("manage_blocked_words")
    return act(ActionForm(), lambda: spam.remove_word(current_user, word_id),
               lambda word: _("“%(word)s” removed.", word=word) if word else None,
               url_for("moderation.blocked_words"), lambda f: _words_page(status=422))


def _get_category(category_id):
    category = db.session.get(Category, category_id)
    if category is None:
        raise NotFound(_("No such category."))
    return category


def _categories_page(status=200, invalid=None, new=None):
    modes = trust.category_modes()
    listed = admin_categories.all_categories()
    forms = {}
    for category in listed:
        prefix = f"cat-{category.id}"
        forms[category.id] = invalid if invalid is not None and invalid._prefix == prefix + "-" \
            else CategoryEditForm(prefix=prefix, formdata=None, data={
                "name": category.name, "description": category.description,
                "mode": modes.get(category.id, "open")})
    move_forms = {c.id: CategoryMoveForm(prefix=f"move-{c.id}", formdata=None) for c in listed}
    return render_template("moderation/categories.html", categories=listed, forms=forms,
                           modes=modes, move_forms=move_forms,
                           new=new or CategoryForm(prefix="new", formdata=None)), status


@bp.get("/categories")
@login_required
def category_modes():
    guard("manage_categories")
    return _categories_page()


@bp.post("/categories")
@login_required
def create_category():
    guard("manage_categories")
    form = CategoryForm(prefix="new")
    return act(form, lambda: admin_categories.create_category(
                   current_user, form.name.data, form.description.data, form.mode.data),
               _("Category created."), url_for("moderation.category_modes"),
               lambda f: _categories_page(422, new=f))


@bp.post("/categories/<int:category_id>")
@login_required
def update_category(category_id):
    guard("manage_categories")
    category = _get_category(category_id)
    form = CategoryEditForm(prefix=f"cat-{category_id}")
    return act(form, lambda: admin_categories.update_category(
                   current_user, category, form.name.data, form.description.data,
                   form.mode.data),
               lambda entry: _("%(name)s saved.", name=category.name) if entry else None,
               url_for("moderation.category_modes"), lambda f: _categories_page(422, f))


@bp.post("/categories/<int:category_id>/move")
@login_required
def move_category(category_id):
    guard("manage_categories")
    category = _get_category(category_id)
    form = CategoryMoveForm(prefix=f"move-{category_id}")
    return act(form, lambda: admin_categories.move_category(current_user, category,
                                                            form.direction.data),
               None, url_for("moderation.category_modes"), lambda f: _categories_page(422))
