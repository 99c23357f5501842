"""``GET /api/v1/search`` and its description in the OpenAPI document."""
from community import clock
from community.services import threads
from community.extensions import db

from .helpers import result_ids


def test_search_api_returns_results_with_paging(testapp, make_category, make_thread, make_reply,
                                                make_user, worker):
    category = make_category(name="Mobile")
    asker = make_user()
    clock.freeze(clock.now().replace(year=2026, month=5, day=4, hour=8, minute=0, second=0,
                                     microsecond=0))
    thread = make_thread(author=asker, category=category, title="Kündigung meines Handyvertrags",
                         body="Bis wann muss ich kündigen?", tags=["vertrag"])
    threads.accept_answer(asker, make_reply(thread, body="Drei Monate vor Ablauf."))
    db.session.commit()
    worker()
    response = testapp.get("/api/v1/search", {"q": "kuendigen"})
    assert response.json["total"] == 1 and response.json["page"] == 1
    assert response.json["pages"] == 1 and response.json["suggestion"] is None
    [result] = response.json["results"]
    assert result["thread_id"] == thread.id and result["status"] == "solved"
    assert result["title"] == "Kündigung meines Handyvertrags"
    assert result["snippet"] == "Bis wann muss ich kündigen?"
    assert result["snippet_html"] == "Bis wann muss ich <mark>kündigen</mark>?"
    assert result["category"] == {"slug": category.slug, "name": "Mobile"}
    assert result["tags"] == ["vertrag"] and result["reply_count"] == 1 and result["solved"]
    assert result["created_at"] == "2026-05-04T08:00:00Z"
    assert result["url"].endswith(f"/t/{thread.id}-{thread.slug}")
    assert result_ids(testapp.get("/api/v1/search", {"q": "kündigen", "status": "open"})) == []
    assert result_ids(testapp.get("/api/v1/search", {"q": "kündigen", "tag": "vertrag",
                                                     "category": category.slug})) == [thread.id]


def test_search_api_pages(testapp, make_category, make_thread, worker):
    category = make_category()
    for n in range(25):
        make_thread(category=category, title=f"Hotspot question {n}")
    worker()
    second = testapp.get("/api/v1/search", {"q": "hotspot", "page": "2"}).json
    assert (second["total"], second["page"], second["pages"]) == (25, 2, 2)
    assert len(second["results"]) == 5


def test_search_api_errors(testapp):
    response = testapp.get("/api/v1/search", {"q": "x", "category": "nope"}, status=404)
    assert response.json["error"]["fields"] == {"category": "No such category."}
    response = testapp.get("/api/v1/search", {"q": "x", "status": "maybe", "page": "0"},
                           status=422)
    assert response.json["error"]["code"] == "invalid"
    assert "status" in response.json["error"]["fields"]
    response = testapp.get("/api/v1/search", {"q": "x", "from": "yesterday"}, status=422)
    assert response.json["error"]["fields"] == {"from": "Use a date like 2026-01-31."}
    response = testapp.get("/api/v1/search", {"q": "x"},
                           headers={"Authorization": "Bearer wrong"}, status=401)
    assert response.json["error"]["code"] == "unauthorized"


def test_both_endpoints_are_in_the_openapi_document(testapp):
    doc = testapp.get("/api/v1/openapi.json").json
    search = doc["paths"]["/search"]["get"]
    assert {p.get("name") for p in search["parameters"]} >= {"q", "category", "status", "tag"}
    assert search["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/SearchResults"}
    similar = doc["paths"]["/similar"]["get"]
    assert [p["name"] for p in similar["parameters"]] == ["title", "body", "limit"]
    assert "SimilarThread" in doc["components"]["schemas"]
