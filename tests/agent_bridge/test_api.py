"""The agent API and escalation by API, as a client (bearer tokens) uses them."""
from sqlalchemy import func, select

from agent_bridge.services import tickets
from agent_bridge.models import Ticket
from community.extensions import db
from community.models import Post

from .conftest import bearer, thread_path


def escalate(thread, priority="normal"):
    ticket, _ = tickets.open_ticket(thread, "moderator", priority=priority, source="test")
    db.session.commit()
    return ticket


def test_list_filter_and_read_tickets(app, testapp, make_thread, agent, customer):
    mine = escalate(make_thread(author=customer, title="Assigned question here"))
    tickets.assign(mine, agent)
    db.session.commit()
    other = escalate(make_thread(author=customer, title="Open urgent question"), "urgent")
    auth = bearer(agent)
    data = testapp.get("/api/v1/desk/tickets", headers=auth).json
    assert [t["id"] for t in data["tickets"]] == [other.id, mine.id]
    first = data["tickets"][0]
    assert {"id", "thread_id", "status", "priority", "reason", "assignee", "due_at"} <= set(first)
    assert [t["id"] for t in testapp.get("/api/v1/desk/tickets?assignee=me",
                                         headers=auth).json["tickets"]] == [mine.id]
    assert [t["id"] for t in testapp.get("/api/v1/desk/tickets?assignee=none&priority=urgent",
                                         headers=auth).json["tickets"]] == [other.id]
    error = testapp.get("/api/v1/desk/tickets?status=bogus", headers=auth, status=422).json
    assert error["error"]["code"] == "invalid" and "status" in error["error"]["fields"]
    detail = testapp.get(f"/api/v1/desk/tickets/{mine.id}", headers=auth).json["ticket"]
    assert detail["assignee"] == {"id": agent.id, "name": agent.name}
    assert [e["kind"] for e in detail["events"]] == ["created", "assigned"]
    testapp.get("/api/v1/desk/tickets/999", headers=auth, status=404)


def test_reply_assign_and_status(app, testapp, make_thread, agent, customer):
    thread = make_thread(author=customer)
    ticket = escalate(thread)
    auth = bearer(agent)
    response = testapp.post_json(f"/api/v1/desk/tickets/{ticket.id}/reply",
                                 {"body": "Internal: customer called twice.", "public": False},
                                 headers=auth, status=201)
    assert "note_id" in response.json
    assert "customer called" not in testapp.get(thread_path(thread)).text
    response = testapp.post_json(f"/api/v1/desk/tickets/{ticket.id}/reply",
                                 {"body": "We have reset your line, please try again.",
                                  "public": True, "accept": False}, headers=auth, status=201)
    post = db.session.get(Post, response.json["post_id"])
    assert (post.is_official, post.author_id) == (True, agent.id)
    assert response.json["ticket"]["status"] == "pending"
    error = testapp.post_json(f"/api/v1/desk/tickets/{ticket.id}/reply", {"body": "x"},
                              headers=auth, status=422).json["error"]
    assert "body" in error["fields"]
    error = testapp.post_json(f"/api/v1/desk/tickets/{ticket.id}/reply",
                              {"body": "Long enough text here.", "public": "yes"},
                              headers=auth, status=422).json["error"]
    assert "public" in error["fields"]

    assigned = testapp.post_json(f"/api/v1/desk/tickets/{ticket.id}/assign", {"assignee": "me"},
                                 headers=auth).json["ticket"]
    assert assigned["assignee"]["id"] == agent.id
    error = testapp.post_json(f"/api/v1/desk/tickets/{ticket.id}/assign",
                              {"assignee": customer.id}, headers=auth, status=422).json
    assert "assignee" in error["error"]["fields"]
    solved = testapp.post_json(f"/api/v1/desk/tickets/{ticket.id}/status",
                               {"status": "solved", "priority": "high"}, headers=auth).json
    assert (solved["ticket"]["status"], solved["ticket"]["priority"]) == ("solved", "high")
    error = testapp.post_json(f"/api/v1/desk/tickets/{ticket.id}/status", {"status": "done"},
                              headers=auth, status=422).json
    assert error["error"]["fields"] == {"status": "Unknown status."}


def test_escalate_by_api_returns_the_one_ticket(app, testapp, make_thread, moderator, agent,
                                                customer):
    thread = make_thread(author=customer)
    first = testapp.post_json(f"/api/v1/threads/{thread.id}/escalate",
                              {"reason": "Customer is a journalist", "urgent": True},
                              headers=bearer(moderator), status=201).json
    assert first["created"] is True and first["ticket"]["public_status"] == "passed"
    again = testapp.post_json(f"/api/v1/threads/{thread.id}/escalate", {},
                              headers=bearer(agent), status=200).json
    assert again["ticket"]["id"] == first["ticket"]["id"] and again["created"] is False
    assert (again["ticket"]["priority"], again["ticket"]["reason"]) == ("urgent", "moderator")
    asker = testapp.post_json(f"/api/v1/threads/{thread.id}/escalate", {},
                              headers=bearer(customer), status=200).json
    assert set(asker["ticket"]) == {"id", "thread_id", "public_status", "created_at"}
    assert asker["ticket"]["public_status"] == "passed"
    assert db.session.scalar(select(func.count(Ticket.id))) == 1
    testapp.post_json(f"/api/v1/threads/{thread.id}/escalate", {}, status=401)
    other = make_thread()
    testapp.post_json(f"/api/v1/threads/{other.id}/escalate", {}, headers=bearer(customer),
                      status=403)
    testapp.post_json("/api/v1/threads/999/escalate", {}, headers=bearer(customer), status=404)


def test_the_openapi_document_describes_the_agent_api(app, testapp):
    paths = testapp.get("/api/v1/openapi.json").json["paths"]
    assert {"get"} <= set(paths["/desk/tickets"])
    for path in ("/desk/tickets/{ticket_id}/reply", "/desk/tickets/{ticket_id}/assign",
                 "/desk/tickets/{ticket_id}/status", "/threads/{thread_id}/escalate"):
        assert "post" in paths[path]
    assert "get" in paths["/desk/tickets/{ticket_id}"]
    schemas = testapp.get("/api/v1/openapi.json").json["components"]["schemas"]
    assert {"Ticket", "TicketList", "EscalationResult"} <= set(schemas)


def test_a_body_that_is_not_a_json_object_is_a_400(app, testapp, make_thread, agent, customer):
    ticket, _ = tickets.open_ticket(make_thread(author=customer), "agent", source="test")
    db.session.commit()
    response = testapp.post(f"/api/v1/desk/tickets/{ticket.id}/status", "[1, 2]",
                            headers={**bearer(agent), "Content-Type": "application/json"},
                            status=400)
    assert response.json["error"]["code"] == "bad_json"
