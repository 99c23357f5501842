"""Home page, category pages and category feeds."""
from flask import Blueprint, current_app, make_response, render_template, request

from ..services import categories, listing

bp = Blueprint("forum", __name__)


@bp.route("/")
def home():
    return render_template("community/home.html", categories=categories.all_categories(),
                           recent=listing.recent_threads(limit=15))


@bp.route("/c/<slug>")
def category(slug):
    category = categories.get_by_slug(slug)
    filter_ = request.args.get("filter", "all")
    sort = request.args.get("sort", "activity")
    page = listing.list_threads(category=category, filter=filter_, sort=sort,
                                page=listing.page_number(request.args.get("page")),
                                per_page=current_app.config["THREADS_PER_PAGE"])
    return render_template("community/category.html", category=category, page=page,
                           filter=filter_, sort=sort, filters=listing.FILTERS,
                           sorts=listing.SORTS)


@bp.route("/c/<slug>/feed.atom")
def category_feed(slug):
    category = categories.get_by_slug(slug)
    threads = listing.category_feed(category)
    response = make_response(render_template("community/feed.atom.xml", category=category,
                                             threads=threads))
    response.mimetype = "application/atom+xml"
    return response
