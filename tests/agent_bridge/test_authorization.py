"""Who may use what: every desk page, desk form and agent API call, for every role."""
import pytest
from sqlalchemy import select

from agent_bridge.services import privacy, tickets
from agent_bridge.models import PrivateRequest
from community.extensions import db
from tests.conftest import csrf_token

from .conftest import bearer, thread_path

DESK_PAGES = ["/desk", "/desk?view=overdue", "/desk/tickets/{ticket}", "/desk/dashboard",
              "/desk/dashboard?days=30"]
ADMIN_PAGES = ["/desk/admin/rules", "/desk/admin/terms", "/desk/admin/canned"]
DESK_FORMS = ["/desk/tickets/{ticket}/claim", "/desk/tickets/{ticket}/assign",
              "/desk/tickets/{ticket}/reply", "/desk/tickets/{ticket}/note",
              "/desk/tickets/{ticket}/update", "/desk/tickets/{ticket}/private-request",
              "/desk/tickets/{ticket}/confirm/{post}"]
ADMIN_FORMS = ["/desk/admin/rules/{category}", "/desk/admin/terms",
               "/desk/admin/terms/1/remove", "/desk/admin/canned",
               "/desk/admin/canned/1/delete"]
API_GET = ["/api/v1/desk/tickets", "/api/v1/desk/tickets/{ticket}"]
API_POST = ["/api/v1/desk/tickets/{ticket}/reply", "/api/v1/desk/tickets/{ticket}/assign",
            "/api/v1/desk/tickets/{ticket}/status"]


@pytest.fixture
def world(app, make_thread, make_reply, make_user, customer, agent):
    thread = make_thread(author=customer)
    post = make_reply(thread)
    ticket, _ = tickets.open_ticket(thread, "moderator", source="test")
    request = privacy.request_details(ticket, agent, "Your customer number, please.")
    db.session.commit()
    return {"ticket": ticket.id, "post": post.id, "category": thread.category_id,
            "thread": thread, "request": request.id}


def fill(path, world):
    return path.format(**world)


def test_every_bridge_route_is_in_the_matrix(app):
    known = {p.split("?")[0] for p in DESK_PAGES + ADMIN_PAGES + DESK_FORMS + ADMIN_FORMS
             + API_GET + API_POST}
    known = {p.replace("{ticket}", "<int:ticket_id>").replace("{post}", "<int:post_id>")
             .replace("{category}", "<int:category_id>") for p in known}
    known |= {"/desk/admin/terms/<int:term_id>/remove", "/desk/admin/canned/<int:reply_id>/delete",
              "/api/v1/threads/<int:thread_id>/escalate", "/t/<int:thread_id>/support",
              "/t/<int:thread_id>/private", "/support/requests/<int:request_id>"}
    routes = {rule.rule for rule in app.url_map.iter_rules()
              if rule.endpoint.split(".")[0] in ("agent_bridge", "agent_bridge_api")}
    assert routes <= known, routes - known


@pytest.mark.parametrize("role", [None, "customer", "moderator"])
def test_customers_moderators_and_visitors_get_nothing_of_the_desk(app, browser, world,
                                                                  make_user, role):
    user = make_user(role=role) if role else None
    session = browser(user)
    for path in DESK_PAGES + ADMIN_PAGES:
        response = session.get(fill(path, world), expect_errors=True)
        assert response.status_int == (302 if user is None else 403), path
        assert "Desk" not in response.text or user is None
    token = csrf_token(session, thread_path(world["thread"]) if user else "/login")
    for path in DESK_FORMS + ADMIN_FORMS:
        response = session.post(fill(path, world), {"csrf_token": token, "body": "Hello there",
                                                    "message": "Hello there"},
                                expect_errors=True)
        assert response.status_int in ((302, 400) if user is None else (403,)), path
        if user is None:
            assert "/login" in response.headers.get("Location", "/login")
    headers = bearer(user) if user else {}
    for path in API_GET:
        response = session.get(fill(path, world), headers=headers, expect_errors=True)
        assert response.status_int == (401 if user is None else 403), path
    for path in API_POST:
        response = session.post_json(fill(path, world), {"body": "Hello there world"},
                                     headers=headers, expect_errors=True)
        assert response.status_int == (401 if user is None else 403), path
    db.session.expire_all()
    assert tickets.timeline(tickets.get_ticket(world["ticket"]))[-1].kind in (
        "private_request", "status")


@pytest.mark.parametrize("role", ["agent", "admin"])
def test_agents_and_admins_use_the_desk_and_only_admins_manage_it(app, browser, world,
                                                                  make_user, role):
    user = make_user(role=role)
    session = browser(user)
    for path in DESK_PAGES:
        assert session.get(fill(path, world)).status_int == 200
    for path in API_GET:
        assert session.get(fill(path, world), headers=bearer(user)).status_int == 200
    for path in ADMIN_PAGES:
        response = session.get(fill(path, world), expect_errors=True)
        assert response.status_int == (200 if role == "admin" else 403)


def test_private_details_are_readable_only_by_agents_and_admins(app, browser, world, customer,
                                                                agent, admin, moderator,
                                                                make_user):
    request = db.session.get(PrivateRequest, world["request"])
    privacy.answer(request, customer, "Kundennummer 555-1234-99")
    db.session.commit()
    path = f"/desk/tickets/{world['ticket']}"
    for user in (agent, admin):
        assert "555-1234-99" in browser(user).get(path).text
        assert "555-1234-99" in browser(user).get(f"/api/v1/desk/tickets/{world['ticket']}",
                                                  headers=bearer(user)).text
    for user in (None, customer, moderator, make_user()):
        session = browser(user)
        assert "555-1234-99" not in session.get(thread_path(world["thread"])).text
        assert "555-1234-99" not in session.get(path, expect_errors=True).text
        assert "555-1234-99" not in session.get(
            f"/support/requests/{world['request']}", expect_errors=True).text
        assert "555-1234-99" not in session.get(
            f"/api/v1/threads/{world['thread'].id}/posts", expect_errors=True).text
    # Only the asked customer opens the answer form.
    for user in (agent, moderator, make_user()):
        browser(user).get(f"/support/requests/{world['request']}", status=404)
    assert db.session.scalar(select(PrivateRequest.answer)) == "Kundennummer 555-1234-99"
