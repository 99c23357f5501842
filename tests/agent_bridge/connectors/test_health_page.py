"""The admins' connector health page: state, waiting and failed deliveries, retry."""
import pytest
from datetime import timedelta

from community import clock, outbox
from community.extensions import db
from community.models import OutboxMessage
from tests.conftest import csrf_token, login


@pytest.fixture
def admin(make_user):
    return make_user(role="admin", name="Ada Admin")


@pytest.mark.parametrize("role", [None, "customer", "moderator", "agent"])
def test_only_admins_see_the_page_and_use_its_buttons(testapp, make_user, role):
    if role:
        login(testapp, make_user(role=role))
    expected = 302 if role is None else 403
    testapp.get("/admin/connectors", status=expected)
    token = csrf_token(testapp, "/login" if role is None else "/")
    testapp.post("/admin/connectors/check", {"csrf_token": token}, status=expected)
    testapp.post("/admin/connectors/deliveries/1/retry", {"csrf_token": token},
                 status=expected)
    # Without the form's token, nobody gets anywhere.
    testapp.post("/admin/connectors/check", status=400)


def test_admin_sees_the_outage_and_the_recovery(testapp, admin, helpdesk, make_thread, escalate):
    helpdesk.mode = "down"
    escalate(make_thread())
    escalate(make_thread())
    outbox.drain()
    login(testapp, admin)
    page = testapp.get("/admin/connectors")
    assert "The helpdesk is not taking deliveries" in page.text
    assert page.html.select_one("#pending-count").text.startswith("2")
    assert "HTTP 503" in page.text and helpdesk.url in page.text

    page = page.forms["check-form"].submit().follow()
    assert "The helpdesk cannot be reached: HTTP 503" in page.text

    helpdesk.mode = "ok"
    page = page.forms["check-form"].submit().follow()
    assert "The helpdesk answered: HTTP 200" in page.text
    ping = helpdesk.delivered()[-1]
    assert ping["event"] == "ping"

    clock.travel(timedelta(seconds=5))
    outbox.drain()
    page = testapp.get("/admin/connectors")
    assert "Working." in page.text and "Nothing is waiting." in page.text
    assert page.html.select_one("#pending-count").text.strip() == "0"


def test_refused_delivery_fails_and_the_admin_sends_it_again(
        app, testapp, admin, helpdesk, make_thread, escalate):
    app.config["OUTBOX_MAX_ATTEMPTS"] = 2
    helpdesk.mode = "refuse"
    escalate(make_thread(title="Contract cancellation confirmation missing"))
    for _ in range(3):
        outbox.drain()
        clock.travel(timedelta(hours=1))
    row = OutboxMessage.query.filter_by(kind="bridge.deliver").one()
    assert row.status == "failed" and "HTTP 422" in row.last_error

    login(testapp, admin)
    page = testapp.get("/admin/connectors")
    assert page.html.select_one("#failed-count").text.strip() == "1"
    assert "HTTP 422" in page.html.select_one(f"#delivery-{row.id}").text
    helpdesk.mode = "ok"
    page = page.forms[f"retry-{row.id}"].submit().follow()
    assert "The delivery will be sent again shortly." in page.text
    outbox.drain()
    [event] = helpdesk.delivered()
    assert event["thread"]["title"] == "Contract cancellation confirmation missing"
    assert event["id"] == row.payload["event"]["id"]
    page = testapp.get("/admin/connectors")
    assert "No failed deliveries." in page.text

    # A second click on the stale page: nothing to retry any more.
    stale = testapp.post(f"/admin/connectors/deliveries/{row.id}/retry",
                         {"csrf_token": page.forms["check-form"]["csrf_token"].value}).follow()
    assert "This delivery is not failed (any more)." in stale.text


def test_admin_sees_a_connector_that_is_not_set_up(make_app, make_user):
    from webtest import TestApp
    from tests.conftest import isolated

    app = make_app(BRIDGE_CONNECTOR="webhook", BRIDGE_WEBHOOK_URL="", BRIDGE_WEBHOOK_SECRET="")
    with app.app_context():
        admin = make_user(role="admin")
        browser = TestApp(isolated(app), extra_environ={"HTTP_HOST": "localhost"})
        login(browser, admin)
        page = browser.get("/admin/connectors")
        assert "Not set up: FORUM_BRIDGE_WEBHOOK_URL is not set" in page.text
        db.session.remove()
