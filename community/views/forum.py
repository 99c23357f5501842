"""Home page, category pages and category feeds."""
from flask import Blueprint, current_app, make_response, render_template, request
from flask_login import current_user

from .. import page_cache, reader_parts
from ..services import categories, listing, read_marks

bp = Blueprint("forum", __name__)
bp.record_once(lambda state: page_cache.init_app(state.app))


HOME_LISTS = ("latest", "unsolved")


@bp.route("/")
@page_cache.cached(page_cache.home_version)
def home():
    """Questions first (the latest, or the unsolved ones), the categories after them.
    A member gets the page kept for every reader, with their own marks (reader_parts)."""
    show = request.args.get("show")
    show = show if show in HOME_LISTS else "latest"
    key, version, skeleton = reader_parts.for_member(page_cache.home_version)
    threads, shown_categories = [], []
    if skeleton is not None:
        rows = reader_parts.rows(skeleton)
    else:
        if show == "unsolved":
            threads = listing.list_threads(filter="unsolved", per_page=15).items
        else:
            threads = listing.recent_threads(limit=15)
        shown_categories = categories.all_categories()
        rows = [(t.id, t.last_activity_at) for t in threads]
    return reader_parts.render(
        "community/home.html", key, version, skeleton, categories=shown_categories,
        recent=threads, show=show, new_replies=read_marks.new_since(current_user, rows))


@bp.route("/c/<slug>")
@page_cache.cached(page_cache.category_version)
def category(slug):
    category = categories.get_by_slug(slug)
    filter_ = request.args.get("filter", "all")
    sort = request.args.get("sort", "activity")
    key, version, skeleton = reader_parts.for_member(page_cache.category_version, slug)
    page = None
    if skeleton is not None:
        rows = reader_parts.rows(skeleton)
    else:
        page = listing.list_threads(category=category, filter=filter_, sort=sort,
                                    page=listing.page_number(request.args.get("page")),
                                    per_page=current_app.config["THREADS_PER_PAGE"])
        rows = [(t.id, t.last_activity_at) for t in page.items]
    return reader_parts.render(
        "community/category.html", key, version, skeleton, category=category, page=page,
        filter=filter_, sort=sort, filters=listing.FILTERS, sorts=listing.SORTS,
        new_replies=read_marks.new_since(current_user, rows))


@bp.route("/c/<slug>/feed.atom")
def category_feed(slug):
    category = categories.get_by_slug(slug)
    threads = listing.category_feed(category)
    response = make_response(render_template("community/feed.atom.xml", category=category,
                                             threads=threads))
    response.mimetype = "application/atom+xml"
    return response
