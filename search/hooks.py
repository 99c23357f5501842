"""What the search package adds to the core's pages through its hook lists."""
from flask import current_app, g, render_template, request
from flask_login import current_user
from markupsafe import Markup

from .services import deflection


def ask_form_similar(form):
    """Similar questions on the ask form: live with JavaScript (search/static/similar.js),
    or after the "Check for similar questions" button without it."""
    draft = (deflection.valid_draft(current_user, request.form.get("search_draft"))
             or deflection.issue_draft(current_user))
    return Markup(render_template(
        "search/_ask_similar.html", form=form, draft=draft,
        checked=g.get("search_similar_checked", False),
        suggestions=g.get("search_similar", []),
        limit=current_app.config["SEARCH_SIMILAR_LIMIT"]))
