"""Admin pages: blocked words and the categories' moderation modes."""
from flask import render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from community import categories
from community.errors import NotFound
from community.extensions import db
from community.forms import ActionForm
from community.models import Category

from ..forms import BlockedWordsForm, CategoryForm, CategoryModeForm
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


def _categories_page(status=200, invalid=None, new=None):
    modes = trust.category_modes()
    forms = {}
    for category in categories.all_categories():
        prefix = f"cat-{category.id}"
        forms[category.id] = invalid if invalid is not None and invalid._prefix == prefix + "-" \
            else CategoryModeForm(prefix=prefix, formdata=None,
                                  data={"mode": modes.get(category.id, "open")})
    return render_template("moderation/categories.html", categories=categories.all_categories(),
                           forms=forms, modes=modes,
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
    return act(form, lambda: trust.create_category(current_user, form.name.data,
                                                   form.description.data, form.mode.data),
               _("Category created."), url_for("moderation.category_modes"),
               lambda f: _categories_page(422, new=f))


@bp.post("/categories/<int:category_id>")
@login_required
def set_category_mode(category_id):
    guard("manage_categories")
    category = db.session.get(Category, category_id)
    if category is None:
        raise NotFound(_("No such category."))
    form = CategoryModeForm(prefix=f"cat-{category_id}")
    return act(form, lambda: trust.set_category_mode(current_user, category, form.mode.data),
               _("Moderation mode of %(name)s saved.", name=category.name),
               url_for("moderation.category_modes"), lambda f: _categories_page(422, f))
