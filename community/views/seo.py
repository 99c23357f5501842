"""sitemap.xml and robots.txt for search engines."""
from flask import Blueprint, make_response, render_template, url_for

from ..services import listing

bp = Blueprint("seo", __name__)


@bp.route("/sitemap.xml")
def sitemap():
    response = make_response(render_template(
        "community/sitemap.xml", threads=listing.sitemap_threads(),
        category_slugs=listing.all_category_slugs()))
    response.mimetype = "application/xml"
    return response


@bp.route("/robots.txt")
def robots():
    lines = ["User-agent: *", "Disallow: /settings", "Disallow: /ask", "Disallow: /api/",
             "Disallow: /login", "Disallow: /register", "Disallow: /preview",
             f"Sitemap: {url_for('seo.sitemap', _external=True)}", ""]
    response = make_response("\n".join(lines))
    response.mimetype = "text/plain"
    return response
