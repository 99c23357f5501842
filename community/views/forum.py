"""Home page, category pages and category feeds."""
from flask import Blueprint, current_app, make_response, render_template, request
from flask_login import current_user

from .. import page_cache
from ..services import categories, listing, read_marks

bp = Blueprint("forum", __name__)
bp.record_once(lambda state: page_cache.init_app(state.app))


HOME_LISTS = ("latest", "unsolved")


@bp.route("/")
@page_cache.cached(page_cache.home_version)
def home():
    """Questions first (the latest, or the unsolved ones), the categories after them."""
    show = request.args.get("show")
    show = show if show in HOME_LISTS else "latest"
    if show == "unsolved":
        threads = listing.list_threads(filter="unsolved", per_page=15).items
    else:
        threads = listing.recent_threads(limit=15)
    return render_template("community/home.html", categories=categories.all_categories(),
                           recent=threads, show=show,
                           new_replies=read_marks.with_new_replies(current_user, threads))


@bp.route("/c/<slug>")
@page_cache.cached(page_cache.category_version)
def category(slug):
    category = categories.get_by_slug(slug)
    filter_ = request.args.get("filter", "all")
    sort = request.args.get("sort", "activity")
    page = listing.list_threads(category=category, filter=filter_, sort=sort,
                                page=listing.page_number(request.args.get("page")),
                                per_page=current_app.config["THREADS_PER_PAGE"])
    return render_template("community/category.html", category=category, page=page,
                           filter=filter_, sort=sort, filters=listing.FILTERS,
                           sorts=listing.SORTS,
                           new_replies=read_marks.with_new_replies(current_user, page.items))


@bp.route("/c/<slug>/feed.atom")
def category_feed(slug):
    category = categories.get_by_slug(slug)
    threads = listing.category_feed(category)
    response = make_response(render_template("community/feed.atom.xml", category=category,
                                             threads=threads))
    response.mimetype = "application/atom+xml"
    return response
