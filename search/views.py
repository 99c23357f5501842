"""Search pages: results, the no-JavaScript similar-questions step of the ask form,
opening a suggestion (counted for deflection), the deflection counts for staff."""
from flask import Blueprint, current_app, g, redirect, render_template, request
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from community.services import categories, threads
from community.errors import ValidationError
from community.forms import AskForm
from community.permissions import require
from community.template_helpers import thread_url

from .services import deflection, query, similar

bp = Blueprint("search", __name__, static_folder="static", static_url_path="/search/static")


@bp.get("/search")
def page():
    require(current_user, "search")
    errors, result, status = {}, None, 200
    try:
        search_request = query.parse_request(request.args,
                                             per_page=current_app.config["SEARCH_PER_PAGE"])
    except ValidationError as error:
        errors, status = error.fields, 422
    else:
        result = query.search(search_request)
    return render_template("search/page.html", result=result, errors=errors,
                           categories=query.category_choices()), status


@bp.post("/ask/similar")
@login_required
def ask_similar():
    """The ask form again, with the questions like the one typed so far (no JavaScript)."""
    require(current_user, "ask")
    form = AskForm()
    form.category.choices = [SelectChoice(c.slug, c.name) for c in categories.all_categories()]
    g.search_similar_checked = True
    g.search_similar = similar.similar(form.title.data or "", form.body.data or "",
                                       limit=current_app.config["SEARCH_SIMILAR_LIMIT"])
    chosen = categories.find_by_slug(form.category.data) if form.category.data else None
    return render_template("community/ask.html", form=form, preview=None, category=chosen)


@bp.get("/search/open/<int:thread_id>")
def open_suggestion(thread_id):
    """A suggested thread, opened from the ask form: remembered for the deflection count."""
    thread = threads.get_thread(thread_id)
    deflection.record_open(current_user, thread, request.args.get("draft"))
    return redirect(thread_url(thread))


@bp.get("/search/deflections")
def deflections():
    require(current_user, "view_search_stats")
    return render_template("search/deflections.html", days=deflection.recent_days(),
                           pending=deflection.pending_sessions(),
                           hours=current_app.config["SEARCH_DEFLECTION_HOURS"])
